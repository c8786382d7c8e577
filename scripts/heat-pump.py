#!/usr/bin/env python3
"""Issue 14, item 1: the heat pump as a plant's device, end to end, on the zone's variant 2 (an
aquifer heat pump of 2,075 kW with gas 2 × 6 MW; at a 10 s step). It is priced here with
variant 1's economic inputs, a stand-in: the study's figures for variant 2 are not given.

pymodbus reads the heat pump's unit while it runs (COP, source temperatures and flow, the
doublet's balance ṁ·cp·ΔT against the source heat); coil 0 takes it out of the merit order; the
control API trips a well pump: the lockout shows in its alarm word and the plant's alarms, the
repair and the reset coil bring it back; its counters survive a restart; the historian records
it; the report puts the heat pump in the balance (closing), in the load duration curve and its
electricity in P1.

usage: heat-pump.py CHAUFFERIE_BINARY WORKDIR
"""
import json, os, re, signal, socket, sqlite3, struct, subprocess, sys, time, urllib.request

from pymodbus.client import ModbusTcpClient

binary, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)
failures = []

def check(name, cond):
    print(f"{'ok  ' if cond else 'FAIL'} {name}", flush=True)
    if not cond: failures.append(name)

v1 = open("Scenarios/zone-variant1-wood-gas.yaml", encoding="utf-8").read()
text = open("Scenarios/zone-variant2-heat-pump-gas.yaml", encoding="utf-8").read()
economics = v1[v1.index("economics:\n"):v1.index("\nreference:")]
for old, new in [("  stepSeconds: 1\n  scanSeconds: 1", "  stepSeconds: 10\n  scanSeconds: 10"),
                 ("\nreference:", "\n" + economics + "\n\nreference:")]:
    assert text.count(old) == 1, old
    text = text.replace(old, new)
scenario = os.path.join(work, "variant2-priced.yaml")
open(scenario, "w", encoding="utf-8").write(text)
profiles = os.path.abspath("DeviceProfiles")
state, db = os.path.join(work, "state.json"), os.path.join(work, "serve.db")
api_port = None

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def serve(fresh):
    global api_port
    api_port = free_port()
    cmd = [binary, "serve", scenario, "--profiles", profiles, "--listen", "127.0.0.1:0", "--speed", "600", "--days", "4",
           "--db", db, "--state", state, "--api", f"127.0.0.1:{api_port}", "--web", "off"] + (["--fresh"] if fresh else [])
    err = open(os.path.join(work, "serve.log"), "a+")
    start = err.tell()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, text=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        err.seek(start)
        m = re.search(r"serving .* on 127\.0\.0\.1:(\d+)", err.read())
        if m: return p, int(m.group(1))
        if p.poll() is not None: break
        time.sleep(0.1)
    err.seek(start)
    sys.exit("heat-pump: the daemon did not start: " + err.read()[-2000:])

def read_hp(port):
    c = ModbusTcpClient("127.0.0.1", port=port, timeout=2)
    c.connect()
    r = c.read_input_registers(0, count=38, device_id=2)
    d = c.read_discrete_inputs(0, count=3, device_id=2)
    k = c.read_coils(0, count=3, device_id=2)
    c.close()
    if r.isError() or d.isError() or k.isError(): return None
    f = lambda k: struct.unpack(">f", struct.pack(">HH", *r.registers[k:k + 2]))[0]
    u = lambda k: r.registers[k] << 16 | r.registers[k + 1]
    names = ["state", "capacity", "output", "condenser", "electric", "cop", "water", "evap", "cond", "src_in", "src_out", "src_flow", "src_power"]
    out = {n: f(2 * i) for i, n in enumerate(names)}
    out.update(hours=u(26), starts=u(28), heat=u(30), elec=u(32), src_energy=u(34), alarms=r.registers[36],
               demand=d.bits[0], available=d.bits[1], limited=d.bits[2], enable=k.bits[0])
    return out

def coil(port, address, on):
    c = ModbusTcpClient("127.0.0.1", port=port, timeout=2)
    c.connect()
    r = c.write_coil(address, on, device_id=2)
    c.close()
    return not r.isError()

def api(path, body):
    data = json.dumps(body).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{api_port}{path}", data=data, method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=5) as r: return r.status

def wait_for(port, pred, seconds):
    t_end = time.time() + seconds
    while time.time() < t_end:
        h = read_hp(port)
        if h and pred(h): return h
        time.sleep(0.3)
    return read_hp(port)

def stop(p):
    p.send_signal(signal.SIGTERM)
    try: p.wait(120)
    except subprocess.TimeoutExpired:
        p.kill(); sys.exit(f"heat-pump: serve did not stop within 120 s: {open(os.path.join(work, 'serve.log')).read()[-2000:]}")

p, port = serve(True)
run = wait_for(port, lambda h: h["state"] == 1 and h["output"] > 500, 60)
check(f"pymodbus reads unit 2 (HP1) running in January: state {run['state']:.0f}, capacity {run['capacity']:.0f} %, output {run['output']:.0f} kW, "
      f"COP {run['cop']:.2f}, electric {run['electric']:.0f} kW", run["state"] == 1 and run["demand"] and 2.5 < run["cop"] < 4.5 and run["electric"] > 100)
cp, rho = 4.185, 983.2
doublet = rho * run["src_flow"] / 3600 * cp * (run["src_in"] - run["src_out"])
check(f"doublet: {run['src_flow']:.1f} m³/h from {run['src_in']:.2f} °C reinjected at {run['src_out']:.2f} °C (≤ 6.5 K colder): "
      f"ṁ·cp·ΔT {doublet:.0f} kW = source heat {run['src_power']:.0f} kW",
      abs(run["src_flow"] - 200) < 0.5 and abs(run["src_in"] - 13.5) < 0.01 and run["src_in"] - run["src_out"] <= 6.5 + 1e-3
      and abs(doublet - run["src_power"]) < 0.005 * run["src_power"])
check(f"condenser {run['condenser']:.0f} kW = source {run['src_power']:.0f} kW + compressor (COP {run['cop']:.2f}: {run['condenser'] / run['cop']:.0f} kW)",
      abs(run["condenser"] - run["src_power"] - run["condenser"] / run["cop"]) < 0.005 * run["condenser"])
check(f"evaporating {run['evap']:.2f} °C under the water leaving {run['src_out']:.2f} °C, condensing {run['cond']:.2f} °C over the outlet {run['water']:.2f} °C",
      run["evap"] < run["src_out"] and run["cond"] > run["water"])
# out of the merit order (coil 0 = 0): it stops after its minimum run time at the latest
ok = coil(port, 0, False)
off = wait_for(port, lambda h: h["state"] == 0, 20)
check(f"coil 0 (enable) written 0: HP1 state {off['state']:.0f}, demand {off['demand']}, enable {off['enable']}", ok and off["state"] == 0 and not off["demand"] and off["enable"] == 0)
coil(port, 0, True)
back = wait_for(port, lambda h: h["state"] == 1, 30)
check(f"enabled again: runs after its minimum off time ({back['starts']} starts)", back["state"] == 1)
# a well pump trips: the unit locks out (alarm bit 0), the plant's alarm list has HP1.LOCKOUT
api("/faults", {"kind": "heatPumpFault", "heatPump": "HP1", "fault": "wellPumpTrip"})
lock = wait_for(port, lambda h: h["available"] == 0 and h["alarms"] & 1, 20)
alarms = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{api_port}/alarms", timeout=5).read())
active = [a["id"] for a in alarms if a["state"] != "normal"]
check(f"well pump trip: HP1 available {lock['available']}, alarm word {lock['alarms']}, source flow {lock['src_flow']:.0f} m³/h; active alarms {active}",
      lock["available"] == 0 and lock["alarms"] & 1 and lock["state"] == 0 and "HP1.LOCKOUT" in active)
# the well pump repaired: the repair resets the lockout (as a boiler's repair is its reset)
api("/faults/clear", {"kind": "heatPumpFault", "heatPump": "HP1", "fault": "wellPumpTrip"})
again = wait_for(port, lambda h: h["available"] == 1 and h["state"] == 1, 40)
check(f"repaired: available {again['available']}, running {again['state']:.0f}", again["available"] == 1 and again["state"] == 1)
time.sleep(2)
before = read_hp(port)
stop(p)
saved = json.load(open(state))
check(f"retentive memory keeps HP1's counters: {saved.get('heatPumps')}", saved.get("heatPumps") and saved["heatPumps"][0]["starts"] >= before["starts"])
p, port = serve(False)
after = read_hp(port)
stop(p)
check(f"after a restart: hours {before['hours']} → {after['hours']}, starts {before['starts']} → {after['starts']}, electricity {before['elec']} → {after['elec']} kWh",
      after["hours"] >= before["hours"] and after["starts"] >= before["starts"] and after["elec"] >= before["elec"])
con = sqlite3.connect(db)
tags = [r[0] for r in con.execute("SELECT name FROM tags WHERE name LIKE 'heat_pump.HP1.%' OR name LIKE 'plant.counter.heat_pump%' ORDER BY name")]
con.close()
check(f"the historian records HP1 ({len(tags)} tags)", "heat_pump.HP1.cop" in tags and "heat_pump.HP1.electric_energy" in tags and "plant.counter.heat_pump_produced" in tags)

# a January week's report: the heat pump in the balance, the load duration curve and P1
rdb = os.path.join(work, "run.db")
for f in (rdb, rdb + "-wal", rdb + "-shm"):
    if os.path.exists(f): os.remove(f)
rj = json.loads(subprocess.run([binary, "run", scenario, "--duration", "7d", "--json", "--db", rdb], capture_output=True, text=True, check=True).stdout)
hp = rj["heatPumps"]
check(f"run: heat pumps {hp['outputMWh']:.1f} MWh ({hp['shareOfProduction'] * 100:.1f} % of production), SPF {hp['spf']:.2f}, "
      f"balance residual {rj['energyBalance']['residualMWh']:.4f} MWh", hp["outputMWh"] > 0 and 2.5 < hp["spf"] < 3.6
      and abs(rj["energyBalance"]["residualMWh"]) < 0.005 * (rj["energyBalance"]["combustionHeatMWh"] + hp["condenserHeatMWh"]))
rep = json.loads(subprocess.run([binary, "report", rdb, "--json"], capture_output=True, text=True, check=True).stdout)
eb = rep["energyBalanceMWh"]
check(f"report: heat pumps {eb['heatPumpsOutput']:.1f} MWh in the balance (run {hp['outputMWh']:.1f}), residual {eb['residual']:.4f} MWh",
      abs(eb["heatPumpsOutput"] - hp["outputMWh"]) < 0.01 * hp["outputMWh"] and abs(eb["residual"]) < 0.005 * (eb["combustion"] + eb["heatPumpCondensers"]))
y = rep["perYear"]
k = rep["annualisation"]["productionFactor"]
elec = (rj["electricityMWh"] + hp["electricityMWh"]) * k
check(f"report: P1 electricity {y['p1ElectricityEUR']:.0f} € = ({rj['electricityMWh']:.2f} + heat pumps {hp['electricityMWh']:.2f}) MWh × {k:.2f} × 85 €/MWh",
      abs(y["p1ElectricityEUR"] - elec * 85) < 0.01 * y["p1ElectricityEUR"])
html = os.path.join(work, "run.html")
subprocess.run([binary, "report", rdb, "--html", html], capture_output=True, text=True, check=True)
ldc = open(html, encoding="utf-8").read().split('id="load-duration"')[1].split("</figure>")[0]
check("report: the load duration curve shows the heat pump's and the gas boilers' areas", '<polygon fill="#e6a23c"' in ldc and '<polygon fill="#6baed6"' in ldc)
txt = subprocess.run([binary, "report", rdb], capture_output=True, text=True, check=True).stdout
line = next((l for l in txt.splitlines() if "heat pumps: SPF" in l), "")
check(f"report text: {line.strip()}", "renewable part" in line)
print(f"heat pump: {len(failures)} failed")
sys.exit(1 if failures else 0)
