import Foundation
import YAMLFile
import PlantModel
import PlantControl

/// The boiler room's sources other than its boilers (heat pumps, solar fields, recovered heat),
/// the cascade's settings, and the weekly periods programmes share.
extension ScenarioLoader {
    /// A list of weekly periods (`days`, `from`, `to`): a building's programme, a source's availability.
    static func weeklyPeriods(_ n: YNode) throws -> [WeeklySchedule.Period] {
        try n.list().map { p in
            let pm = try p.map(allowed: ["days", "from", "to"])
            let from = try hour(pm.required("from")), to = try hour(pm.required("to"))
            if to <= from { throw try pm.required("to").fail("must be after 'from'") }
            return .init(weekdays: try weekdays(pm.required("days")), fromHour: from, toHour: to)
        }
    }

    static let recoveredHeatKeys = ["id", "kind", "maxKW", "supplyC", "electricPerHeat", "schedule", "priceEURPerMWh"]

    /// Recovered heat: its kind, power, temperature, price and weekly availability (the same
    /// periods as a building's programme).
    static func recoveredHeat(_ n: YNode) throws -> RecoveredHeatSpec {
        let m = try n.map(allowed: recoveredHeatKeys)
        let kn = try m.required("kind")
        guard let kind = RecoveredHeat.Kind(rawValue: try kn.asString()) else {
            throw kn.fail("kind is \(RecoveredHeat.Kind.allCases.map(\.rawValue).joined(separator: " or ")), not '\(try kn.asString())'")
        }
        var e = 0.0
        if let en = m.optional("electricPerHeat") {
            guard kind == .chp else { throw en.fail("electricPerHeat is a CHP's (its electrical over its thermal efficiency)") }
            e = try en.asDouble(0.1...2)
        } else if kind == .chp { throw try m.required("electricPerHeat").fail("a CHP states its electricity per kWh of heat") }
        let periods = try weeklyPeriods(m.required("schedule"))
        return RecoveredHeatSpec(id: try m.string("id"), kind: kind, maxKW: try m.double("maxKW", 10...100_000, unit: "kW"),
                                 supplyC: try m.double("supplyC", 40...130, unit: "°C"), electricPerHeat: e,
                                 schedule: WeeklySchedule(periods: periods), priceEURPerMWh: try m.double("priceEURPerMWh", 0...500, unit: "€/MWh"))
    }

    static let solarFieldKeys = ["id", "kind", "areaM2", "tiltDeg", "latitudeDeg", "longitudeDeg", "clearSkyShare"]
    /// The Paris region's sky by month: global horizontal irradiation over Haurwitz's clear sky,
    /// chosen so that the year gives about 1,140 kWh/m² (the order of the Paris region's
    /// measured global horizontal irradiation).
    static let parisClearSkyShare = [0.57, 0.62, 0.63, 0.65, 0.61, 0.61, 0.64, 0.64, 0.67, 0.64, 0.60, 0.58]

    static func solarField(_ n: YNode) throws -> SolarFieldSpec {
        let m = try n.map(allowed: solarFieldKeys)
        let kn = try m.required("kind")
        guard let kind = SolarField.Kind(rawValue: try kn.asString()) else {
            throw kn.fail("kind is \(SolarField.Kind.allCases.map(\.rawValue).joined(separator: " or ")), not '\(try kn.asString())'")
        }
        var share = parisClearSkyShare
        if let c = m.optional("clearSkyShare") { share = try c.asDoubles(count: 12, 0.1...1) }
        return SolarFieldSpec(id: try m.string("id"), kind: kind, areaM2: try m.double("areaM2", 10...200_000, unit: "m²"),
                              tiltDeg: try m.double("tiltDeg", default: 35, 0...90, unit: "°"),
                              latitudeDeg: try m.double("latitudeDeg", default: 48.8, -70...70, unit: "°"),
                              longitudeDeg: try m.double("longitudeDeg", default: 2.35, -180...180, unit: "°"), clearSkyShare: share)
    }

    static func cascade(_ c: YNode, into control: inout PlantControlSettings) throws {
        let cm = try c.map(allowed: ["stageUpDelayMinutes", "stageDownDelayMinutes", "minOnMinutes", "minOffMinutes", "emberRestartMinutes"])
        control.cascade.stageUpDelayS = try cm.double("stageUpDelayMinutes", default: 10, 0...240, unit: "min") * 60
        control.cascade.stageDownDelayS = try cm.double("stageDownDelayMinutes", default: 15, 0...240, unit: "min") * 60
        control.cascade.minOnS = try cm.double("minOnMinutes", default: 30, 0...600, unit: "min") * 60
        control.cascade.minOffS = try cm.double("minOffMinutes", default: 10, 0...600, unit: "min") * 60
        // below the boilers' 4 h of ember keeping, or it would never act (0 turns it off)
        control.cascade.emberRestartS = try cm.double("emberRestartMinutes", default: 210, 0...235, unit: "min") * 60
    }

    static let heatPumpKeys = ["id", "nominalKW", "designCOP", "designLeavingC", "maxLeavingC", "minModulation", "source"]

    /// A heat pump and its source. The design must hold together: the source carries the
    /// evaporator's heat at design within its cooling limit, and the design COP is a fraction of
    /// the Carnot COP that real machines reach (at most 0.8; large heat pumps 0.45–0.65).
    static func heatPump(_ n: YNode) throws -> HeatPumpSpec {
        let m = try n.map(allowed: heatPumpKeys)
        let id = try m.string("id")
        let nominal = try m.double("nominalKW", 50...50000, unit: "kW")
        let cop = try m.double("designCOP", 1.5...8)
        let leaving = try m.double("designLeavingC", 30...95, unit: "°C")
        let maxLeaving = try m.double("maxLeavingC", default: leaving + 5, leaving...98, unit: "°C")
        let minMod = try m.double("minModulation", default: 0.3, 0.1...1)
        let sn = try m.required("source")
        let sm = try sn.map(allowed: ["aquifer", "wastewater"])
        let source: HeatSource
        if let a = sm.optional("aquifer") {
            let am = try a.map(allowed: ["doublets", "flowM3PerHPerDoublet", "temperatureC", "maxCoolingK", "pumpHeadM"])
            let doublets = try am.int("doublets", 1...20)
            let q = try am.double("flowM3PerHPerDoublet", 5...500, unit: "m³/h")
            source = HeatSource(kind: .aquifer, designKgPerS: Double(doublets) * Water.massFlowKgPerS(flowM3PerH: q),
                                maxCoolingK: try am.double("maxCoolingK", 1...15, unit: "K"), meanC: try am.double("temperatureC", 5...90, unit: "°C"),
                                pumpHeadM: try am.double("pumpHeadM", default: 100, 5...1000, unit: "m"))
        } else if let w = sm.optional("wastewater") {
            let wm = try w.map(allowed: ["flowLPerS", "meanC", "amplitudeK", "warmestDay", "maxCoolingK", "pumpHeadM"])
            let lps = try wm.double("flowLPerS", 15...5000, unit: "L/s")
            source = HeatSource(kind: .wastewater, designKgPerS: Water.massFlowKgPerS(flowM3PerH: lps * 3.6),
                                maxCoolingK: try wm.double("maxCoolingK", 1...10, unit: "K"), meanC: try wm.double("meanC", 5...30, unit: "°C"),
                                amplitudeK: try wm.double("amplitudeK", default: 4, 0...10, unit: "K"), warmestDay: try wm.int("warmestDay", default: 213, 1...365),
                                pumpHeadM: try wm.double("pumpHeadM", default: 15, 1...200, unit: "m"))
        } else { throw sn.fail("give aquifer or wastewater") }
        let hp = HeatPump(nominalKW: nominal, designCOP: cop, designLeavingC: leaving, maxLeavingC: maxLeaving, source: source, initialC: 20)
        if !(hp.carnotFraction <= 0.8) {
            throw try m.required("designCOP").fail("COP \(cop) is \(String(format: "%.2f", hp.carnotFraction)) of the Carnot COP at these temperatures; real heat pumps reach 0.45–0.65, at most 0.8")
        }
        if hp.designCoolingK > source.maxCoolingK * 1.001 {
            let can = source.designKgPerS * Water.cpKJPerKgK * source.maxCoolingK
            throw try m.required("nominalKW").fail("\(Int(nominal)) kW at COP \(cop) takes \(Int(hp.designSourceKW)) kW from the source, \(String(format: "%.1f", hp.designCoolingK)) K of cooling; the source gives \(Int(can)) kW within its \(source.maxCoolingK) K")
        }
        if source.meanC - source.amplitudeK - hp.designCoolingK - HeatPump.approachK < HeatPump.minEvaporatingC {
            throw sn.fail("the source, cooled by \(String(format: "%.1f", hp.designCoolingK)) K at design, would evaporate under \(HeatPump.minEvaporatingC) °C at its coldest: the evaporator would freeze")
        }
        return HeatPumpSpec(id: id, nominalKW: nominal, designCOP: cop, designLeavingC: leaving, maxLeavingC: maxLeaving, minModulation: minMod, source: source)
    }
}
