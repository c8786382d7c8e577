import Foundation
import Historian
import PlantRecording
import Reporting
import Serving
import SimulationCore
import Training
import Scenario
import XCTest

/// Issue 5, must show 5, the parts below the daemon (the end-to-end check with a served session,
/// pymodbus and the instructor's commands is scripts/replay-check.py): the state fingerprint sees
/// a single input, and a recorded run replays to the same state.
final class ReplayTests: XCTestCase {
    func testFingerprintIsTheSameForTheSameRunAndSeesOneInput() throws {
        let spec = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-trace1.yaml"))
        func run(write: Double?) throws -> String {
            var sim = Simulation(try PlantBuilder.build(spec, days: 1))
            sim.run(durationS: 3600)
            if let w = write { try sim.writeTag(.substationController, 2, "comfort_setpoint", w) }
            sim.run(durationS: 3600)
            return sim.stateFingerprint.description
        }
        let a = try run(write: nil), b = try run(write: nil)
        XCTAssertEqual(a, b, "same scenario, same inputs: same state")
        XCTAssertEqual(a.count, 32)
        let base = try XCTUnwrap(Simulation(try PlantBuilder.build(spec, days: 1)).readTag(.substationController, 2, "comfort_setpoint"))
        XCTAssertNotEqual(a, try run(write: base + 0.1), "a setpoint 0.1 K higher for an hour changes the state")
        XCTAssertEqual(a, try run(write: base), "writing the value in force changes nothing")
    }

    func testFingerprintIgnoresDictionaryOrder() {
        // two dictionaries built in different orders (their iteration order may differ)
        var x: [String: Double] = [:], y: [String: Double] = [:]
        for i in 0..<50 { x["k\(i)"] = Double(i) }
        for i in (0..<50).reversed() { y["k\(i)"] = Double(i) }
        XCTAssertEqual(StateFingerprint(x), StateFingerprint(y))
        y["k7"] = 7.000000000000001
        XCTAssertNotEqual(StateFingerprint(x), StateFingerprint(y), "the last bit of one value")
    }

    func testRecordedRunReplaysToTheSameState() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("r.db").path
        var spec = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-trace1.yaml"))
        spec.seed = 7
        var sim = Simulation(try PlantBuilder.build(spec, days: 1))
        sim.run(durationS: 1800)
        sim.resetStatistics()
        let r = try Recording(path: db, sim: sim, periodS: 60, command: "test",
                              start: .init(scenario: spec.fingerprint, seed: 7, days: 1, retained: nil, statisticsReset: true))
        sim.run(durationS: 7200, recording: r)
        XCTAssertEqual(r.finish(sim).lostSamples, 0)
        let o = try Replay.run(db: db, session: nil)
        XCTAssertEqual(o.steps, 7200)
        XCTAssertEqual(o.recorded, sim.stateFingerprint.description)
        XCTAssertTrue(o.identical, "recorded \(o.recorded ?? "none"), replayed \(o.replayed)")
    }
}
