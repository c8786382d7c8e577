import XCTest
import Foundation
import CModbus
import PlantControl
import PlantModel
import RegisterMap
import PlantRecording
import Reporting
import Serving
import SimulationCore
import Training
import Scenario

#if !DEBUG

/// Issue 5, must show 1: `Scenarios/cold-snap-auger-jam.yaml` — at −15 °C boiler B2's auger
/// jams at 06:00 on Wednesday 5 February; the boiler trips, its latched alarm rises, the standby
/// boiler comes in at once, the network holds its supply temperature, and an operator
/// acknowledges and resets over Modbus.
final class AugerJamTests: XCTestCase {
    static let jamS = (2 * 24 + 6) * 3600.0

    func scenario() throws -> Simulation {
        let spec = try ScenarioLoader.load(path: packagePath("Scenarios/cold-snap-auger-jam.yaml"))
        return Simulation(try PlantBuilder.build(spec, days: 4))
    }

    func testBoilerTripsTheStandbyComesInAndTheNetworkHolds() throws {
        var sim = try scenario()
        sim.run(durationS: Self.jamS - 60)
        let b2 = try XCTUnwrap(sim.spec.boilerRoom.boilers.firstIndex { $0.id == "B2" })
        let standby = try XCTUnwrap(sim.plant.boilers.indices.first { $0 != b2 && !sim.controller.cascade.demand[$0] },
                                    "two boilers carry the cold snap, one stands by")
        XCTAssertTrue(sim.controller.cascade.demand[b2], "B2 was running when its auger jammed")
        let alarm = try XCTUnwrap(sim.controller.alarms.index(of: "B2.FAULT"))
        XCTAssertEqual(sim.controller.alarms.states[alarm], .normal)
        sim.run(durationS: 60 + 20)
        XCTAssertEqual(sim.readTag(.woodChipBoiler, b2, "state"), Double(BoilerState.fault.rawValue))
        XCTAssertEqual(sim.readTag(.woodChipBoiler, b2, "fault_code"), Double(BoilerFault.augerJam.rawValue))
        XCTAssertEqual(sim.controller.alarms.states[alarm], .unacknowledged)
        XCTAssertEqual(sim.readTag(.woodChipBoiler, b2, "alarms.word"), 1)
        XCTAssertEqual(sim.controller.alarms.definitions[alarm].priority, .high)
        // the standby is asked for heat within the stage-up delay (here: at the next scan)
        let delay = sim.controller.settings.cascade.stageUpDelayS
        var calledAfter: Double?
        var worstK = 0.0
        var t = 0.0
        while t < 3 * 3600 {
            sim.run(durationS: 60)
            t += 60
            if calledAfter == nil && sim.controller.cascade.demand[standby] { calledAfter = t }
            worstK = max(worstK, abs(sim.plant.networkSupplyC - sim.controller.networkSetpointC))
        }
        let called = try XCTUnwrap(calledAfter, "the standby boiler never came in")
        XCTAssertLessThanOrEqual(called, delay)
        XCTAssertTrue(sim.plant.boilers[standby].state == .running, "the standby runs")
        XCTAssertLessThan(worstK, 5, "network supply within 5 K of its setpoint for the 3 h after the jam")
        XCTAssertEqual(sim.controller.alarms.states[alarm], .unacknowledged, "a latched alarm stays until acknowledged and reset")
        // the scenario's expectation: B2.FAULT within a minute of the jam
        let check = AlarmExpectations(sim, fromS: 0)
        XCTAssertEqual(check.expected, ["B2.FAULT"])
        XCTAssertTrue(check.raised.contains("B2.FAULT"))
        XCTAssertEqual(check.missed, [])
        let raisedAt = try XCTUnwrap(check.rows.first?.raisedAtS)
        XCTAssertEqual(raisedAt - Self.jamS, 0, accuracy: 10)
    }

    /// Acknowledge (coil 2) and reset (coil 1) of unit 3, boiler B2, by a libmodbus client.
    func testAcknowledgeAndResetOverModbus() throws {
        var sim = try scenario()
        sim.run(durationS: Self.jamS + 120)
        let running = try RunningDaemon(simulation: sim, speed: 10)
        defer { running.stop() }
        let ctx = modbus_new_tcp("127.0.0.1", Int32(running.port))!
        defer { modbus_close(ctx); modbus_free(ctx) }
        XCTAssertEqual(modbus_connect(ctx), 0)
        modbus_set_slave(ctx, 3)
        func inputs(_ a: Int32, _ n: Int32) -> [UInt16] {
            var r = [UInt16](repeating: 0, count: Int(n)); XCTAssertEqual(modbus_read_input_registers(ctx, a, n, &r), n); return r
        }
        func fault() -> Double? { RegisterCodec.decode(inputs(2, 2), type: .float32, scale: 1, order: .abcd) }
        usleep(200_000)
        XCTAssertEqual(fault(), 2, "fault code 2: auger jam")
        XCTAssertEqual(inputs(26, 2), [1, 1], "alarm active and unacknowledged")
        XCTAssertEqual(modbus_write_bit(ctx, 2, 1), 1)
        usleep(200_000)
        XCTAssertEqual(inputs(26, 2), [1, 0], "acknowledged, still active (latched)")
        XCTAssertEqual(modbus_write_bit(ctx, 1, 1), 1)
        usleep(200_000)
        XCTAssertEqual(fault(), 0, "reset: the auger cleared, the boiler back in service")
        XCTAssertEqual(inputs(26, 2), [0, 0], "the alarm returns to normal")
        var bit: UInt8 = 0
        XCTAssertEqual(modbus_read_input_bits(ctx, 0, 1, &bit), 1)
        XCTAssertEqual(bit, 1, "available to the cascade again")
    }
}
#endif
