import XCTest
import Foundation
import Scenario
import SimulationCore

/// The gas boiler as a device of its own: its enable, its burner lockout with an alarm and a
/// reset, kept across a restart.
final class GasBoilerTests: XCTestCase {
    /// The reference plant with its wood boilers cut to 3 × 100 kW and a 300 kW gas boiler.
    func woodAndGas() throws -> ScenarioSpec {
        var text = try String(contentsOfFile: packagePath("Scenarios/wangenbourg-trace1.yaml"), encoding: .utf8)
        for b in ["B1", "B2", "B3"] {
            text = text.replacingOccurrences(of: #"- \{ id: \#(b), nominalKW: \d+"#, with: "- { id: \(b), nominalKW: 100", options: .regularExpression)
        }
        text = text.replacingOccurrences(of: "  gasBoilers: []", with: "  gasBoilers: [ { id: G1, nominalKW: 300 } ]")
        text = text.replacingOccurrences(of: "  fossilSO2KgPerMWh: 0.505", with: "  fossilSO2KgPerMWh: 0.505\n  gasEURPerMWhHHV: 85")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("wood-gas-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try ScenarioLoader.load(path: path)
    }

    func testEnableLockoutAlarmAndReset() throws {
        let spec = try woodAndGas()
        XCTAssertEqual(spec.boilerRoom.gasBoilers.map(\.id), ["G1"])
        var sim = Simulation(try PlantBuilder.build(spec, days: 2))
        func read(_ p: String) -> Double? { sim.readTag(.gasBoiler, 0, p) }
        // January with 300 kW of wood: the gas boiler is asked within the first day
        var fired = false
        for _ in 0..<(24 * 60) where !fired { sim.run(durationS: 60); fired = read("state") == 1 }
        XCTAssertTrue(fired, "G1 fires beside 300 kW of wood")
        XCTAssertEqual(read("alarms.word"), 0)

        // the operator takes it out of the sequence: it stops and is not asked again
        try sim.apply(.write(device: "G1", point: "enable", value: 0))
        sim.run(durationS: 600)
        XCTAssertEqual(read("state"), 0); XCTAssertEqual(read("demand"), 0); XCTAssertEqual(read("enable"), 0)
        try sim.apply(.write(device: "G1", point: "enable", value: 1))

        // a burner lockout: unavailable, the alarm's bit 0 set and unacknowledged, latched
        try sim.apply(.fault(.gasLockout(id: "G1")))
        sim.run(durationS: 60)
        XCTAssertEqual(read("available"), 0); XCTAssertEqual(read("state"), 0)
        XCTAssertEqual(read("alarms.word"), 1); XCTAssertEqual(read("alarms.unacknowledged"), 1)
        XCTAssertTrue(sim.controller.alarms.definitions.contains { $0.id == "G1.LOCKOUT" })

        // kept across a power cut, with the operator's enable
        try sim.apply(.write(device: "G1", point: "enable", value: 0))
        let saved = RetainedState(sim)
        XCTAssertEqual(saved.hardware?.gasLockedOut, [0])
        XCTAssertEqual(saved.parameters?["G1.enable"], 0)
        var restarted = Simulation(try PlantBuilder.build(spec, days: 2))
        try restarted.restore(saved, file: "memory")
        XCTAssertEqual(restarted.readTag(.gasBoiler, 0, "available"), 0)
        XCTAssertEqual(restarted.readTag(.gasBoiler, 0, "enable"), 0)

        // acknowledged, then reset: available again, the alarm back to normal
        try sim.apply(.write(device: "G1", point: "alarms.ack", value: 1))
        try sim.apply(.write(device: "G1", point: "reset", value: 1))
        sim.run(durationS: 60)
        XCTAssertEqual(read("available"), 1); XCTAssertEqual(read("alarms.word"), 0)
    }
}
