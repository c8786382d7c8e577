#!/usr/bin/env python3
"""Issue 14, items 2 and 3: a solar field and recovered heat in the report, end to end. The
reference plant with 300 m² of flat plates on its buffer and 150 kW of industrial waste heat at
85 °C on weekdays (06:00–22:00, 15 €/MWh) runs 14 June days at a 10 s step into a historian;
the report's balance closes with both, puts each in the balance and in the load duration curve,
prices the waste heat in P1 and counts it, with the sun, in the renewable and recovered share.

usage: sources.py CHAUFFERIE_BINARY WORKDIR
"""
import json, os, subprocess, sys

binary, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)
failures = []

def check(name, cond):
    print(f"{'ok  ' if cond else 'FAIL'} {name}", flush=True)
    if not cond: failures.append(name)

text = open("Scenarios/wangenbourg-trace1.yaml", encoding="utf-8").read()
for old, new in [("  stepSeconds: 1\n  scanSeconds: 1", "  stepSeconds: 10\n  scanSeconds: 10"),
                 ("  gasBoilers: []", "  gasBoilers: []\n  solarFields: [ { id: S1, kind: flatPlate, areaM2: 300, tiltDeg: 35 } ]\n"
                  "  recoveredHeat:\n    - { id: R1, kind: industrial, maxKW: 150, supplyC: 85, priceEURPerMWh: 15, "
                  "schedule: [ { days: Mon-Fri, from: \"06:00\", to: \"22:00\" } ] }")]:
    assert text.count(old) == 1, old
    text = text.replace(old, new)
scenario = os.path.join(work, "sun-and-waste-heat.yaml")
open(scenario, "w", encoding="utf-8").write(text)
db = os.path.join(work, "june.db")
for f in (db, db + "-wal", db + "-shm"):
    if os.path.exists(f): os.remove(f)
run = json.loads(subprocess.run([binary, "run", scenario, "--warm-up", "152d", "--duration", "14d", "--json", "--db", db],
                                capture_output=True, text=True, check=True).stdout)
sol, rec = run["solar"], run["recovered"]
check(f"run: solar {sol['heatMWh']:.2f} MWh ({sol['kWhPerM2']:.1f} kWh/m² in 14 days), recovered {rec['heatMWh']:.2f} MWh, "
      f"balance residual {run['energyBalance']['residualMWh']:.4f} MWh",
      sol["heatMWh"] > 0 and 0 < rec["heatMWh"] <= 0.150 * 16 * 10 + 1e-6 and abs(run["energyBalance"]["residualMWh"]) < 0.01)
rep = json.loads(subprocess.run([binary, "report", db, "--json"], capture_output=True, text=True, check=True).stdout)
eb = rep["energyBalanceMWh"]
check(f"report: solar {eb['solar']:.2f} and recovered {eb['recovered']:.2f} MWh in the balance (run {sol['heatMWh']:.2f}, {rec['heatMWh']:.2f}), "
      f"residual {eb['residual']:.4f}", abs(eb["solar"] - sol["heatMWh"]) < 0.01 * sol["heatMWh"] + 0.01
      and abs(eb["recovered"] - rec["heatMWh"]) < 0.01 * rec["heatMWh"] + 0.01 and abs(eb["residual"]) < 0.01)
y = rep["perYear"]
k = rep["annualisation"]["productionFactor"]
check(f"report: P1 recovered heat {y['p1RecoveredEUR']:.0f} € = {eb['recovered']:.2f} MWh × {k:.2f} × 15 €/MWh",
      abs(y["p1RecoveredEUR"] - eb["recovered"] * k * 15) < 0.01 * y["p1RecoveredEUR"] + 1)
html = os.path.join(work, "june.html")
subprocess.run([binary, "report", db, "--html", html], capture_output=True, text=True, check=True)
ldc = open(html, encoding="utf-8").read().split('id="load-duration"')[1].split("</figure>")[0]
check("report: the load duration curve shows the recovered heat, the sun and the wood", all(f'<polygon fill="{c}"' in ldc for c in ("#b07aa1", "#f2d04b", "#8fbc5a")))
print(f"sources: {len(failures)} failed")
sys.exit(1 if failures else 0)
