import XCTest
import Foundation
import PlantControl
import PlantModel
import PlantRecording
import Reporting
import Serving
import SimulationCore
import Training
import Scenario

/// The retentive memory: what a restart keeps, and the errors of a bad state file.
final class RetainedStateTests: XCTestCase {
    func fresh() throws -> Simulation {
        let spec = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-trace1.yaml"))
        return Simulation(try PlantBuilder.build(spec, days: 2))
    }

    func testRoundTripKeepsCountersSettingsAlarmsAndClock() throws {
        var sim = try fresh()
        sim.run(durationS: 6 * 3600)
        try sim.writeTag(.substationController, 2, "curve_displacement", 2.5)
        try sim.writeTag(.plantController, 0, "network.differential_setpoint", 80)
        try sim.writeTag(.woodChipBoiler, 1, "enable", 0)
        sim.run(durationS: 600)
        let saved = RetainedState(sim)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("state-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try saved.write(to: path)
        var restarted = try fresh()
        try restarted.restore(try RetainedState.read(from: path), file: path)
        XCTAssertEqual(restarted.timeS, sim.timeS)
        XCTAssertEqual(restarted.stepIndex, sim.stepIndex)
        for i in sim.plant.substations.indices {
            XCTAssertEqual(restarted.plant.substations[i].meter.energyKWh, sim.plant.substations[i].meter.energyKWh)
            XCTAssertEqual(restarted.plant.substations[i].meter.volumeM3, sim.plant.substations[i].meter.volumeM3)
        }
        for i in sim.plant.boilers.indices {
            XCTAssertEqual(restarted.plant.boilers[i].runHours, sim.plant.boilers[i].runHours)
            XCTAssertEqual(restarted.plant.boilers[i].starts, sim.plant.boilers[i].starts)
        }
        XCTAssertEqual(restarted.plant.silo.levelM3, sim.plant.silo.levelM3)
        XCTAssertEqual(restarted.plant.energy, sim.plant.energy)
        XCTAssertEqual(restarted.readTag(.substationController, 2, "curve_displacement"), 2.5)
        XCTAssertEqual(restarted.controller.settings.differentialSetpointKPa, 80)
        XCTAssertEqual(restarted.readTag(.woodChipBoiler, 1, "enable"), 0)
        XCTAssertEqual(restarted.controller.alarms.states, sim.controller.alarms.states)
        XCTAssertEqual(RetainedState(restarted), saved, "what is restored is what was saved")
        // and it carries on: indexes never go backwards
        let before = restarted.plant.substations.map(\.meter.energyKWh)
        restarted.run(durationS: 3600)
        for (i, e) in before.enumerated() { XCTAssertGreaterThanOrEqual(restarted.plant.substations[i].meter.energyKWh, e) }
    }

    /// A power cut repairs nothing: the faults in the plant's hardware at the snapshot are still
    /// there after the restart (a broken igniter, a leak, a stuck valve...).
    func testHardwareFaultsSurviveARestart() throws {
        var sim = try fresh()
        sim.run(durationS: 3600)
        sim.injectBoilerFault(0, .ignitionFailure)
        sim.injectBoilerFault(2, .overTemperature)
        sim.setValveStuck(3, true)
        sim.setMeterFailed(4, true)
        sim.setLeak(m3PerH: 0.2)
        sim.setBufferSensorFailed(true)
        sim.setOutdoorSensorFault((false, 2.5))
        sim.run(durationS: 60)
        let saved = RetainedState(sim)
        var restarted = try fresh()
        try restarted.restore(saved, file: "memory")
        XCTAssertTrue(restarted.plant.boilers[0].igniterFailed)
        XCTAssertTrue(restarted.plant.boilers[2].pumpFailed)
        XCTAssertTrue(restarted.plant.substations[3].heatingValve.stuck)
        XCTAssertTrue(restarted.plant.substations[4].meter.failed)
        XCTAssertEqual(restarted.plant.pressurisation.leakM3PerH, 0.2)
        XCTAssertTrue(restarted.liveBufferSensorFault)
        XCTAssertEqual(restarted.liveOutdoorFault?.driftK, 2.5)
        XCTAssertEqual(RetainedState(restarted).hardware, saved.hardware)
        var bad = saved
        bad.hardware?.valveStuck = [99]
        var other = try fresh()
        XCTAssertThrowsError(try other.restore(bad, file: "memory")) { XCTAssertTrue("\($0)".contains(": hardware: an index beyond"), "\($0)") }
        XCTAssertEqual(RetainedState(other).timeS, 0, "refused: nothing changed")
    }

    func testBadStateFilesAreRefusedByName() throws {
        let dir = FileManager.default.temporaryDirectory
        let path = dir.appendingPathComponent("bad-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var state = RetainedState(try fresh())
        try state.write(to: path)
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"timeS\"", with: "\"time\"")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        var sim = try fresh()
        XCTAssertThrowsError(try sim.restore(fromFile: path)) { XCTAssertTrue("\($0)".hasPrefix("\(path):1: timeS: missing"), "\($0)") }
        state.scenarioName = "another plant"
        try state.write(to: path)
        XCTAssertThrowsError(try sim.restore(fromFile: path)) {
            XCTAssertTrue("\($0)".contains(": scenarioName: saved for 'another plant'") && "\($0)".contains(path), "\($0)")
        }
        XCTAssertEqual(sim.timeS, 0, "a refused state changes nothing")
    }

    /// Values a damaged or hand-edited state may hold (issue 10): each refused naming its line and
    /// field, before anything changes — never a trap, never taken silently.
    func testOutOfRangeValuesAreRefusedWithTheirLine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("range-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var base = try fresh()
        base.run(durationS: 600)
        let good = RetainedState(base)
        let cases: [(String, (inout RetainedState) -> Void)] = [
            ("timeS", { $0.timeS = 1e300 }), ("timeS", { $0.timeS = -1e9 }), ("stepIndex", { $0.stepIndex = -5 }),
            ("meters[3].energyKWh", { $0.meters[3].energyKWh = 1e300 }), ("boilers[0].runHours", { $0.boilers[0].runHours = -1 }),
            ("silo.levelM3", { $0.silo.levelM3 = 1e308 }), ("silo.pendingTrucks", { $0.silo.pendingTrucks = -5 }),
            // parameters: each checked against the point catalogue's range, then the rules between points
            ("parameters.ecole", { $0.parameters?["ecole.min_flow"] = 55; $0.parameters?["ecole.max_flow"] = 30 }),
            ("parameters.mairie.mode", { $0.parameters?["mairie.mode"] = 99 }),
            ("parameters.mairie.mode", { $0.parameters?["mairie.mode"] = 1.5 }),
            ("parameters.plant.network.differential_setpoint", { $0.parameters?["plant.network.differential_setpoint"] = 0 }),
            ("parameters.B1.max_setpoint", { $0.parameters?["B1.max_setpoint"] = 1e6 }),
            ("parameters.plant", { $0.parameters?["plant.law.cold_outdoor"] = 5; $0.parameters?["plant.law.mild_outdoor"] = -5 }),
            ("parameters.plant.bogus", { $0.parameters?["plant.bogus"] = 1 }),
            ("parameters.B1.starts", { $0.parameters?["B1.starts"] = 1 }),
            ("parameters", { $0.parameters = nil }),
            ("version", { $0.version = 999 }),
            ("hardware.outdoorSensorDriftK", { $0.hardware?.outdoorSensorDriftK = 1e300 }),
        ]
        for (field, edit) in cases {
            var st = good
            edit(&st)
            try st.write(to: path)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            var sim = try fresh()
            XCTAssertThrowsError(try sim.restore(fromFile: path), field) { e in
                let d = "\(e)"
                XCTAssertTrue(d.hasPrefix(path + ":") && d.contains(": \(field): "), d)
                let line = Int(d.dropFirst(path.count + 1).prefix { $0.isNumber }) ?? 0
                // the line of the field, or of the block it belongs to (a parameter the file lacks, a rule between several)
                let key = field.hasPrefix("parameters.") ? String(field.dropFirst("parameters.".count)) : String(field.split(separator: ".").last!.split(separator: "[").first!)
                let shown = text.components(separatedBy: "\n")[max(0, line - 1)]
                XCTAssertTrue(shown.contains("\"\(key)") || shown.contains("\"parameters\"") || (line == 1 && d.hasSuffix(": missing")), "line \(line) (\(shown)) of \(d)")
            }
            XCTAssertEqual(sim.timeS, 0, "\(field): a refused state changes nothing")
        }
    }
}
