#!/usr/bin/env python3
"""Performance regression check (issue 13, must show 6), run by scripts/test after the tests.

Runs the reference scenario over the same January fortnight at the 1 s reference step and at
the fast step (10 s) in this one invocation, one after the other, and compares:
  - cost: the fast run's CPU time as a share of the 1 s run's (best of REPS each). A share more
    than 30 % above BASELINE_SHARE (measured on the project's machine, BENCHMARKS.md) fails: the
    fast path regressed against the reference measured in the same run, whatever the machine;
  - accuracy: heat delivered, produced, fuel, network losses and every building's heat within
    0.5 % of the 1 s run; energy balance residual under 0.01 % of the combustion heat;
  - determinism: two fast runs give byte-identical --json.
Usage: python3 scripts/perf-check.py [BINARY] [DAYS] [REPS]
"""
import json
import os
import resource
import subprocess
import sys

BIN = sys.argv[1] if len(sys.argv) > 1 else ".build/release/chaufferie"
DAYS = int(sys.argv[2]) if len(sys.argv) > 2 else 14
REPS = int(sys.argv[3]) if len(sys.argv) > 3 else 2
SCENARIO = "Scenarios/wangenbourg-trace1.yaml"
FAST_STEP = 10
# CPU share of the 10 s run against the 1 s run over 14 January days, release build, measured
# on the project's machine (BENCHMARKS.md, "Fast step"): scale-free, so a slower CI machine
# keeps it.
BASELINE_SHARE = 0.13
LIMIT = 1.30 * BASELINE_SHARE


def run(step):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([BIN, "run", SCENARIO, "--duration", f"{DAYS}d", "--step", str(step), "--json", "--no-record"],
                         check=True, capture_output=True, text=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, out


def main():
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    fails = []
    ref_cpu, fast_cpu, ref_out, fast_outs = [], [], None, []
    for _ in range(REPS):
        c, ref_out = run(1)
        ref_cpu.append(c)
        c, o = run(FAST_STEP)
        fast_cpu.append(c)
        fast_outs.append(o)
    share = min(fast_cpu) / min(ref_cpu)
    print(f"{DAYS} days: 1 s step {min(ref_cpu):.2f} s CPU, {FAST_STEP} s step {min(fast_cpu):.2f} s CPU "
          f"(best of {REPS}): share {share:.3f} = {1 / share:.1f}x faster; baseline {BASELINE_SHARE:.3f}, limit {LIMIT:.3f}")
    if share > LIMIT:
        fails.append(f"the {FAST_STEP} s step costs {share:.3f} of the 1 s run, more than 1.3 x the baseline {BASELINE_SHARE}")
    if len(set(fast_outs)) != 1:
        fails.append("two runs at the fast step differ")
    ref, fast = json.loads(ref_out), json.loads(fast_outs[0])
    rows = [("heat delivered", "heatDeliveredMWh"), ("heat produced", "heatProducedMWh"),
            ("fuel", "fuelBurnedMWhLHV"), ("network losses", "networkLossesMWh")]
    figures = [(name, ref[k], fast[k]) for name, k in rows]
    figures += [(b, ref["buildings"][b]["heatDeliveredMWh"], fast["buildings"][b]["heatDeliveredMWh"]) for b in ref["buildings"]]
    for name, a, b in figures:
        d = (b - a) / a * 100
        print(f"  {name:20s} {a:10.3f} {b:10.3f} MWh {d:+.3f} %")
        if abs(d) > 0.5:
            fails.append(f"{name} at {FAST_STEP} s is {d:+.3f} % off the 1 s run")
    for r, label in ((ref, "1 s"), (fast, f"{FAST_STEP} s")):
        e = r["energyBalance"]
        res = abs(e["residualMWh"]) / e["combustionHeatMWh"] * 100
        print(f"  balance residual at {label}: {res:.5f} % of the combustion heat")
        if res >= 0.01:
            fails.append(f"energy balance residual {res:.4f} % at {label}")
    for f in fails:
        print("FAIL -", f)
    if not fails:
        print("ok   - fast step within 0.5 % of the 1 s run, deterministic, cost within 1.3 x its baseline share")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
