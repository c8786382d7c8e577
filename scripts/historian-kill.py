#!/usr/bin/env python3
"""Issue 4, must show 3: kill -9 a recording `serve --speed 3600` N times at random moments.

After each kill the historian must open, pass `PRAGMA integrity_check`, and hold at least every
sample the daemon had reported committed (its --commit-log gets a line after each COMMIT
returned: session, samples committed so far, last simulated time; a daemon killed before its
first commit promised nothing); the sessions recorded before
keep exactly what they had. The next daemon, started on the same file, must carry on recording
(a new session with committed samples). A last daemon is stopped cleanly and its session ends.

usage: historian-kill.py CHAUFFERIE_BINARY WORKDIR [N]
"""
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time


def last_commit(path):
    """(session, committed samples) of the last line of a commit log, or None."""
    try:
        lines = [l.split() for l in open(path).read().splitlines() if l.strip()]
    except FileNotFoundError:
        return None
    return (int(lines[-1][0]), int(lines[-1][1])) if lines else None


def main():
    binary, work = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    os.makedirs(work, exist_ok=True)
    db = os.path.join(work, "kill.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    if os.path.exists(os.path.join(work, "kill.state.json")):
        os.remove(os.path.join(work, "kill.state.json"))
    rng = random.Random(int(os.environ.get("KILL_SEED", "4")))
    expected = {}  # session -> samples it must hold
    failures = []
    for i in range(n + 1):
        log = os.path.join(work, f"commits-{i}.log")
        p = subprocess.Popen([binary, "serve", "--listen", "127.0.0.1:0", "--speed", "3600", "--days", "30",
                              "--db", db, "--commit-log", log, "--state", os.path.join(work, "kill.state.json"), "--api", "off"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        last = i == n
        # from the moment it serves (the weather and calibration take about a second before)
        # (a restart first says which retentive memory it restored)
        banner = p.stderr.readline()
        while banner and "serving" not in banner and "restored" in banner:
            banner = p.stderr.readline()
        if "serving" not in banner:
            failures.append(i + 1)
            p.kill(); p.wait()
            print(f"FAIL run {i + 1}: the daemon did not start: {banner}{p.stderr.read()[-1000:]}")
            continue
        wait = 4.0 if last else rng.uniform(0.2, 3.0)
        time.sleep(wait)
        if last:
            p.send_signal(signal.SIGTERM)
            err = p.communicate(timeout=30)[1]
        else:
            p.kill()  # SIGKILL: no chance to flush or close
            p.wait()
            err = p.stderr.read()
        c = last_commit(log)
        con = sqlite3.connect(db)
        integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
        counts = dict(con.execute("SELECT session, count(*) FROM samples GROUP BY session").fetchall())
        sessions = con.execute("SELECT id, ended FROM sessions ORDER BY id").fetchall()
        con.close()
        problems = []
        if integrity != "ok":
            problems.append(f"integrity_check: {integrity}")
        for s, k in expected.items():
            if counts.get(s, 0) != k:
                problems.append(f"session {s} held {k} samples, now {counts.get(s, 0)}")
        if c is None:
            if last:
                problems.append("the last daemon reported no commit: it did not carry on recording")
        else:
            s, committed = c
            if counts.get(s, 0) < committed:
                problems.append(f"session {s}: {committed} samples reported committed, {counts.get(s, 0)} in the file")
            expected[s] = counts.get(s, 0)
        if last and (not sessions or sessions[-1][1] != 1):
            problems.append("the cleanly stopped session is not marked ended")
        what = "SIGTERM" if last else "kill -9"
        print(f"{'ok  ' if not problems else 'FAIL'} run {i + 1:2d}: {what} after {wait:.1f} s; "
              f"session {c[0] if c else '?'} reported {c[1] if c else 0} committed, file holds {counts.get(c[0], 0) if c else 0}; "
              f"integrity {integrity}" + ("" if not problems else "; " + "; ".join(problems)))
        if problems:
            failures.append(i + 1)
            print(err[-2000:])
    total = sum(expected.values())
    print(f"historian-kill: {n} kills and a clean stop, {len(expected)} sessions with commits, {total} samples kept; "
          f"{len(failures)} runs failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
