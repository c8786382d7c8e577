#!/usr/bin/env python3
"""Issue 11, must show 11: a served trace at 1 s of simulated time for an hour in May at
`hiboux`, read over Modbus TCP as a supervision would, and the largest step of each sensor
between two samples.

Usage: served-trace.py BINARY WORKDIR [--csv FILE]

The reference scenario is started on 5 May 2025 and fast-forwarded (speed 3600) to 6 May 19:00,
the hour the commissioning review traced (room above its reduced setpoint: the old model's
stall); then it runs at speed 30 and the script reads unit 14 (hiboux's controller: primary
supply and return, secondary supply and return, room, valve) and unit 34 (its heat meter's
return) 30 times a second, i.e. once a simulated second, for one simulated hour (2 min).
It prints the samples taken, the controller's events (its state bits changing: pump, DHW
charge, economy, heat-up, disinfection), each sensor's largest step between two samples, and
fails when a step over 3 K falls more than 30 s from any event (the registers resolve 0.1 K and
0.01 K). The meter shows a new value each 8 s calculator cycle: its step is judged against what
the controller's return sensor (the same water) moved over that cycle.
"""
import json, os, socket, struct, subprocess, sys, time, urllib.request

binary, work = sys.argv[1], sys.argv[2]
csv_path = sys.argv[sys.argv.index("--csv") + 1] if "--csv" in sys.argv else os.path.join(work, "hiboux-may.csv")
os.makedirs(work, exist_ok=True)
HOST = "127.0.0.1"

def free_port():
    s = socket.socket(); s.bind((HOST, 0)); p = s.getsockname()[1]; s.close(); return p

here = os.path.dirname(os.path.abspath(__file__))
ref = os.path.join(here, "..", "Scenarios", "wangenbourg-trace1.yaml")
text = open(ref).read().replace("start: 2025-01-01", "start: 2025-05-05", 1)
scenario = os.path.join(work, "may.yaml")
open(scenario, "w").write(text)
mb, api = free_port(), free_port()
daemon = subprocess.Popen([binary, "serve", scenario, "--listen", f"{HOST}:{mb}", "--api", f"{HOST}:{api}",
                           "--speed", "3600", "--no-record", "--fresh", "--state", os.path.join(work, "state.json")],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

def status():
    with urllib.request.urlopen(f"http://{HOST}:{api}/status", timeout=5) as r:
        return json.loads(r.read())

def post(path, body):
    req = urllib.request.Request(f"http://{HOST}:{api}{path}", data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=5) as r: return r.read()

tid = 0
def read(sock, unit, fc, addr, count):
    global tid
    tid = (tid + 1) & 0xFFFF
    sock.sendall(struct.pack(">HHHBBHH", tid, 0, 6, unit, fc, addr, count))
    head = b""
    while len(head) < 7: head += sock.recv(7 - len(head))
    _, _, length, _ = struct.unpack(">HHHB", head)
    body = b""
    while len(body) < length - 1: body += sock.recv(length - 1 - len(body))
    if body[0] & 0x80: raise RuntimeError(f"exception {body[1]} from unit {unit}")
    return body[2:]

try:
    for _ in range(100):
        try: status(); break
        except Exception: time.sleep(0.2)
    target = (24 + 19) * 3600.0
    while status()["timeS"] < target - 120: time.sleep(0.2)
    post("/speed", {"speed": 30})
    start = status()["timeS"]
    sock = socket.create_connection((HOST, mb), timeout=5)
    rows = []
    names = ["primary_supply", "primary_return", "secondary_supply", "secondary_return", "room", "valve", "meter_return"]
    t0 = time.monotonic()
    while time.monotonic() - t0 < 120:
        regs = read(sock, 14, 4, 0, 8)
        v = struct.unpack(">8h", regs)
        meter = struct.unpack(">i", read(sock, 34, 4, 10, 2))[0] / 100
        bits = read(sock, 14, 2, 0, 6)[0]   # pump, heating_on, dhw_charging, economy, heating_up, disinfecting
        rows.append((time.monotonic() - t0, v[0] / 10, v[1] / 10, v[2] / 10, v[3] / 10, v[5] / 10, v[7] / 10, meter, bits))
        time.sleep(max(0.0, t0 + len(rows) / 30 - time.monotonic()))   # one sample a simulated second
    end = status()["timeS"]
    with open(csv_path, "w") as f:
        f.write("wall_s," + ",".join(names) + ",state_bits\n")
        for r in rows: f.write(",".join(f"{x:.2f}" for x in r[:-1]) + f",{r[-1]}\n")
    # real events: the controller's state bits change (pump, DHW charge, economy, heat-up,
    # disinfection); a step within 30 s of one is the event's, not an artefact
    events = [k for k in range(1, len(rows)) if rows[k][-1] != rows[k - 1][-1]]
    near = lambda k: any(abs(k - e) <= 30 for e in events)
    names_bits = ["pump", "heating_on", "dhw_charging", "economy", "heating_up", "disinfecting"]
    print(f"  events: " + (", ".join(f"sample {k}: " + "+".join(n for b, n in enumerate(names_bits) if (rows[k][-1] ^ rows[k - 1][-1]) >> b & 1) for k in events) or "none"))
    print(f"{len(rows)} samples over {end - start:.0f} simulated s ({(end - start) / max(1, len(rows)):.2f} s a sample), 6 May 18:58 on; trace in {csv_path}")
    bad = 0
    for i, n in enumerate(names):
        if n == "valve": continue
        steps = [(abs(rows[k][i + 1] - rows[k - 1][i + 1]), k) for k in range(1, len(rows))]
        m, k = max(steps)
        quiet = [x for x in steps if not near(x[1])]
        if n == "meter_return":
            # the meter shows a new value once per 8 s calculator cycle (EN 1434): its step is the
            # water's change over the cycle, which the controller's own return sensor (the same
            # water, seen every second) shows too; only a step beyond that is the meter's
            ret = names.index("primary_return") + 1
            quiet = [x for x in quiet if x[0] > abs(rows[x[1]][ret] - rows[max(0, x[1] - 9)][ret]) + 0.5]
        mq, kq = max(quiet) if quiet else (0.0, 0)
        print(f"  {n:17s} largest step {m:5.2f} K (sample {k}{', at an event' if near(k) else ''}), away from events {mq:5.2f} K; range {min(r[i + 1] for r in rows):.1f}–{max(r[i + 1] for r in rows):.1f}")
        if mq > 3: bad += 1
    valves = [r[6] for r in rows]
    print(f"  valve             range {min(valves):.1f}–{max(valves):.1f} %")
    print("ok   - no sensor step > 3 K between two samples away from a real event" if bad == 0 else f"FAIL - {bad} sensors stepped > 3 K away from any event")
    sys.exit(0 if bad == 0 else 1)
finally:
    daemon.terminate()
    try: daemon.wait(timeout=10)
    except subprocess.TimeoutExpired: daemon.kill()
