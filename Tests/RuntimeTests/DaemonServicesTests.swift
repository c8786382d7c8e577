import XCTest
import Foundation
import Clocks
import Historian
import Logging
import CModbus
import PlantRecording
import Serving
import SimulationCore
import Scenario
#if canImport(Glibc)
import Glibc
#endif

/// The daemon as a group of services on a clock it is given: run here on a test clock, so the
/// simulated time is exactly what the clock says and nothing waits for the wall clock.
final class DaemonServicesTests: XCTestCase {
    func testTheLoopRunsOnTheClockItIsGiven() async throws {
        let spec = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-trace1.yaml"))
        let sim = Simulation(try PlantBuilder.build(spec, days: 1))
        let t0 = sim.timeS
        let clock = TestClock()
        let running = try RunningDaemon(simulation: sim, speed: 60, clock: clock)
        // 10 s of the test clock at speed 60: 600 simulated seconds, to the step; no wall time waited
        await clock.advance(by: .seconds(10))
        await running.stop()
        XCTAssertEqual(running.daemon.simulation.timeS, t0 + 600)
    }

    func testAShutdownStopsModbusFirstAndSavesWhatItAnswered() async throws {
        let dir = NSTemporaryDirectory() + "services-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let spec = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-trace1.yaml"))
        let sim = Simulation(try PlantBuilder.build(spec, days: 1))
        let clock = TestClock()
        let recording = try Recording(path: "\(dir)/h.sqlite", sim: sim, periodS: 60, command: "test",
                                      logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        let running = try RunningDaemon(simulation: sim, speed: 60, clock: clock) { d in
            d.statePath = "\(dir)/state.json"
            d.recording = recording
        }
        await clock.advance(by: .seconds(1))
        // the snapshotter writes the state handed over at the start (on its own task: waited for, at most 5 s)
        for _ in 0..<500 where !FileManager.default.fileExists(atPath: "\(dir)/state.json") { try await Task.sleep(for: .milliseconds(10)) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(dir)/state.json"))
        // the presbytery to comfort mode: answered by the server, not yet carried out (the clock stands)
        let port = Int32(running.port)
        let answered = writeRegister(port: port, unit: 11, address: 0, value: 1)
        XCTAssertEqual(answered, 1)
        XCTAssertNotEqual(try RetainedState.read(from: "\(dir)/state.json").parameters?["presbytere.mode"], 1)
        await running.stop()
        // stopped in order: the server no longer answers; the write it answered was carried out
        // and is in the last state saved; the historian session was closed after it, with the write
        XCTAssertEqual(writeRegister(port: port, unit: 11, address: 0, value: 2), -1, "the server has stopped")
        XCTAssertEqual(try RetainedState.read(from: "\(dir)/state.json").parameters?["presbytere.mode"], 1)
        let statistics = try XCTUnwrap(running.daemon.recordingStatistics)
        XCTAssertEqual(statistics.lostSamples, 0)
        let h = try HistorianReader(path: "\(dir)/h.sqlite")
        let events = try h.events(session: try h.session(nil).id)
        XCTAssertTrue(events.contains { $0.kind == "write" && $0.tag == "presbytere.mode" }, "\(events.map(\.kind))")
        XCTAssertEqual(events.last?.kind, "session_end")
    }

    /// One write with a libmodbus client on its own connection: 1 when answered normally, -1 when not.
    private func writeRegister(port: Int32, unit: Int32, address: Int32, value: UInt16) -> Int32 {
        let ctx = modbus_new_tcp("127.0.0.1", port)!
        defer { modbus_close(ctx); modbus_free(ctx) }
        guard modbus_connect(ctx) == 0 else { return -1 }
        modbus_set_slave(ctx, unit)
        return modbus_write_register(ctx, address, value)
    }
}
