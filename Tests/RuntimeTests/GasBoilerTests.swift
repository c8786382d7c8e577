import XCTest
import Foundation
import Scenario
import SimulationCore
import PlantRecording
import Historian
import Logging

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

    /// Each alarm watches a point its device type declares, recorded by the historian: the
    /// alarm table (control core) names no point; the catalogue says which one.
    func testEveryAlarmWatchesARecordedPointOfItsDevice() throws {
        let spec = try woodAndGas()
        let sim = Simulation(try PlantBuilder.build(spec, days: 1))
        let dir = NSTemporaryDirectory() + "alarm-tags-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let recording = try Recording(path: "\(dir)/h.sqlite", sim: sim, periodS: 60, command: "test",
                                      logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        _ = recording.finish(sim)
        let recorded = Set(try HistorianReader(path: "\(dir)/h.sqlite").tags().map(\.definition.name))
        var tags: [String: String] = [:]
        for d in sim.controller.alarms.definitions { tags[d.id] = Catalogue.standard.alarmTag(d, in: sim) }
        XCTAssertEqual(tags.count, 7 + 3 + 6 * spec.buildings.count + 1)
        for (id, tag) in tags { XCTAssertTrue(recorded.contains(tag), "\(id) watches '\(tag)', not a recorded tag") }
        XCTAssertEqual(tags["PLANT.BUFFER_SENSOR"], "plant.buffer.t8")   // 12 layers, the sensor at 0.4 of the height
        XCTAssertEqual(tags["B2.FAULT"], "boiler.B2.fault_code")
        XCTAssertEqual(tags["ecole.SUPPLY_LOW"], "substation.ecole.meter.supply_temperature")
        XCTAssertEqual(tags["ecole.ROOM_LOW"], "substation.ecole.room_temperature")
        XCTAssertEqual(tags["G1.LOCKOUT"], "gas_boiler.G1.state")
    }
}
