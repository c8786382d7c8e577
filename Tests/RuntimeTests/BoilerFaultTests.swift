import Foundation
import PlantModel
import PlantRecording
import Reporting
import Serving
import SimulationCore
import Training
@testable import Scenario
import XCTest

#if !DEBUG

/// Issue 5, must show 3, the wood-chip boiler's faults: each injected in the cold snap at 06:00 on
/// its coldest day, on B2 (running), checked in the registers (state, fault code, alarm word),
/// the alarm, and the physics (no fuel burned, the standby boiler called, the reset).
final class BoilerFaultTests: XCTestCase {
    static let atS = (2 * 24 + 6) * 3600.0

    func coldSnap(_ fault: BoilerFault) throws -> (Simulation, Int) {
        var spec = try ScenarioLoader.load(path: packagePath("Scenarios/cold-snap-auger-jam.yaml"))
        let b2 = try XCTUnwrap(spec.boilerRoom.boilers.firstIndex { $0.id == "B2" })
        spec.events.removeAll { if case .fault(.boiler) = $0.instruction { return true } else { return false } }
        spec.events.append(ScenarioEvent(instruction: .fault(.boiler(id: spec.boilerRoom.boilers[b2].id, fault: fault.injectionName!)), atS: Self.atS, durationS: 0, line: 0))
        var sim = Simulation(try PlantBuilder.build(spec, days: 4))
        sim.run(durationS: Self.atS - 60)
        XCTAssertEqual(sim.plant.boilers[b2].state, .running, "B2 runs before the fault")
        return (sim, b2)
    }

    /// Tripped with `fault`: the registers show it, the latched alarm is up, nothing burns, and
    /// another boiler has been called.
    func assertTripped(_ sim: Simulation, _ b: Int, _ fault: BoilerFault, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(sim.readTag(.woodChipBoiler, b, "state"), Double(BoilerState.fault.rawValue), file: file, line: line)
        XCTAssertEqual(sim.readTag(.woodChipBoiler, b, "fault_code"), Double(fault.rawValue), file: file, line: line)
        XCTAssertEqual(sim.readTag(.woodChipBoiler, b, "alarms.word"), 1, file: file, line: line)
        XCTAssertEqual(sim.plant.boilers[b].fuelKW, 0, "no fuel burns", file: file, line: line)
        XCTAssertTrue(sim.alarmActivations.contains { $0.id == "B\(b + 1).FAULT" }, file: file, line: line)
        let others = sim.plant.boilers.indices.filter { $0 != b && sim.controller.cascade.demand[$0] }
        XCTAssertEqual(others.count, 2, "both other boilers asked for heat", file: file, line: line)
    }

    func resetOverModbusTag(_ sim: inout Simulation, _ b: Int) throws {
        try sim.writeTag(.woodChipBoiler, b, "reset", 1)
        sim.run(durationS: 20)
    }

    func testAtOnceFaults() throws {
        for fault in [BoilerFault.augerJam, .ashBoxFull, .flueFanFailure, .precipitatorFault] {
            var (sim, b2) = try coldSnap(fault)
            sim.run(durationS: 60 + 20)
            assertTripped(sim, b2, fault)
            XCTAssertEqual(sim.plant.boilers[b2].electricityKW, sim.plant.boilers[b2].spec.auxStandbyKW, "\(fault): fans and auger stopped")
            try resetOverModbusTag(&sim, b2)
            XCTAssertEqual(sim.readTag(.woodChipBoiler, b2, "fault_code"), 0, "\(fault): the reset clears it")
            XCTAssertNotEqual(sim.plant.boilers[b2].state, .fault)
        }
    }

    func testIgnitionFailureShowsAtTheNextStartAndLocksOutAfterTwoAttempts() throws {
        var (sim, b2) = try coldSnap(.ignitionFailure)
        sim.run(durationS: 3600)
        XCTAssertEqual(sim.plant.boilers[b2].state, .running, "a running boiler needs no igniter: the fault waits for the next start")
        // the operator stops and restarts it (enable 0 then 1): it must ignite again
        let starts = sim.plant.boilers[b2].starts
        try sim.writeTag(.woodChipBoiler, b2, "enable", 0)
        for _ in 0..<(6 * 60) where sim.plant.boilers[b2].state != .off { sim.run(durationS: 60) }
        XCTAssertEqual(sim.plant.boilers[b2].state, .off, "ember keeping, burn-out, then off")
        try sim.writeTag(.woodChipBoiler, b2, "enable", 1)
        // the cascade calls it when it is needed: take a running one out, and the standby (B2)
        // replaces it at once
        let other = try XCTUnwrap(sim.plant.boilers.indices.first { $0 != b2 && sim.plant.boilers[$0].state == .running })
        try sim.writeTag(.woodChipBoiler, other, "enable", 0)
        var seenIgnition = false, hottestFlue = 0.0, fuel = 0.0
        for _ in 0..<(2 * 900 / 10 + 60) {
            sim.run(durationS: 10)
            if sim.plant.boilers[b2].state == .ignition {
                if !seenIgnition { try sim.writeTag(.woodChipBoiler, other, "enable", 1) }   // back in service
                seenIgnition = true
                hottestFlue = max(hottestFlue, try XCTUnwrap(sim.readTag(.woodChipBoiler, b2, "flue_temperature")))
                fuel += sim.plant.boilers[b2].fuelKW
            }
            if sim.plant.boilers[b2].state == .fault { break }
        }
        XCTAssertTrue(seenIgnition)
        XCTAssertEqual(sim.plant.boilers[b2].starts, starts + 1, "one start, two attempts")
        XCTAssertEqual(fuel, 0, "no flame: no fuel burned")
        XCTAssertLessThan(hottestFlue, sim.plant.boilers[b2].waterC + 1, "the flue gas stays cold (no flame detected)")
        assertTripped(sim, b2, .ignitionFailure)
        try resetOverModbusTag(&sim, b2)
        // called again (a running boiler taken out: B2 is the standby), it lights
        let again = try XCTUnwrap(sim.plant.boilers.indices.first { $0 != b2 && sim.plant.boilers[$0].state == .running })
        try sim.writeTag(.woodChipBoiler, again, "enable", 0)
        sim.run(durationS: 1800)
        XCTAssertEqual(sim.plant.boilers[b2].state, .running, "igniter repaired and reset: it lights (ignition takes 15 min)")
    }

    func testBoilerPumpFailureOverheatsUntilTheSafetyLimiterTrips() throws {
        var (sim, b2) = try coldSnap(.overTemperature)
        var trippedAfter: Double?
        var hottest = 0.0
        for k in 1...180 {
            sim.run(durationS: 10)
            hottest = max(hottest, try XCTUnwrap(sim.readTag(.woodChipBoiler, b2, "supply_temperature")))
            if sim.plant.boilers[b2].state == .fault { trippedAfter = Double(k) * 10; break }
        }
        let after = try XCTUnwrap(trippedAfter, "the STB tripped within 30 min")
        XCTAssertGreaterThan(after, 60, "the water needs minutes to overheat, not an instant")
        XCTAssertGreaterThanOrEqual(hottest, sim.plant.boilers[b2].spec.safetyLimitC - 0.5, "tripped at its limit")
        assertTripped(sim, b2, .overTemperature)
        // reset at once: the water is still at its limit, the STB trips again
        try resetOverModbusTag(&sim, b2)
        XCTAssertEqual(sim.plant.boilers[b2].fault, .overTemperature, "an STB cannot be reset while hot")
        sim.run(durationS: 1800)   // the pump (repaired) runs on, the water cools into the buffer
        XCTAssertLessThan(sim.plant.boilers[b2].waterC, sim.plant.boilers[b2].spec.safetyLimitC - 10)
        try resetOverModbusTag(&sim, b2)
        XCTAssertEqual(sim.readTag(.woodChipBoiler, b2, "fault_code"), 0)
    }
}

#endif
