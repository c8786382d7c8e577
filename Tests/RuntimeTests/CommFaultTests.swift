import XCTest
import Clocks
import Foundation
import CModbus
import ModbusServer
import PlantRecording
import Reporting
import Serving
import SimulationCore
import Training
@testable import Scenario
#if canImport(Glibc)
import Glibc
#endif

/// Issue 5, communication faults per unit, seen by a libmodbus client: late, silent, exception
/// 04 and 06, dropped connection, offline; the other units answer meanwhile.
final class CommFaultTests: XCTestCase {
    /// libmodbus reports a Modbus exception as errno MODBUS_ENOBASE + code.
    static let enobase: Int32 = 112_345_678

    func client(_ port: UInt16, timeoutS: Double = 1) -> OpaquePointer {
        let ctx = modbus_new_tcp("127.0.0.1", Int32(port))!
        modbus_set_response_timeout(ctx, UInt32(timeoutS), UInt32((timeoutS - floor(timeoutS)) * 1e6))
        XCTAssertEqual(modbus_connect(ctx), 0)
        return ctx
    }

    /// One read of the first two input registers of `unit`: (registers read or -1, errno, seconds).
    func read(_ ctx: OpaquePointer, unit: Int32) -> (Int32, Int32, Double) { Self.read(ctx, unit: unit) }
    static func read(_ ctx: OpaquePointer, unit: Int32) -> (Int32, Int32, Double) {
        modbus_set_slave(ctx, unit)
        var regs = [UInt16](repeating: 0, count: 2)
        let t0 = Date()
        let r = modbus_read_input_registers(ctx, 0, 2, &regs)
        return (r, r < 0 ? errno : 0, Date().timeIntervalSince(t0))
    }

    func testEachFaultAsAClientSeesIt() throws {
        let running = try RunningDaemon(speed: 60)
        defer { running.stop() }
        let server = running.daemon.server
        let ctx = client(running.port, timeoutS: 0.5)
        defer { modbus_close(ctx); modbus_free(ctx) }
        usleep(200_000)
        XCTAssertEqual(read(ctx, unit: 12).0, 2)

        server.setCommFault(unit: 12, .exception(.deviceFailure))
        var r = read(ctx, unit: 12)
        XCTAssertEqual(r.0, -1); XCTAssertEqual(r.1, Self.enobase + 4, "exception 04")
        XCTAssertEqual(read(ctx, unit: 13).0, 2, "the other units answer")
        server.setCommFault(unit: 12, .exception(.busy))
        r = read(ctx, unit: 12)
        XCTAssertEqual(r.1, Self.enobase + 6, "exception 06")
        server.setCommFault(unit: 12, .offline)
        r = read(ctx, unit: 12)
        XCTAssertEqual(r.1, Self.enobase + 0x0B, "offline behind the gateway: 0B")

        server.setCommFault(unit: 12, .silent)
        r = read(ctx, unit: 12)
        XCTAssertEqual(r.0, -1); XCTAssertEqual(r.1, ETIMEDOUT, "no answer")
        XCTAssertGreaterThanOrEqual(r.2, 0.45)
        modbus_flush(ctx)

        // late by 300 ms: this client waits; another client on another connection does not
        server.setCommFault(unit: 12, .late(ms: 300))
        let other = client(running.port)
        defer { modbus_close(other); modbus_free(other) }
        let fastest = LatencyBox()
        let box = ContextBox(other)
        let t = Thread {
            for _ in 0..<10 { let x = CommFaultTests.read(box.ctx, unit: 1); if x.0 == 2 { fastest.add(x.2) } }
        }
        t.start()
        r = read(ctx, unit: 12)
        XCTAssertEqual(r.0, 2)
        XCTAssertGreaterThanOrEqual(r.2, 0.29)
        while !t.isFinished { usleep(10_000) }
        XCTAssertEqual(fastest.count, 10)
        XCTAssertLessThan(fastest.max, 0.2, "a late unit holds up nobody else")

        server.setCommFault(unit: 12, .dropConnection)
        r = read(ctx, unit: 12)
        XCTAssertEqual(r.0, -1, "the connection is closed")
        server.setCommFault(unit: 12, nil)
        let again = client(running.port)
        defer { modbus_close(again); modbus_free(again) }
        XCTAssertEqual(read(again, unit: 12).0, 2, "cleared: it answers again")
    }

    /// The same fault from a scenario's timeline, applied and cleared by the daemon at its times.
    func testScenarioCommFaultComesAndGoes() async throws {
        var spec = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-trace1.yaml"))
        spec.events = [ScenarioEvent(instruction: .fault(.comm(unit: 31, mode: .exception06)), atS: 600, durationS: 1200, line: 0)]
        let clock = TestClock()
        let running = try RunningDaemon(simulation: Simulation(try PlantBuilder.build(spec, days: 1)), speed: 1200, clock: clock)
        let ctx = client(running.port)
        defer { modbus_close(ctx); modbus_free(ctx) }
        XCTAssertEqual(read(ctx, unit: 31).0, 2, "before its time")
        try await running.advance(clock, by: 0.8)      // 960 s simulated: in force
        XCTAssertEqual(read(ctx, unit: 31).1, Self.enobase + 6)
        try await running.advance(clock, by: 1.5)      // 2,760 s: over
        XCTAssertEqual(read(ctx, unit: 31).0, 2)
        await running.stop()
    }
}

final class LatencyBox: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Double] = []
    func add(_ v: Double) { lock.lock(); values.append(v); lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return values.count }
    var max: Double { lock.lock(); defer { lock.unlock() }; return values.max() ?? 0 }
}

/// A libmodbus context handed to one other thread (used by it alone meanwhile).
final class ContextBox: @unchecked Sendable {
    let ctx: OpaquePointer
    init(_ c: OpaquePointer) { ctx = c }
}
