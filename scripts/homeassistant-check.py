#!/usr/bin/env python3
"""Issue 12, item 6: Home Assistant configured only from the generated file polls the daemon.

A paused daemon (`serve --speed 0`: the values stand still, so a supervision's reading can be
compared with a direct one) serves the reference plant; `chaufferie points --format
homeassistant` writes the Modbus integration's YAML; Home Assistant (from PyPI, in its own
virtual environment) runs with that file and its recorder for DURATION seconds. Passes when
Home Assistant logged no Modbus error, every sensor it created holds a value (the points the
plant lacks — DHW on buildings without a tank — excepted: they must read "unknown", the invalid
value honoured), and each value equals a pymodbus read of the same register within its
resolution.

usage: homeassistant-check.py CHAUFFERIE_BINARY HASS_BINARY WORKDIR [DURATION_S] [SCAN_INTERVAL_S]
"""
import json, os, re, signal, socket, sqlite3, struct, subprocess, sys, time

from pymodbus.client import ModbusTcpClient

binary, hass, work = sys.argv[1], sys.argv[2], os.path.abspath(sys.argv[3])
duration = float(sys.argv[4]) if len(sys.argv) > 4 else 600
scan = int(sys.argv[5]) if len(sys.argv) > 5 else 30
os.makedirs(work, exist_ok=True)
failures = []

def check(name, cond):
    print(f"{'ok  ' if cond else 'FAIL'} {name}", flush=True)
    if not cond: failures.append(name)

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

port, http = free_port(), free_port()
serve = subprocess.Popen([binary, "serve", "Scenarios/wangenbourg-trace1.yaml", "--listen", f"127.0.0.1:{port}", "--speed", "0",
                          "--days", "2", "--fresh", "--no-record", "--api", "off", "--state", os.path.join(work, "state.json")],
                         stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "serve.log"), "w"))
time.sleep(2)
conf = os.path.join(work, "config")
os.makedirs(conf, exist_ok=True)
gen = subprocess.run([binary, "points", "Scenarios/wangenbourg-trace1.yaml", "--format", "homeassistant", "--listen", f"127.0.0.1:{port}",
                      "--scan-interval", str(scan)], capture_output=True, text=True, check=True).stdout
open(os.path.join(conf, "modbus.yaml"), "w").write(gen)
open(os.path.join(conf, "configuration.yaml"), "w").write(f"""homeassistant:
  name: Chaufferie check
  unit_system: metric
  time_zone: UTC
  latitude: 48.62
  longitude: 7.31
  elevation: 420
http:
  server_host: 127.0.0.1
  server_port: {http}
recorder:
  commit_interval: 1
logger:
  default: warning
""" + gen.split("\n", 2)[2])   # the generated file without its two comment lines
n_sensors, n_bits = gen.count("input_type: holding") + gen.count("input_type: input"), gen.count("input_type: coil") + gen.count("input_type: discrete_input")
log = open(os.path.join(work, "hass.log"), "w")
t0 = time.time()
ha = subprocess.Popen([hass, "-c", conf, "--log-file", os.path.join(work, "home-assistant.log")], stdout=log, stderr=subprocess.STDOUT)
time.sleep(duration)
t_stop = time.time()   # what Home Assistant logs and records while it stops (entities go unavailable) is not the polling's
ha.send_signal(signal.SIGTERM)
try: ha.wait(120)
except subprocess.TimeoutExpired: ha.kill()
print(f"     (Home Assistant ran {time.time() - t0:.0f} s with {n_sensors} sensors and {n_bits} binary sensors, polled every {scan} s)")

text = open(os.path.join(work, "home-assistant.log"), errors="replace").read()
def stamp(l):
    m = re.match(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\.(\d{3})", l)
    return time.mktime(time.strptime(m.group(1), "%Y-%m-%d %H:%M:%S")) + int(m.group(2)) / 1000 if m else 0
errors = [l for l in text.splitlines() if ("ERROR" in l or "WARNING" in l) and "modbus" in l.lower() and stamp(l) < t_stop]
check(f"Home Assistant logged no Modbus error or warning: {errors[:3]}", not errors)
db = sqlite3.connect(os.path.join(conf, "home-assistant_v2.db"))
rows = db.execute("""SELECT m.entity_id, s.state FROM states s JOIN states_meta m ON m.metadata_id = s.metadata_id
                     WHERE s.state_id IN (SELECT max(state_id) FROM states WHERE last_updated_ts < ? GROUP BY metadata_id)""", (t_stop,)).fetchall()
polls = db.execute("SELECT count(*) FROM states WHERE last_updated_ts < ?", (t_stop,)).fetchone()[0]
db.close()
latest = {e: v for e, v in rows if e.startswith("sensor.") or e.startswith("binary_sensor.")}
check(f"every configured point became an entity: {len(latest)} of {n_sensors + n_bits}", len(latest) == n_sensors + n_bits)

# the same registers read directly
points = json.loads(subprocess.run([binary, "points", "Scenarios/wangenbourg-trace1.yaml", "--format", "json"], capture_output=True, text=True, check=True).stdout)["points"]
c = ModbusTcpClient("127.0.0.1", port=port, timeout=2); c.connect()
def direct(p):
    u = p["unit"]
    if p["wireType"] == "bit":
        r = (c.read_coils if p["table"] == "coils" else c.read_discrete_inputs)(p["address"], count=1, device_id=u)
        return None if r.isError() else ("on" if r.bits[0] else "off")
    r = (c.read_holding_registers if p["table"] == "holdingRegisters" else c.read_input_registers)(p["address"], count=p["count"], device_id=u)
    if r.isError(): return "error"
    regs = r.registers
    if p["count"] == 2 and p["wordOrder"] == "CDAB": regs = [regs[1], regs[0]]
    raw = struct.pack(">" + "H" * len(regs), *regs)
    t = p["wireType"]
    v = struct.unpack({"int16": ">h", "uint16": ">H", "int32": ">i", "uint32": ">I", "float32": ">f"}[t], raw)[0]
    invalid = p["invalidValue"].replace(" ", "")
    if t != "float32" and raw.hex().upper() == invalid: return "unknown"
    if t == "float32" and v != v: return "unknown"
    return v * p["multiplier"]
def slug(s): return re.sub(r"_+", "_", re.sub(r"[^a-z0-9]", "_", s.lower())).strip("_")
# Home Assistant shows a register holding the invalid value (`nan_value`, NaN) as unavailable
mismatch, compared, invalid, unavailable = [], 0, 0, []
for p in points:
    e = ("binary_sensor." if p["wireType"] == "bit" else "sensor.") + slug(f"{p['device']} {p['tag']}")
    if e not in latest: mismatch.append(f"{e}: no entity"); continue
    d, h = direct(p), latest[e]
    compared += 1
    if d == "unknown":
        invalid += 1
        if h not in ("unknown", "unavailable"): mismatch.append(f"{e}: HA {h}, direct invalid")
        continue
    if h in ("unknown", "unavailable"): unavailable.append(e); continue
    if d in ("on", "off"):
        if d != h: mismatch.append(f"{e}: HA {h}, direct {d}")
        continue
    step = p["multiplier"] if p["wireType"] != "float32" else 1e-3 * max(1, abs(d))
    try:
        if abs(float(h) - d) > step + 1e-9: mismatch.append(f"{e}: HA {h}, direct {d}")
    except ValueError: mismatch.append(f"{e}: HA {h}, direct {d}")
c.close()
check(f"every valid point holds a value after {duration:.0f} s: {unavailable[:5]}", not unavailable)
check(f"{compared} values equal a direct pymodbus read within their resolution ({invalid} invalid values, shown unavailable); "
      f"{polls} states recorded: {mismatch[:5]}", not mismatch and compared == len(points))
serve.send_signal(signal.SIGTERM); serve.wait(30)
print(f"homeassistant: {len(failures)} failed")
sys.exit(1 if failures else 0)
