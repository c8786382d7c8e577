#!/usr/bin/env python3
"""Writes Scenarios/zone-variant1-wood-gas.yaml: the urban development zone of issue 14's second
study, variant 1 (wood 800 + 700 kW with gas 2 × 6 MW), at full build.

What is the study's (issue 14): 36 substations of mixed use, one per building, connected in 7
yearly steps 2019–2025 (subscribed kW 2,508, 2,175, 2,877, 288, 287, 287, 288; sales MWh 4,581,
then +3,875, +5,596, then +532 a year), 2,200 m of trench, a 70 °C network, heating 10,156 MWh +
DHW 6,024 MWh, the boilers, fuel and electricity prices, the investment and its financing, P2, P3,
the connection fee per kW and the heat VAT.

What is not (the study gives no building list): each building's use, size and split of its
step's kW and MWh; the network's layout; emitters, curves and programmes; the tariff R1/R2. They
are chosen here, deterministically, and said in the file's comments. Run: python3
scripts/make-zone-scenario.py > Scenarios/zone-variant1-wood-gas.yaml

With the argument `variant2` it writes Scenarios/zone-variant2-heat-pump-gas.yaml: the same
network on a central heat pump with two aquifer doublets (COP 3.5) and the gas top-up."""

import math
import sys

VARIANT2 = len(sys.argv) > 1 and sys.argv[1] == "variant2"

# (plan year, kW of the step, MWh of the step, uses of its buildings: D dwellings, O offices,
# S shops, P public facilities)
STEPS = [
    (1, 2508, 4581, "DDDDOOSPDO"),
    (2, 2175, 3875, "DDDOOSPDD"),
    (3, 2877, 5596, "DDDDDOOOSSPDO"),
    (4, 288, 532, "D"),
    (5, 287, 532, "D"),
    (6, 287, 532, "D"),
    (7, 288, 532, "D"),
]
DHW_TOTAL_MWH = 6024
# relative full-load hours by use (dwellings run evenings and weekends and draw DHW) and sizes
FLH = {"D": 1.35, "O": 0.58, "S": 0.50, "P": 1.05}
SIZE = [1.0, 1.35, 0.75, 1.15, 0.9, 1.25, 0.8, 1.05, 0.95, 1.2, 0.85, 1.1, 0.7]
USE = {
    "D": dict(use="dwelling", name="Housing block", construction="medium", emitter="{ kind: radiators, supplyC: 60, returnC: 40 }",
              curve="{ slope: 1.48, displacementK: 0 }", comfortC=20, reducedC=17,
              schedule='[ { days: Mon-Sun, from: "06:00", to: "22:30" } ]', gains="{ occupiedWPerM2: 4, unoccupiedWPerM2: 2 }"),
    "O": dict(use="offices", name="Office building", construction="heavy", emitter="{ kind: radiators, supplyC: 60, returnC: 40 }",
              curve="{ slope: 1.48, displacementK: 0 }", comfortC=20, reducedC=16,
              schedule='[ { days: Mon-Fri, from: "07:30", to: "19:00" } ]', gains="{ occupiedWPerM2: 14, unoccupiedWPerM2: 1.5 }"),
    "S": dict(use="offices", name="Shops", construction="medium", emitter="{ kind: radiators, supplyC: 60, returnC: 40 }",
              curve="{ slope: 1.48, displacementK: 0 }", comfortC=19, reducedC=15,
              schedule='[ { days: Mon-Sat, from: "08:30", to: "20:00" } ]', gains="{ occupiedWPerM2: 12, unoccupiedWPerM2: 1 }"),
    "P": dict(use="school", name="Public facility (school, gym or nursery)", construction="medium",
              emitter="{ kind: floor, supplyC: 40, returnC: 30 }", curve="{ slope: 0.74, displacementK: 0 }", comfortC=20, reducedC=16,
              schedule='[ { days: Mon-Fri, from: "07:00", to: "18:30" } ]', gains="{ occupiedWPerM2: 10, unoccupiedWPerM2: 0.5 }"),
}
# DHW drawn per open day, kWh per litre heated from 10 °C to the tank's mean 60.5 °C
KWH_PER_LITRE = 1000 * 4.19 * 50.5 / 3600 / 1000

buildings = []
for year, kw, mwh, uses in STEPS:
    w = [SIZE[i % len(SIZE)] for i in range(len(uses))]
    kws = [kw * x / sum(w) for x in w]
    hours = [FLH[u] for u in uses]
    heat = [mwh * k * h / sum(a * b for a, b in zip(kws, hours)) for k, h in zip(kws, hours)]
    for i, u in enumerate(uses):
        buildings.append(dict(year=year, code=u, kw=kws[i], mwh=heat[i]))
# DHW: the dwellings and the public facilities with showers carry it, in proportion to their heat
dhw_holders = [b for b in buildings if b["code"] in "DP"]
share = DHW_TOTAL_MWH / sum(b["mwh"] for b in dhw_holders)
for b in buildings:
    b["dhw_mwh"] = b["mwh"] * share if b["code"] in "DP" else 0.0

# the network: a spine from the plant with one junction per connection step, each building on a
# service pipe from its step's junction; 2,200 m of trench in all
SPINE_M = [180, 160, 150, 140, 120, 110, 100]   # 960 m
service_m = (2200 - sum(SPINE_M)) / len(buildings)
DIAMETERS_MM = [21.7, 27.3, 36.0, 41.9, 53.1, 68.9, 80.9, 105.3, 130.0, 155.4, 204.9, 254.5, 303.9]

def diameter(load_kw):
    q = load_kw / (4.19 * 30) / 1000   # m³/s at 70/40
    for d in DIAMETERS_MM:
        dm = d / 1000
        if q / (math.pi * dm * dm / 4) <= 0.6 + 4 * dm:
            return d
    return DIAMETERS_MM[-1]

ids = []
for n, b in enumerate(buildings):
    b["id"] = f"b{n + 1:02d}"
pipes = []
for k, length in enumerate(SPINE_M):
    downstream = sum(b["kw"] for b in buildings if b["year"] >= k + 1)
    pipes.append((f"S{k + 1}", "plant" if k == 0 else f"J{k}", f"J{k + 1}", length, diameter(downstream)))
for b in buildings:
    pipes.append((f"P{b['id']}", f"J{b['year']}", b["id"], service_m, diameter(b["kw"])))

total_kw = sum(b["kw"] for b in buildings)
o = []
HEADER_V1 = """# An urban development zone's heat network (issue 14, the second study), variant 1: wood
# 800 + 700 kW with gas 2 × 6 MW, at full build (every building of the 2019–2025 steps connected)."""
HEADER_V2 = """# An urban development zone's heat network (issue 14, the second study), variant 2: a central
# heat pump on two aquifer doublets (COP 3.5) with gas 2 × 6 MW as top-up, at full build (every
# building of the 2019–2025 steps connected)."""
ROOM_V1 = """  boilers:
    - { id: B1, nominalKW: 800, waterVolumeM3: 1.9 }
    - { id: B2, nominalKW: 700, waterVolumeM3: 1.7 }
  gasBoilers:
    - { id: G1, nominalKW: 6000 }
    - { id: G2, nominalKW: 6000 }
  # 40 L per kW of wood boiler
  buffer: { volumeM3: 60, heightM: 6.5, layers: 12, lossKWPerK: 0.05 }
  fuel: { name: "C2 medium forest chips", bulkDensityTPerM3: 0.26, lhvMWhPerT: 2.96, moisture: 0.30, ash: 0.01 }
  silo:
    grossVolumeM3: 700
    reservePercent: 15
    fillToM3: 560
    initialM3: 560
    orderBelowM3: 300
    leadTimeHours: 48
    truckVolumeM3: 90
    tippingMinutes: 30"""
# Variant 2: two doublets of 100 m³/h each at 13.5 °C, reinjected at most 6.5 K colder: 1.49 MW
# from the aquifer; at COP 3.5 the condenser gives 1.49 / (1 − 1 / 3.5) = 2.08 MW (the study's
# ≈ 1.5 MW on the cold side). Wells' pumps: 100 m of head (lift, drawdown, reinjection).
ROOM_V2 = """  heatPumps:
    - id: HP1
      nominalKW: 2075
      designCOP: 3.5
      designLeavingC: 70
      maxLeavingC: 75
      source: { aquifer: { doublets: 2, flowM3PerHPerDoublet: 100, temperatureC: 13.5, maxCoolingK: 6.5, pumpHeadM: 100 } }
  gasBoilers:
    - { id: G1, nominalKW: 6000 }
    - { id: G2, nominalKW: 6000 }
  # the heat pump's buffer: 50 L per kW, so that its minimum capacity (30 %) runs its 20 min in summer
  buffer: { volumeM3: 100, heightM: 8, layers: 12, lossKWPerK: 0.06 }"""
o.append((HEADER_V2 if VARIANT2 else HEADER_V1) + f"""
# Written by scripts/make-zone-scenario.py. The study's: 36 substations connected in 7 yearly
# steps (each building's `connectYear`), {sum(b['kw'] for b in buildings):.0f} kW subscribed,
# {sum(b['mwh'] for b in buildings):.0f} MWh sold a year (heating 10,156 + DHW 6,024), 2,200 m of trench,
# a 70 °C network, the boilers, fuel, electricity, investment, financing, P2, P3, connection fee
# and heat VAT. Chosen here (the study lists no buildings): each building's use, size and share of
# its step's kW and MWh, the DHW carried by the dwellings and public facilities, the network's
# layout, emitters (radiators 60/40, floors 40/30), curves and programmes, and the tariff.
name: {"Urban development zone, variant 2 (aquifer heat pump 2.08 MW + gas 12 MW)" if VARIANT2 else "Urban development zone, variant 1 (wood 1.5 MW + gas 12 MW)"}
start: 2025-01-01
seed: 1
simulation:
  stepSeconds: 1
  scanSeconds: 1

site:
  designOutdoorC: -7
  groundC: 12
  heatingDegreeDays: 2400
  # Paris-Orly normals (Météo-France 1991–2020), rounded
  monthlyMeanC: [4.7, 5.4, 8.5, 11.3, 14.9, 18.1, 20.3, 20.0, 16.5, 12.6, 8.0, 5.2]
  diurnalHalfSwingK: [2.5, 3.0, 3.8, 4.5, 4.8, 5.0, 5.2, 5.0, 4.6, 3.8, 2.8, 2.4]
  anomalySigmaK: 2.8
  coldSpell: {{ dayOfYear: 22, days: 5 }}

boilerRoom:
  roomC: 15
{ROOM_V2 if VARIANT2 else ROOM_V1}
  supplyLaw: {{ coldOutdoorC: -7, coldSupplyC: 70, mildOutdoorC: 15, mildSupplyC: 70 }}
  differentialSetpointKPa: 60
  boilerMinReturnC: 55
  cascade: {{ stageUpDelayMinutes: 10, stageDownDelayMinutes: 30, minOnMinutes: 90, minOffMinutes: 10 }}

network:
  pump: {{ designFlowM3PerH: {total_kw / (1.163 * 30):.0f}, designHeadKPa: 180 }}
  endBypass: {{ kvM3PerH: 0.2, closedAboveC: 60 }}
  pipes:""")
for pid, a, b, length, d in pipes:
    o.append(f"    - {{ id: {pid}, from: {a}, to: {b}, lengthM: {length:.1f}, innerDiameterMM: {d}, lossWPerMK: {0.13 + 1.1 * d / 1000:.3f} }}")
o.append("\nbuildings:")
for b in buildings:
    u = USE[b["code"]]
    o.append(f"""  - id: {b['id']}
    name: {u['name']} {b['id']} ({2018 + b['year']})
    use: {u['use']}
    connectYear: {b['year']}
    designLoadKW: {b['kw']:.0f}
    annualHeatMWh: {b['mwh']:.0f}
    floorAreaM2: {b['kw'] * 16:.0f}
    construction: {u['construction']}
    node: {b['id']}
    emitter: {u['emitter']}
    curve: {u['curve']}
    comfortC: {u['comfortC']}
    reducedC: {u['reducedC']}
    schedule: {u['schedule']}
    gains: {u['gains']}""")
    if b["dhw_mwh"] > 0:
        litres = b["dhw_mwh"] * 1000 / 365 / KWH_PER_LITRE * 0.98
        # disinfections staggered over 22:00–05:45, a quarter of an hour apart
        hour = (22 + 0.25 * (len([x for x in buildings[:buildings.index(b)] if x["dhw_mwh"] > 0]))) % 24
        o.append(f"    dhw: {{ litresPerDay: {litres:.0f}, profile: residential, tankM3: {min(50, max(0.5, litres / 1000 * 0.6)):.1f}, disinfectionHour: {hour:g} }}")
ECONOMICS = """
# The study's economic inputs (€ excl. VAT). The investment's split between the 2021 extensions
# (financed over 22 years) and the rest (from 2019 over 24 years) is the study's rule; the amount
# of the extensions is not given: taken here as the network and substations in proportion to the
# kW connected in 2021 (2,877 of 8,710).
economics:
  firstYear: 2019
  horizonYears: 24
  investmentProcessEUR: 2254000
  investmentNetworkEUR: 1653400
  investmentSubstationsEUR: 498300
  investmentNetwork2021EUR: 815600
  investmentNetwork2021Year: 3
  investmentNetwork2021LoanYears: 22
  investmentSubstations2021EUR: 245700
  investmentSubstations2021Year: 3
  investmentSubstations2021LoanYears: 22
  loanRatePercent: 6
  loanYears: 24
  fuelPriceEURPerMWh: 23
  fuelVATPercent: 10
  # 25 € per MWh LHV = 22.5 € per MWh HHV (LHV/HHV 0.9)
  gasEURPerMWhHHV: 22.5
  electricityEURPerMWh: 85
  p2MaintenanceEURPerYear: 70000
  p2MaintenanceFromYear3EUR: 109000
  p3RenewalEURPerYear: 35000
  p3RenewalFromYear3EUR: 55000
  connectionFeeEURPerKW: 120
  heatVATPercent: 5.5
  # Not given here by the study: an assumed tariff (R1 near the fuel's cost per MWh sold, R2 near
  # the fixed costs per kW), incl. VAT
  r1EURPerMWhInclVAT: 32
  r2EURPerKWInclVAT: 95
  # the reference the zone's buildings would otherwise have: individual gas boilers, 90 % on LHV
  fossilEfficiencyPercent: 90
  fossilCO2TPerMWh: 0.202
  fossilSO2KgPerMWh: 0
"""
o.append("""
# The study's economic inputs of variant 2 (its investment in the heat pump, the wells and their
# permits, and its P2 and P3) are not among the figures this project was given: no economics
# section, and `report` of a run of this variant says so. The run's energy and electricity stand.
""" if VARIANT2 else ECONOMICS)
o.append("""reference:
  heatDeliveredMWh: 16180
  heatProducedMWh: 17397
  connectedKW: 8710
  heatingDegreeDays: 2400
  designOutdoorC: -7

modbus:
  units:
    - { unit: 1, profile: plant-controller, device: plant }""" + ("""
    - { unit: 2, profile: heat-pump, device: HP1 }""" if VARIANT2 else """
    - { unit: 2, profile: wood-chip-boiler, device: B1 }
    - { unit: 3, profile: wood-chip-boiler, device: B2 }""") + """
    - { unit: 4, profile: gas-boiler, device: G1 }
    - { unit: 5, profile: gas-boiler, device: G2 }""")
for n, b in enumerate(buildings):
    o.append(f"    - {{ unit: {10 + 2 * n}, profile: substation-controller, device: {b['id']} }}")
    o.append(f"    - {{ unit: {11 + 2 * n}, profile: heat-meter, device: {b['id']}.meter }}")
print("\n".join(o))
