#!/usr/bin/env python3
"""The historian's file locked by another program, then the disk full, while `serve` runs: the
daemon keeps answering Modbus, logs the error, holds (or counts as lost) what it cannot write,
and records again once the file is free.

"Disk full" is a real write failure: the daemon's file-size limit (RLIMIT_FSIZE) is lowered to
the historian's current size with prlimit (the soft limit only, so it can be raised again), so SQLite's next write fails with EFBIG as on a full
disk; it is raised again afterwards.

usage: historian-faults.py CHAUFFERIE_BINARY WORKDIR
"""
import os
import re
import sqlite3
import subprocess
import sys
import threading
import time

from pymodbus.client import ModbusTcpClient


def main():
    binary, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    db = os.path.join(work, "faults.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    if os.path.exists(os.path.join(work, "faults.state.json")):
        os.remove(os.path.join(work, "faults.state.json"))
    p = subprocess.Popen([binary, "serve", "--listen", "127.0.0.1:0", "--speed", "3600", "--days", "30", "--db", db, "--state", os.path.join(work, "faults.state.json"), "--api", "off"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    banner = p.stderr.readline()
    m = re.search(r"on 127\.0\.0\.1:(\d+)", banner)
    if not m:
        sys.exit(f"historian-faults: the daemon did not start: {banner}")
    port = int(m.group(1))
    log = []
    threading.Thread(target=lambda: [log.append(l) for l in p.stderr], daemon=True).start()
    client = ModbusTcpClient("127.0.0.1", port=port)
    client.connect()
    failures = []

    def modbus_answers():
        r = client.read_input_registers(0, count=2, device_id=1)
        return not r.isError()

    def wait_log(pattern, timeout=10):
        end = time.time() + timeout
        while time.time() < end:
            if any(re.search(pattern, l) for l in log):
                return True
            time.sleep(0.05)
        return False

    def check(name, cond):
        print(f"{'ok  ' if cond else 'FAIL'} {name}")
        if not cond:
            failures.append(name)

    time.sleep(2)
    # 1. another program holds the file locked for 3 s
    other = sqlite3.connect(db, timeout=5, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    check("locked: the daemon logs that it cannot record", wait_log(r"cannot record .*locked"))
    answered = all(modbus_answers() for _ in range(20))
    check("locked: Modbus answers meanwhile", answered)
    time.sleep(2)
    other.execute("COMMIT")
    other.close()
    check("locked: recording resumes once the lock is released", wait_log(r"recording again"))

    # 2. the disk is full: no write may grow the file (nor its WAL)
    log.clear()
    size = os.path.getsize(db) + (os.path.getsize(db + "-wal") if os.path.exists(db + "-wal") else 0)
    subprocess.run(["prlimit", f"--pid={p.pid}", f"--fsize={size}:unlimited"], check=True)
    check("disk full: the daemon logs that it cannot record", wait_log(r"cannot record", timeout=20))
    answered = all(modbus_answers() for _ in range(20))
    check("disk full: Modbus answers meanwhile", answered)
    time.sleep(2)
    subprocess.run(["prlimit", f"--pid={p.pid}", "--fsize=unlimited:unlimited"], check=True)
    check("disk full: recording resumes once there is room", wait_log(r"recording again", timeout=20))
    time.sleep(1.5)

    client.close()
    p.terminate()
    p.wait(timeout=30)
    time.sleep(0.2)
    summary = [l for l in log if "recorded" in l]
    print("".join(summary).strip())
    con = sqlite3.connect(db)
    integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
    committed, lost, ended = con.execute("SELECT committed_samples, lost_samples, ended FROM sessions ORDER BY id DESC LIMIT 1").fetchone()
    count = con.execute("SELECT count(*) FROM samples").fetchone()[0]
    con.close()
    check(f"after the stop: integrity {integrity}, session ended, {count} samples in the file = {committed} committed, {lost} lost",
          integrity == "ok" and ended == 1 and count == committed)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
