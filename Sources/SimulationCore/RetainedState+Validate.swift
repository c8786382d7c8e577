import Foundation
import PlantControl
import PlantModel

extension RetainedState {
    /// Most heat a boiler room's signed flows may stand under zero, kWh (see `validate`).
    static let largestTakenKWh = 10_000.0
    /// Every value checked against what the plant can hold, before anything is restored: a state
    /// file edited by hand or damaged is refused naming the field, never trapped on or taken.
    /// The ranges of the parameters are those their Modbus entries accept.
    func validate(file: String, sim: Simulation) throws {
        func bad(_ field: String, _ why: String) -> RetainedStateError { RetainedStateError(file: file, field: "\(field)", message: "\(why)") }
        func check(_ field: String, _ v: Double, _ range: ClosedRange<Double>) throws {
            guard v.isFinite, range.contains(v) else { throw bad(field, "\(v) is outside \(range.lowerBound)…\(range.upperBound)") }
        }
        func count(_ field: String, _ v: Int, _ range: ClosedRange<Int>) throws {
            guard range.contains(v) else { throw bad(field, "\(v) is outside \(range.lowerBound)…\(range.upperBound)") }
        }
        guard version == 1 || version == 2 else { throw bad("version", "version \(version) is not one this daemon reads (1, 2)") }
        if version == 2, parameters == nil { throw bad("parameters", "missing") }
        let counterMax = 1e12   // kWh, h, m³, kg: far beyond any plant's lifetime
        try check("timeS", timeS, 0...1e10)
        let steps = timeS / sim.stepS
        guard stepIndex >= 0, abs(Double(stepIndex) - steps) <= 1 else { throw bad("stepIndex", "\(stepIndex) does not match timeS \(timeS) at \(sim.stepS) s a step") }
        let nEvents = sim.spec.events.count
        for (i, e) in eventsDone.enumerated() { try count("eventsDone[\(i)]", e, 0...max(0, nEvents - 1)) }
        for (i, e) in (eventsInForce ?? []).enumerated() { try count("eventsInForce[\(i)]", e, 0...max(0, nEvents - 1)) }
        let m = Mirror(reflecting: energy)
        // the balance's net flows are signed: a cold boiler takes heat from the loop before it gives
        // any (its first minutes after a cold start), water coming back warmer than it left counts
        // against the network; the others only grow
        // against the network; the others only grow. How far under zero: what the water and metal
        // of a cold boiler room can take before giving (a few hundred kWh), bounded at 10 MWh.
        let signed: Set<String> = ["producedKWh", "networkOutputKWh", "deliveredKWh", "heatPumpProducedKWh", "solarKWh"]
        let signedRange = -Self.largestTakenKWh...counterMax
        for c in m.children {
            if let l = c.label, let v = c.value as? Double { try check("energy.\(l)", v, signed.contains(l) ? signedRange : 0...counterMax) }
        }
        try check("ashKg", ashKg, 0...counterMax)
        for (i, x) in meters.enumerated() {
            try check("meters[\(i)].energyKWh", x.energyKWh, 0...counterMax); try check("meters[\(i)].volumeM3", x.volumeM3, 0...counterMax)
            try check("meters[\(i)].operatingHours", x.operatingHours, 0...counterMax)
            if let e = x.errorHours { try check("meters[\(i)].errorHours", e, 0...counterMax) }
        }
        for (i, g) in (gasBoilers ?? []).enumerated() {
            try check("gasBoilers[\(i)].runHours", g.runHours, 0...counterMax); try count("gasBoilers[\(i)].starts", g.starts, 0...100_000_000)
            try check("gasBoilers[\(i)].fuelKWhLHV", g.fuelKWhLHV, 0...counterMax)
            if let v = g.toLoopKWh { try check("gasBoilers[\(i)].toLoopKWh", v, signedRange) }   // signed, as producedKWh
        }
        for (i, x) in (recovered ?? []).enumerated() {
            try check("recovered[\(i)].toLoopKWh", x.toLoopKWh, 0...counterMax); try check("recovered[\(i)].electricityKWh", x.electricityKWh, 0...counterMax)
            try check("recovered[\(i)].availableHours", x.availableHours, 0...counterMax)
        }
        for (i, f) in (solarFields ?? []).enumerated() {
            try check("solarFields[\(i)].toLoopKWh", f.toLoopKWh, signedRange)   // signed: the loop may take heat back at dusk
            try check("solarFields[\(i)].irradiationKWh", f.irradiationKWh, 0...counterMax)
            try check("solarFields[\(i)].electricityKWh", f.electricityKWh, 0...counterMax)
            try check("solarFields[\(i)].pumpHours", f.pumpHours, 0...counterMax); try check("solarFields[\(i)].stagnationHours", f.stagnationHours, 0...counterMax)
        }
        for (i, h) in (heatPumps ?? []).enumerated() {
            try check("heatPumps[\(i)].runHours", h.runHours, 0...counterMax); try count("heatPumps[\(i)].starts", h.starts, 0...100_000_000)
            try check("heatPumps[\(i)].heatKWh", h.heatKWh, 0...counterMax); try check("heatPumps[\(i)].electricityKWh", h.electricityKWh, 0...counterMax)
            try check("heatPumps[\(i)].sourceKWh", h.sourceKWh, 0...counterMax)
            try check("heatPumps[\(i)].toLoopKWh", h.toLoopKWh, signedRange)   // signed, as producedKWh
        }
        for (i, b) in boilers.enumerated() {
            try check("boilers[\(i)].runHours", b.runHours, 0...counterMax); try count("boilers[\(i)].starts", b.starts, 0...100_000_000)
            try check("boilers[\(i)].ashKg", b.ashKg, 0...counterMax); try check("boilers[\(i)].fuelKWh", b.fuelKWh, 0...counterMax)
            try check("boilers[\(i)].toLoopKWh", b.toLoopKWh, signedRange)   // signed, as producedKWh
            guard BoilerFault(rawValue: b.fault) != nil else { throw bad("boilers[\(i)].fault", "\(b.fault) is not a fault code (0–7)") }
        }
        let silo = sim.plant.silo
        try check("silo.levelM3", self.silo.levelM3, 0...silo.grossVolumeM3)
        try count("silo.trucksDelivered", self.silo.trucksDelivered, 0...10_000_000)
        try check("silo.deliveredM3", self.silo.deliveredM3, 0...counterMax); try check("silo.withdrawnM3", self.silo.withdrawnM3, 0...counterMax)
        if let a = self.silo.pendingArrivalS { try check("silo.pendingArrivalS", a, 0...1e10) }
        try count("silo.pendingTrucks", self.silo.pendingTrucks, 0...50)
        for (i, k) in (circuits ?? []).enumerated() {
            let f = "circuits[\(i)]"
            guard CircuitMode(rawValue: k.mode) != nil else { throw bad("\(f).mode", "\(k.mode) is not a mode (0–3)") }
            try check("\(f).roomShiftK", k.roomShiftK, -5...5)
            try check("\(f).comfortRoomC", k.comfortRoomC, 10...26); try check("\(f).reducedRoomC", k.reducedRoomC, 5...24)
            guard k.reducedRoomC <= k.comfortRoomC else { throw bad("\(f).reducedRoomC", "\(k.reducedRoomC) is above the comfort set-point \(k.comfortRoomC)") }
            try check("\(f).minFlowC", k.minFlowC, 10...60); try check("\(f).maxFlowC", k.maxFlowC, 25...100)
            guard k.minFlowC <= k.maxFlowC else { throw bad("\(f).minFlowC", "\(k.minFlowC) is above maxFlowC \(k.maxFlowC)") }
            try check("\(f).summerCutOffC", k.summerCutOffC, 5...25)
            if let v = k.returnLimitColdC { try check("\(f).returnLimitColdC", v, 30...90) }
            if let v = k.returnLimitWarmC { try check("\(f).returnLimitWarmC", v, 30...90) }
            if let v = k.boostK { try check("\(f).boostK", v, 0...10) }
            if let v = k.dhwSetpointC { try check("\(f).dhwSetpointC", v, 45...75) }
            if let v = k.dhwDifferentialK { try check("\(f).dhwDifferentialK", v, 1...15) }
            for (j, v) in k.curve.enumerated() { try check("\(f).curve[\(j)]", v, k.curveForm == 0 ? (j == 0 ? 0.2...4 : -20...20) : 10...110) }
            for (j, v) in (k.keptCurve ?? []).enumerated() { try check("\(f).keptCurve[\(j)]", v, k.curveForm == 1 ? (j == 0 ? 0.2...4 : -20...20) : 10...110) }
        }
        if let supplyLaw {
        guard supplyLaw.count == 4 else { throw bad("supplyLaw", "\(supplyLaw.count) values, expected 4 (cold outdoor, cold supply, mild outdoor, mild supply)") }
        try check("supplyLaw[0]", supplyLaw[0], -40...10); try check("supplyLaw[1]", supplyLaw[1], 40...110)
        try check("supplyLaw[2]", supplyLaw[2], -10...30); try check("supplyLaw[3]", supplyLaw[3], 40...110)
        guard supplyLaw[2] > supplyLaw[0] else { throw bad("supplyLaw", "the mild point (\(supplyLaw[2]) °C) must be warmer than the cold one (\(supplyLaw[0]) °C)") }
        }
        if let v = differentialSetpointKPa { try check("differentialSetpointKPa", v, 5...300) }
        if let v = boilerMaxSetpointC { try check("boilerMaxSetpointC", v, 60...95) }
        for (id, st) in alarmStates {
            guard sim.controller.alarms.index(of: id) != nil else { throw bad("alarmStates.\(id)", "no such alarm in this plant") }
            guard AlarmState(rawValue: st) != nil else { throw bad("alarmStates.\(id)", "\(st) is not an alarm state") }
        }
        for id in alarmLatched.keys where sim.controller.alarms.index(of: id) == nil { throw bad("alarmLatched.\(id)", "no such alarm in this plant") }
        if let m = makeUpM3 { try check("makeUpM3", m, 0...counterMax) }
        if let hw = hardware {
            try check("hardware.leakM3PerH", hw.leakM3PerH, 0...50)
            if let d = hw.outdoorSensorDriftK { try check("hardware.outdoorSensorDriftK", d, -20...20) }
        }
    }
}
