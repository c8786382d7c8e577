#!/usr/bin/env python3
"""Issue 5, the instructor's controls end to end: `chaufferie serve` with its control API, the
command line injecting a fault and acknowledging, a Modbus client (pymodbus) seeing the effect,
the historian recording each action with the client's address.

usage: instructor.py CHAUFFERIE_BINARY WORKDIR
"""
import http.client
import json
import os
import random
import re
import socket
import sqlite3
import struct
import subprocess
import sys
import time

from pymodbus.client import ModbusTcpClient


def main():
    binary, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    db, state = os.path.join(work, "instructor.db"), os.path.join(work, "instructor.state.json")
    for f in (db, db + "-wal", db + "-shm", state):
        if os.path.exists(f):
            os.remove(f)
    # a port the system says is free now (a random one in 20000–40000 once fell on a port in use
    # while the XCTests ran beside: the ephemeral range starts at 32768)
    s = socket.socket(); s.bind(("127.0.0.1", 0)); api = f"127.0.0.1:{s.getsockname()[1]}"; s.close()
    p = subprocess.Popen([binary, "serve", "--listen", "127.0.0.1:0", "--speed", "60", "--days", "3", "--db", db, "--state", state, "--api", api],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    port = None
    while port is None:
        line = p.stderr.readline()
        if not line:
            sys.exit("instructor: the daemon did not start")
        m = re.search(r"serving .* on 127\.0\.0\.1:(\d+)", line)
        if m:
            port = int(m.group(1))
    failures = []

    def cli(*args):
        r = subprocess.run([binary, *args, "--api", api], capture_output=True, text=True)
        return r.returncode, r.stdout.strip(), r.stderr.strip()

    def check(name, cond):
        print(f"{'ok  ' if cond else 'FAIL'} {name}")
        if not cond:
            failures.append(name)

    def b2():
        c = ModbusTcpClient("127.0.0.1", port=port)
        c.connect()
        regs = c.read_input_registers(2, count=2, device_id=3).registers      # B2 fault code, float32
        words = c.read_input_registers(26, count=2, device_id=3).registers   # alarm words
        c.close()
        return struct.unpack(">f", struct.pack(">HH", *regs))[0], words

    time.sleep(1)
    rc, out, err = cli("fault", "inject", "boilerFault", "--boiler", "B2", "--fault", "augerJam")
    time.sleep(0.3)
    code, words = b2()
    check(f"fault inject: B2 trips with fault code {code:.0f}, alarm words {words}", rc == 0 and code == 2 and words == [1, 1])
    rc, out, err = cli("alarms", "list")
    alarms = {a["id"]: a["state"] for a in json.loads(out)} if rc == 0 else {}
    check(f"alarms list: B2.FAULT {alarms.get('B2.FAULT')}", alarms.get("B2.FAULT") == "unacknowledged")
    rc, out, err = cli("alarms", "ack", "--id", "B2.FAULT")
    time.sleep(0.3)
    check(f"alarms ack: words {b2()[1]}", rc == 0 and b2()[1] == [1, 0])
    rc, out, err = cli("fault", "clear", "boilerFault", "--boiler", "B2")
    time.sleep(0.3)
    code, words = b2()
    check(f"fault clear (the operator's reset): fault code {code:.0f}, words {words}", rc == 0 and code == 0 and words == [0, 0])
    rc, out, err = cli("fault", "inject", "commFault", "--unit", "12", "--mode", "exception06")
    c = ModbusTcpClient("127.0.0.1", port=port)
    c.connect()
    r = c.read_input_registers(0, count=1, device_id=12)
    c.close()
    check(f"commFault exception06 on unit 12: {r}", rc == 0 and r.isError() and getattr(r, "exception_code", None) == 6)
    rc, out, err = cli("fault", "inject", "boilerFault", "--boiler", "B9", "--fault", "augerJam")
    check(f"a bad request is refused: {err}", rc != 0 and "no boiler 'B9'" in err)
    host, hport = api.split(":")
    for method, path, body, want in [("GET", "/nowhere", None, 404), ("GET", "/faults", None, 405),
                                     ("POST", "/faults", "{not json", 400), ("POST", "/speed", '{"speed": -1}', 400)]:
        h = http.client.HTTPConnection(host, int(hport), timeout=5)
        h.request(method, path, body=body, headers={"Content-Type": "application/json"})
        status = h.getresponse().status
        h.close()
        check(f"{method} {path} {body or ''} → {status}", status == want)
    def sim_time():
        h = http.client.HTTPConnection(host, int(hport), timeout=5)
        h.request("GET", "/status")
        t = json.loads(h.getresponse().read())["timeS"]
        h.close()
        return t
    before = sim_time()
    w0 = time.time()
    rc, out, err = cli("speed", "120")
    jump = sim_time() - before - (time.time() - w0) * 120
    t0 = sim_time()
    time.sleep(1.0)
    dt = sim_time() - t0
    check(f"speed: {out}; no jump of the clock ({jump:+.0f} s), then {dt:.0f} s per wall second",
          rc == 0 and '"speed": 120' in out and jump < 30 and 80 <= dt <= 200)
    # speed 0 is a pause: the clock stops and the served registers with it, then it resumes
    def meter_regs():
        c = ModbusTcpClient("127.0.0.1", port=port)
        c.connect()
        r = c.read_input_registers(0, count=20, device_id=30).registers
        c.close()
        return r
    rc, out, err = cli("speed", "0")
    time.sleep(0.2)
    t0, r0 = sim_time(), meter_regs()
    time.sleep(2.0)
    t1, r1 = sim_time(), meter_regs()
    rc2, out2, _ = cli("speed", "120")
    time.sleep(0.5)
    t2 = sim_time()
    check(f"pause: speed 0 → {out}; clock {t0:.0f} s then {t1:.0f} s 2 s later, meter 30's 20 registers unchanged: {r0 == r1}; "
          f"speed 120 → {t2 - t1:.0f} s in 0.5 s", rc == 0 and '"speed": 0' in out and t1 == t0 and r0 == r1 and rc2 == 0 and t2 > t1 + 20)
    rc, out, err = cli("deliver", "--trucks", "1")
    check(f"deliver: {out}", rc == 0 and '"ordered": 1' in out)
    p.terminate()
    p.wait(timeout=30)
    con = sqlite3.connect(db)
    rows = con.execute("SELECT tag, source FROM events WHERE kind = 'api' ORDER BY id").fetchall()
    con.close()
    check(f"the historian recorded {len(rows)} actions with their client: {[r[0] for r in rows]}",
          [r[0] for r in rows] == ["/faults", "/alarms/ack", "/faults/clear", "/faults", "/speed", "/speed", "/speed", "/deliver"]
          and all(re.match(r"127\.0\.0\.1:\d+$", s) for _, s in rows))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
