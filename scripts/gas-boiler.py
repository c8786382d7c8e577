#!/usr/bin/env python3
"""Issue 12, item 5: gas boilers as first-class devices, end to end. A wood + gas variant of the
reference plant (the wood boilers cut to 3 × 100 kW so that the 300 kW gas boiler tops up in
January; gas at 85 €/MWh HHV) is served: pymodbus reads the gas boiler's unit while it fires, its
counters survive a restart from the retentive memory, the historian records it, and the report
prices the gas in P1, counts it in the installed power and nets it out of the CO2 avoided, checked
against figures computed here from the run's own gas counter.

usage: gas-boiler.py CHAUFFERIE_BINARY WORKDIR
"""
import json, os, re, signal, socket, sqlite3, struct, subprocess, sys, time

from pymodbus.client import ModbusTcpClient

binary, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)
failures = []

def check(name, cond):
    print(f"{'ok  ' if cond else 'FAIL'} {name}", flush=True)
    if not cond: failures.append(name)

text = open("Scenarios/wangenbourg-trace1.yaml", encoding="utf-8").read()
for b in ("B1", "B2", "B3"):
    text, n = re.subn(r"- \{ id: %s, nominalKW: \d+" % b, "- { id: %s, nominalKW: 100" % b, text)
    assert n == 1, b
for old, new in [("  gasBoilers: []", "  gasBoilers: [ { id: G1, nominalKW: 300 } ]"),
                 ("  fossilSO2KgPerMWh: 0.505", "  fossilSO2KgPerMWh: 0.505\n  gasEURPerMWhHHV: 85"),
                 ("    - { unit: 4, profile: boiler-int32-x10, device: B3 }",
                  "    - { unit: 4, profile: boiler-int32-x10, device: B3 }\n    - { unit: 5, profile: gas-boiler, device: G1 }")]:
    assert text.count(old) == 1, old
    text = text.replace(old, new)
text = text.replace("name: Wangenbourg-Engenthal, Tracé 1 (reference plant)", "name: Wangenbourg-Engenthal, wood 3 × 100 kW + gas 300 kW")
scenario = os.path.join(work, "wood-gas.yaml")
open(scenario, "w", encoding="utf-8").write(text)
profiles = os.path.abspath("DeviceProfiles")
state, db = os.path.join(work, "state.json"), os.path.join(work, "serve.db")

def serve(fresh):
    cmd = [binary, "serve", scenario, "--profiles", profiles, "--listen", "127.0.0.1:0", "--speed", "3600", "--days", "4",
           "--db", db, "--state", state, "--api", "off"] + (["--fresh"] if fresh else [])
    # standard error to a file: a pipe nobody reads would fill and block the daemon's logging
    err = open(os.path.join(work, "serve.log"), "a+")
    start = err.tell()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, text=True)
    deadline = time.time() + 30
    while time.time() < deadline:
        err.seek(start)
        m = re.search(r"serving .* on 127\.0\.0\.1:(\d+)", err.read())
        if m: return p, int(m.group(1))
        if p.poll() is not None: break
        time.sleep(0.1)
    err.seek(start)
    sys.exit("gas-boiler: the daemon did not start: " + err.read()[-2000:])

def read_gas(port):
    c = ModbusTcpClient("127.0.0.1", port=port, timeout=2)
    c.connect()
    r = c.read_input_registers(0, count=22, device_id=5)
    d = c.read_discrete_inputs(0, count=2, device_id=5)
    k = c.read_coils(0, count=3, device_id=5)
    c.close()
    if r.isError() or d.isError() or k.isError(): return None
    f = lambda k: struct.unpack(">f", struct.pack(">HH", *r.registers[k:k + 2]))[0]
    u = lambda k: r.registers[k] << 16 | r.registers[k + 1]
    return {"state": f(0), "firing": f(2), "water": f(4), "output": f(6), "fuel": f(8), "eff": f(10), "hours": u(12),
            "starts": u(14), "hhv": u(16), "lhv": u(18), "alarms": r.registers[20], "demand": d.bits[0], "available": d.bits[1],
            "enable": k.bits[0]}

def write_enable(port, on):
    c = ModbusTcpClient("127.0.0.1", port=port, timeout=2)
    c.connect()
    r = c.write_coil(0, on, device_id=5)
    c.close()
    return not r.isError()

p, port = serve(True)
first, fired = read_gas(port), None
t_end = time.time() + 40
while time.time() < t_end:
    g = read_gas(port)
    if g and g["state"] == 1 and g["output"] > 0: fired = g; break
    time.sleep(0.5)
check(f"pymodbus reads unit 5 (G1): {first}", first is not None and first["available"] == 1)
check(f"G1 fires in January beside 300 kW of wood, read while firing: {fired}",
      fired is not None and 20 <= fired["firing"] <= 100 and 30 < fired["water"] < 100 and 0.85 < fired["eff"] / 100 < 0.98
      and fired["demand"] and fired["starts"] >= 1)
time.sleep(3)
before = read_gas(port)
check(f"gas meter: HHV {before['hhv']} kWh = LHV {before['lhv']} / 0.9 (within the whole-kWh rounding)",
      before["hhv"] > 0 and abs(before["hhv"] - before["lhv"] / 0.9) <= 2)
# the operator takes G1 out of the sequence over Modbus (coil 0): it stops and is not asked
ok = write_enable(port, False)
time.sleep(2)
off = read_gas(port)
check(f"coil 0 (enable) written 0: G1 {off['state']:.0f}, demand {off['demand']}, enable {off['enable']}, alarms {off['alarms']}",
      ok and off["enable"] == 0 and off["state"] == 0 and not off["demand"] and off["alarms"] == 0)
write_enable(port, True)
def stop(p):
    t = time.time()
    p.send_signal(signal.SIGTERM)
    try: p.wait(120)
    except subprocess.TimeoutExpired:
        p.kill(); sys.exit(f"gas-boiler: serve did not stop within 120 s of SIGTERM: {open(os.path.join(work, 'serve.log')).read()[-2000:]}")
    print(f"     (serve stopped {time.time() - t:.1f} s after SIGTERM)", flush=True)
stop(p)
saved = json.load(open(state))
check(f"retentive memory keeps G1's counters: {saved.get('gasBoilers')}, its enable: {saved.get('parameters', {}).get('G1.enable')}",
      saved.get("gasBoilers") and saved["gasBoilers"][0]["starts"] >= before["starts"] and saved["parameters"].get("G1.enable") == 1)
p, port = serve(False)
after = read_gas(port)
stop(p)
check(f"after a restart: hours {before['hours']} → {after['hours']}, starts {before['starts']} → {after['starts']}, "
      f"HHV {before['hhv']} → {after['hhv']} kWh (never lower)",
      after["hours"] >= before["hours"] and after["starts"] >= before["starts"] and after["hhv"] >= before["hhv"])
con = sqlite3.connect(db)
tags = [r[0] for r in con.execute("SELECT name FROM tags WHERE name LIKE 'gas_boiler.G1.%' ORDER BY name")]
con.close()
check(f"the historian records G1: {tags}", "gas_boiler.G1.gas_energy_hhv" in tags and "gas_boiler.G1.output" in tags)

# the year's account on 30 January days, against the run's own gas counter
rdb = os.path.join(work, "run.db")
for f in (rdb, rdb + "-wal", rdb + "-shm"):
    if os.path.exists(f): os.remove(f)
run = json.loads(subprocess.run([binary, "run", scenario, "--duration", "30d", "--json", "--db", rdb], capture_output=True, text=True, check=True).stdout)
rep = json.loads(subprocess.run([binary, "report", rdb, "--json"], capture_output=True, text=True, check=True).stdout)
y = rep["perYear"]
# a January month is carried to a year by degree days: fuel follows the production
an = rep["annualisation"]
k = an["productionFactor"]
check(f"report: annualised by {an['basis']}, production ×{k:.2f} (by days ×{365 / 30:.2f})", an["basis"] == "degreeDays" and 3 < k < 365 / 30)
gas_lhv = run["gasBurnedMWhLHV"] * k
sold = y["soldMWh"]
check(f"report: gas {y['gasMWhLHV']:.2f} MWh LHV a year = run's {run['gasBurnedMWhLHV']:.3f} × {k:.3f}", abs(y["gasMWhLHV"] - gas_lhv) < 0.01 * max(1, gas_lhv))
gb = rep["energyBalanceMWh"]["gasBoilersOutput"]
check(f"report: the gas boilers' output {gb:.2f} MWh in the balance, of {rep['energyBalanceMWh']['boilerOutput']:.2f}", 0 < gb < rep["energyBalanceMWh"]["boilerOutput"])
html = os.path.join(work, "run.html")
subprocess.run([binary, "report", rdb, "--html", html], capture_output=True, text=True, check=True)
ldc = open(html, encoding="utf-8").read().split('id="load-duration"')[1].split("</figure>")[0]
check("report: the load duration curve shows the wood and the gas boilers' areas", '<polygon fill="#8fbc5a"' in ldc and '<polygon fill="#6baed6"' in ldc)
check(f"report: P1 gas {y['p1GasEUR']:.0f} € = {gas_lhv:.2f} / 0.9 × 85 €/MWh HHV", gas_lhv > 0 and abs(y["p1GasEUR"] - gas_lhv / 0.9 * 85) < 0.01 * y["p1GasEUR"])
check(f"report: full-load hours {y['fullLoadHours']:.0f} h = produced {y['producedMWh']:.0f} MWh / 600 kW installed (< 8,760)",
      abs(y["fullLoadHours"] - y["producedMWh"] * 1000 / 600) < 1 and y["fullLoadHours"] < 8760)
co2 = sold / 1.0 * 0.2635 - gas_lhv * 0.202
check(f"report: CO2 avoided {y['co2AvoidedT']:.1f} t = {sold:.1f} MWh × 0.2635 − {gas_lhv:.1f} MWh gas × 0.202", abs(y["co2AvoidedT"] - co2) < 0.01 * co2)
print(f"gas boiler: {len(failures)} failed")
sys.exit(1 if failures else 0)
