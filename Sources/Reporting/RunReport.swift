import SimulationCore
import Foundation
import PlantModel
import Scenario

/// The energy balance of a run, in the form `chaufferie run` prints it.
public struct RunReport: Sendable {
    public struct BuildingFigure: Sendable { public let id: String; public let heatDeliveredMWh: Double; public let referenceMWh: Double }
    public struct BoilerFigure: Sendable {
        public let id: String
        public let runHours: Double, starts: Int, heatMWh: Double, fullLoadHours: Double
    }
    public let scenario: String
    public let seed: UInt64
    public let durationDays: Double
    public let weatherSource: String
    public let heatingDegreeDays: Double
    public let minOutdoorC: Double
    public let buildings: [BuildingFigure]
    /// Heat delivered as the substations' heat meters count it, MWh.
    public let heatDeliveredMWh: Double
    /// Heat taken from the network by the substations (physics), MWh.
    public let heatDeliveredPhysicsMWh: Double
    public let networkLossesMWh: Double
    /// Heat the plant sent into the network (the plant's own heat meter), MWh: the study's
    /// "heat produced" (= delivered + network losses).
    public let heatProducedMWh: Double
    /// Heat the boilers passed to the buffer and hydraulics, MWh (differs from the above by the
    /// buffer's losses and the change of its charge).
    public let boilerOutputMWh: Double
    public let fuelBurnedMWhLHV: Double
    public let fuelBurnedM3: Double
    public let fuelBurnedT: Double
    public let gasBurnedMWhLHV: Double
    public let combustionHeatMWh: Double
    /// Heat pumps: condenser heat (source heat + compressor power), the source's part, their
    /// electricity (compressors and source pumps), and what they passed to the loop, MWh.
    public let heatPumpHeatMWh: Double, heatPumpSourceMWh: Double, heatPumpElectricityMWh: Double, heatPumpOutputMWh: Double
    /// Seasonal performance factor of the heat pumps: heat to the loop over electricity (0 without).
    public var heatPumpSPF: Double { heatPumpElectricityMWh > 0 ? heatPumpOutputMWh / heatPumpElectricityMWh : 0 }
    public let hasHeatPumps: Bool
    /// Solar fields: heat given to the buffer, irradiation on their aperture, MWh (0 without).
    public let solarMWh: Double, solarIrradiationMWh: Double, solarAreaM2: Double
    /// Recovered heat taken and a CHP's electricity generated, MWh (0 without).
    public let recoveredMWh: Double, recoveredElectricityMWh: Double, hasRecovered: Bool
    public let bufferLossesMWh: Double
    public let boilerShellLossesMWh: Double
    /// Heat spent warming make-up water (what leaks cost), MWh.
    public let makeUpHeatMWh: Double
    public let storedHeatChangeMWh: Double
    public let seasonalEfficiency: Double
    public let boilers: [BoilerFigure]
    public let fullLoadHours: Double
    public let trucks: Int
    public let siloLevelEndM3: Double
    public let ashKg: Double
    public let electricityMWh: Double
    public let peakHourlyProductionKW: Double
    public let peakHourlyBoilerOutputKW: Double
    /// Mean production (heat sent into the network) per 6-hour slot (0–6, 6–12, 12–18, 18–24 h), weekdays and weekends, kW.
    public let weekdaySlotsKW: [Double]
    public let weekendSlotsKW: [Double]
    /// The buildings' loss at the design outdoor temperature by their calibrated heat-loss
    /// coefficients (what the annual heat implies), and the sum of the study's design loads, kW.
    public let calibratedDesignLossKW: Double
    public let studyDesignLoadKW: Double
    /// Closure of the balance: combustion − (delivered + losses + Δstored), MWh, and relative.
    public let balanceResidualMWh: Double
    public let reference: ReferenceFigures
    /// Alarms expected by the scenario's events beside those raised.
    public let alarms: AlarmExpectations

    public init(_ sim: Simulation) {
        var loss = 0.0
        for (c, b) in zip(sim.calibrations, sim.spec.buildings) { loss += c.heatLossKWPerK * (b.heating.comfortRoomC - sim.spec.site.designOutdoorC) }
        calibratedDesignLossKW = loss
        studyDesignLoadKW = sim.spec.buildings.reduce(0) { $0 + $1.designLoadKW }
        let st = sim.statistics
        let p = sim.plant
        let e = p.energy, e0 = st.startEnergy
        let spec = sim.spec
        scenario = spec.name
        durationDays = (p.timeS - st.startTimeS) / 86400
        weatherSource = sim.weather.source
        seed = spec.seed
        let dailyCount = st.hourlyOutdoorC.count / 24
        var hdd = 0.0
        for d in 0..<dailyCount {
            let mean = st.hourlyOutdoorC[(d * 24)..<(d * 24 + 24)].reduce(0, +) / 24
            hdd += max(0, 18 - mean)
        }
        heatingDegreeDays = hdd
        minOutdoorC = st.hourlyOutdoorC.min() ?? 0
        buildings = p.substations.enumerated().map { i, s in
            BuildingFigure(id: s.id, heatDeliveredMWh: (s.meter.energyKWh - st.startMeterKWh[i]) / 1000,
                           referenceMWh: spec.buildings[i].annualHeatMWh * durationDaysFraction(p.timeS - st.startTimeS))
        }
        heatDeliveredMWh = buildings.reduce(0) { $0 + $1.heatDeliveredMWh }
        heatDeliveredPhysicsMWh = (e.deliveredKWh - e0.deliveredKWh) / 1000
        networkLossesMWh = (e.networkLossKWh - e0.networkLossKWh) / 1000
        boilerOutputMWh = (e.producedKWh - e0.producedKWh) / 1000
        heatProducedMWh = (e.networkOutputKWh - e0.networkOutputKWh) / 1000
        fuelBurnedMWhLHV = (e.woodFuelKWh - e0.woodFuelKWh) / 1000
        gasBurnedMWhLHV = (e.gasFuelKWh - e0.gasFuelKWh) / 1000
        fuelBurnedM3 = fuelBurnedMWhLHV * 1000 / p.silo.fuel.kWhPerM3
        fuelBurnedT = fuelBurnedM3 * p.silo.fuel.bulkDensityTPerM3
        combustionHeatMWh = (e.combustionKWh - e0.combustionKWh) / 1000
        heatPumpHeatMWh = (e.heatPumpKWh - e0.heatPumpKWh) / 1000
        heatPumpSourceMWh = (e.heatPumpSourceKWh - e0.heatPumpSourceKWh) / 1000
        heatPumpElectricityMWh = (e.heatPumpElectricityKWh - e0.heatPumpElectricityKWh) / 1000
        heatPumpOutputMWh = (e.heatPumpProducedKWh - e0.heatPumpProducedKWh) / 1000
        hasHeatPumps = !p.heatPumps.isEmpty
        solarMWh = (e.solarKWh - e0.solarKWh) / 1000
        recoveredMWh = (e.recoveredKWh - e0.recoveredKWh) / 1000
        recoveredElectricityMWh = (e.recoveredElectricityKWh - e0.recoveredElectricityKWh) / 1000
        hasRecovered = !p.recovered.isEmpty
        solarAreaM2 = p.solarFields.reduce(0) { $0 + $1.areaM2 }
        solarIrradiationMWh = p.solarFields.reduce(0) { $0 + $1.irradiationKWh } / 1000 - st.startSolarIrradiationKWh / 1000
        bufferLossesMWh = (e.bufferLossKWh - e0.bufferLossKWh) / 1000
        boilerShellLossesMWh = (e.shellLossKWh - e0.shellLossKWh) / 1000
        makeUpHeatMWh = (e.makeUpHeatKWh - e0.makeUpHeatKWh) / 1000
        storedHeatChangeMWh = (p.storedKJ - st.startStoredKJ) / 3.6e6
        // the boilers' own: what the heat pumps passed is not from fuel
        seasonalEfficiency = fuelBurnedMWhLHV + gasBurnedMWhLHV > 0 ? (boilerOutputMWh - heatPumpOutputMWh - solarMWh - recoveredMWh) / (fuelBurnedMWhLHV + gasBurnedMWhLHV) : 0
        boilers = p.boilers.enumerated().map { i, b in
            BoilerFigure(id: spec.boilerRoom.boilers[i].id, runHours: b.runHours - st.startBoilerRunHours[i],
                         starts: b.starts - st.startBoilerStarts[i], heatMWh: st.boilerHeatKWh[i] / 1000,
                         fullLoadHours: st.boilerHeatKWh[i] / b.spec.nominalKW)
        }
        let installed = p.boilers.reduce(0) { $0 + $1.spec.nominalKW } + p.gasBoilers.reduce(0) { $0 + $1.nominalKW } + p.heatPumps.reduce(0) { $0 + $1.nominalKW }
        fullLoadHours = heatProducedMWh * 1000 / installed
        trucks = p.silo.trucksDelivered - st.startTrucks
        siloLevelEndM3 = p.silo.levelM3
        ashKg = p.boilers.reduce(0) { $0 + $1.ashKg }
        electricityMWh = (e.auxiliaryElectricityKWh - e0.auxiliaryElectricityKWh + e.pumpElectricityKWh - e0.pumpElectricityKWh) / 1000
        peakHourlyProductionKW = st.hourlyNetworkOutputKW.max() ?? 0
        peakHourlyBoilerOutputKW = st.hourlyProductionKW.max() ?? 0
        var wd = [Double](repeating: 0, count: 4), we = wd, nwd = wd, nwe = wd
        for (h, kw) in st.hourlyNetworkOutputKW.enumerated() {
            let slot = (h % 24) / 6
            if st.hourIsWeekend[h] { we[slot] += kw; nwe[slot] += 1 } else { wd[slot] += kw; nwd[slot] += 1 }
        }
        weekdaySlotsKW = (0..<4).map { nwd[$0] > 0 ? wd[$0] / nwd[$0] : 0 }
        weekendSlotsKW = (0..<4).map { nwe[$0] > 0 ? we[$0] / nwe[$0] : 0 }
        balanceResidualMWh = combustionHeatMWh + heatPumpHeatMWh + solarMWh + recoveredMWh - (heatDeliveredPhysicsMWh + networkLossesMWh + bufferLossesMWh + boilerShellLossesMWh + makeUpHeatMWh + storedHeatChangeMWh)
        reference = spec.reference
        alarms = AlarmExpectations(sim, fromS: st.startTimeS)
        func durationDaysFraction(_ t: Double) -> Double { min(1, t / (365 * 86400)) }
    }

    /// The object `run --json` prints. Keys sorted, numbers rounded to a fixed precision, so the
    /// same run gives the same bytes.
    public var json: [String: Any] {
        func r(_ v: Double, _ d: Int = 3) -> Double { let f = pow(10, Double(d)); return (v * f).rounded() / f }
        var b: [String: Any] = [:]
        for x in buildings { b[x.id] = ["heatDeliveredMWh": r(x.heatDeliveredMWh), "referenceMWh": r(x.referenceMWh)] }
        var ref: [String: Any] = [:]
        for (k, v) in reference.values { ref[k] = v }
        if let w = reference.weekdaySlotsKW { ref["weekdaySlotsKW"] = w }
        if let w = reference.weekendSlotsKW { ref["weekendSlotsKW"] = w }
        var extra: [String: Any] = [:]
        if hasRecovered {
            extra["recovered"] = ["heatMWh": r(recoveredMWh), "chpElectricityMWh": r(recoveredElectricityMWh),
                                  "shareOfProduction": r(boilerOutputMWh > 0 ? recoveredMWh / boilerOutputMWh : 0, 4)]
        }
        if solarAreaM2 > 0 {
            extra["solar"] = ["heatMWh": r(solarMWh), "irradiationMWh": r(solarIrradiationMWh), "areaM2": r(solarAreaM2, 0),
                              "kWhPerM2": r(solarMWh * 1000 / solarAreaM2, 1), "shareOfProduction": r(boilerOutputMWh > 0 ? solarMWh / boilerOutputMWh : 0, 4)]
        }
        if hasHeatPumps {
            extra["heatPumps"] = ["condenserHeatMWh": r(heatPumpHeatMWh), "sourceHeatMWh": r(heatPumpSourceMWh),
                                  "electricityMWh": r(heatPumpElectricityMWh), "outputMWh": r(heatPumpOutputMWh), "spf": r(heatPumpSPF, 3),
                                  "shareOfProduction": r(boilerOutputMWh > 0 ? heatPumpOutputMWh / boilerOutputMWh : 0, 4)]
        }
        return extra.merging([
            "scenario": scenario, "seed": Int(seed), "durationDays": r(durationDays), "weather": weatherSource,
            "heatingDegreeDays": r(heatingDegreeDays, 1), "minOutdoorC": r(minOutdoorC, 2),
            "heatDeliveredMWh": r(heatDeliveredMWh), "heatDeliveredPhysicsMWh": r(heatDeliveredPhysicsMWh),
            "networkLossesMWh": r(networkLossesMWh), "networkLossesPercent": r(pct(networkLossesMWh, heatProducedMWh), 2),
            "heatProducedMWh": r(heatProducedMWh), "boilerOutputMWh": r(boilerOutputMWh),
            "fuelBurnedMWhLHV": r(fuelBurnedMWhLHV), "fuelBurnedM3": r(fuelBurnedM3, 1), "fuelBurnedT": r(fuelBurnedT, 2),
            "gasBurnedMWhLHV": r(gasBurnedMWhLHV), "gasBurnedMWhHHV": r(gasBurnedMWhLHV / GasBoiler.lhvToHhv),
            "seasonalEfficiency": r(seasonalEfficiency, 4),
            "boilers": boilers.map { ["id": $0.id, "runHours": r($0.runHours, 1), "starts": $0.starts, "heatMWh": r($0.heatMWh),
                                      "fullLoadHours": r($0.fullLoadHours, 1)] as [String: Any] },
            "fullLoadHours": r(fullLoadHours, 1), "trucks": trucks, "siloLevelEndM3": r(siloLevelEndM3, 1),
            "ashKg": r(ashKg, 1), "electricityMWh": r(electricityMWh),
            "peakHourlyProductionKW": r(peakHourlyProductionKW, 1), "peakHourlyBoilerOutputKW": r(peakHourlyBoilerOutputKW, 1),
            "weekdaySlotsKW": weekdaySlotsKW.map { r($0, 1) }, "weekendSlotsKW": weekendSlotsKW.map { r($0, 1) },
            "energyBalance": ["combustionHeatMWh": r(combustionHeatMWh), "deliveredMWh": r(heatDeliveredPhysicsMWh),
                              "networkLossesMWh": r(networkLossesMWh), "bufferLossesMWh": r(bufferLossesMWh),
                              "boilerShellLossesMWh": r(boilerShellLossesMWh), "makeUpHeatMWh": r(makeUpHeatMWh), "storedHeatChangeMWh": r(storedHeatChangeMWh),
                              "residualMWh": r(balanceResidualMWh, 6)],
            "buildings": b, "reference": ref,
            "alarms": ["expected": alarms.expected, "raised": alarms.raised, "missed": alarms.missed,
                       "checks": alarms.rows.map { ["id": $0.id, "eventAtS": $0.eventAtS, "deadlineS": $0.deadlineS,
                                                    "raisedAtS": $0.raisedAtS.map { $0 as Any } ?? NSNull()] as [String: Any] }],
        ]) { a, _ in a }
    }

    /// `extra` adds keys (an exercise's score).
    public func jsonText(adding extra: [String: Any] = [:]) throws -> String {
        let d = try JSONSerialization.data(withJSONObject: json.merging(extra) { $1 }, options: [.sortedKeys, .prettyPrinted])
        return String(decoding: d, as: UTF8.self)
    }

    func pct(_ a: Double, _ b: Double) -> Double { b > 0 ? a / b * 100 : 0 }
}
