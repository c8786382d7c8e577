import XCTest
import Foundation
import PlantControl
import PlantModel
import PlantRecording
import Reporting
import Serving
import SimulationCore
import Training
@testable import Scenario

/// Issue 5, sensor faults: the outdoor sensor fails (controllers fall back to the configured
/// value and alarm; the register has no value, so Modbus shows the invalid sentinel), then
/// drifts.
final class SensorFaultTests: XCTestCase {
    func testOutdoorSensorFailsThenDrifts() throws {
        var spec = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-trace1.yaml"))
        spec.events = [ScenarioEvent(instruction: .fault(.outdoorSensor(failed: true, driftK: 0)), atS: 3600, durationS: 2 * 3600, line: 0),
                       ScenarioEvent(instruction: .fault(.outdoorSensor(failed: false, driftK: 3)), atS: 4 * 3600, durationS: 3600, line: 0)]
        var sim = Simulation(try PlantBuilder.build(spec, days: 1))
        let alarm = try XCTUnwrap(sim.controller.alarms.index(of: "PLANT.OUTDOOR_SENSOR"))
        sim.run(durationS: 3000)
        XCTAssertEqual(try XCTUnwrap(sim.readTag(.plantController, 0, "outdoor_temperature")), sim.outdoorC, accuracy: 1e-12)
        XCTAssertEqual(sim.controller.alarms.states[alarm], .normal)

        sim.run(durationS: 1200)   // 20 min into the failure
        XCTAssertNil(sim.readTag(.plantController, 0, "outdoor_temperature"), "no reading: Modbus serves the invalid sentinel")
        XCTAssertEqual(sim.controller.alarms.states[alarm], .unacknowledged)
        XCTAssertEqual(sim.readTag(.plantController, 0, "alarms.word").map { Int($0) & 8 }, 8, "bit 3 of the plant's alarm word")
        let fallback = sim.controller.settings.outdoorFallbackC
        XCTAssertEqual(sim.controller.outdoorInUseC, fallback)
        XCTAssertEqual(sim.controller.networkSetpointC, sim.controller.settings.supplyLaw.setpointC(outdoorC: fallback), accuracy: 1e-9)
        XCTAssertNotEqual(sim.outdoorC, fallback, "the weather goes on; only the sensor is lost")

        sim.run(durationS: 4 * 3600 + 1200 - 4200)   // 4 h 20: the sensor is back, drifting by +3 K
        let reading = try XCTUnwrap(sim.readTag(.plantController, 0, "outdoor_temperature"))
        XCTAssertEqual(reading, sim.outdoorC + 3, accuracy: 1e-9)
        XCTAssertEqual(sim.controller.outdoorInUseC, reading, accuracy: 1e-9, "a drifting sensor misleads the controllers")
        XCTAssertEqual(sim.controller.alarms.states[alarm], .clearedUnacknowledged, "back to normal, awaiting acknowledgement")
        sim.run(durationS: 3600)
        XCTAssertEqual(try XCTUnwrap(sim.readTag(.plantController, 0, "outdoor_temperature")), sim.outdoorC, accuracy: 1e-12)
    }
}

/// Issue 5, heat meter failure: information code set, indexes frozen while the heat still flows.
final class MeterFaultTests: XCTestCase {
    func testFailedMeterFreezesItsIndexAndShowsItsCode() throws {
        var spec = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-trace1.yaml"))
        let ecole = try XCTUnwrap(spec.buildings.firstIndex { $0.id == "ecole" })
        spec.events = [ScenarioEvent(instruction: .fault(.meter(building: spec.buildings[ecole].id)), atS: 3600, durationS: 2 * 3600, line: 0)]
        var sim = Simulation(try PlantBuilder.build(spec, days: 1))
        sim.run(durationS: 3600 + 60)
        XCTAssertEqual(sim.readTag(.heatMeter, ecole, "info_code"), 8, "calculator error")
        let frozen = try XCTUnwrap(sim.readTag(.heatMeter, ecole, "energy"))
        var unbilledKWh = 0.0
        for _ in 0..<60 { sim.run(durationS: 60); unbilledKWh += sim.plant.substations[ecole].primaryHeatKW / 60 }
        XCTAssertEqual(sim.readTag(.heatMeter, ecole, "energy"), frozen, "the index does not move while failed")
        XCTAssertEqual(sim.readTag(.heatMeter, ecole, "power"), 0)
        XCTAssertGreaterThan(unbilledKWh, 10, "the school is still heated, unbilled")
        XCTAssertEqual(sim.plant.substations[ecole].meter.errorHours, 1 + 60.0 / 3600, accuracy: 1e-6)
        XCTAssertEqual(sim.readTag(.heatMeter, ecole, "error_hours"), 1, "the error-hours register: whole hours")
        sim.run(durationS: 2 * 3600)
        XCTAssertEqual(sim.readTag(.heatMeter, ecole, "info_code"), 0, "repaired")
        XCTAssertEqual(sim.readTag(.heatMeter, ecole, "error_hours"), 2, "kept after the repair")
        // retentive: a restart keeps the error hours with the indexes
        let saved = RetainedState(sim)
        XCTAssertEqual(saved.meters[ecole].errorHours ?? 0, 2, accuracy: 1e-6)
        var restarted = Simulation(try PlantBuilder.build(spec, days: 1))
        try restarted.restore(saved, file: "memory")
        XCTAssertEqual(restarted.readTag(.heatMeter, ecole, "error_hours"), 2)
        XCTAssertGreaterThan(try XCTUnwrap(sim.readTag(.heatMeter, ecole, "energy")), frozen, "counting again, from where it stopped")
    }
}

/// Issue 5, a building's secondary pump fails: no heat reaches its emitters, the room cools
/// while its neighbours' do not; the pump back, it recovers.
final class SecondaryPumpFaultTests: XCTestCase {
    func testRoomCoolsWithoutItsPump() throws {
        var spec = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-design.yaml"))
        let foyer = try XCTUnwrap(spec.buildings.firstIndex { $0.id == "foyer" })
        let normal = spec
        spec.events.append(ScenarioEvent(instruction: .fault(.secondaryPump(building: spec.buildings[foyer].id)), atS: 2 * 86400, durationS: 6 * 3600, line: 0))
        var a = Simulation(try PlantBuilder.build(normal, days: 3)), b = Simulation(try PlantBuilder.build(spec, days: 3))
        a.run(durationS: 2 * 86400 + 6 * 3600)
        b.run(durationS: 2 * 86400 + 6 * 3600)
        let drop = a.plant.substations[foyer].building.airTemperatureC - b.plant.substations[foyer].building.airTemperatureC
        XCTAssertGreaterThan(drop, 1, "6 h without its pump at −15 °C: the room is colder than with it")
        XCTAssertLessThan(b.plant.substations[foyer].heatingKW, 0.5, "no heat into the circuit")
        XCTAssertTrue(b.alarmActivations.contains { $0.id == "foyer.PUMP" }, "the pump's fault contact: the substation alarms")
        XCTAssertEqual(Int(try XCTUnwrap(b.readTag(.substationController, foyer, "alarms.word"))) & 4, 4, "bit 2 of its alarm word")
        XCTAssertFalse(a.alarmActivations.contains { $0.id.hasSuffix(".PUMP") }, "no pump alarm without the fault")
        XCTAssertEqual(b.plant.substations[0].building.airTemperatureC, a.plant.substations[0].building.airTemperatureC, accuracy: 0.5,
                       "a neighbour barely notices")
        b.run(durationS: 12 * 3600)
        a.run(durationS: 12 * 3600)
        XCTAssertLessThan(a.plant.substations[foyer].building.airTemperatureC - b.plant.substations[foyer].building.airTemperatureC, drop,
                          "the pump back, the room recovers")
    }
}

/// Issue 5, network faults: the network pump fails (no flow, no heat to the buildings, the plant
/// controller alarms within a minute; back, it flows again), and a substation's valve sticks.
final class NetworkFaultTests: XCTestCase {
    func testNetworkPumpFailure() throws {
        var spec = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-design.yaml"))
        spec.events.append(ScenarioEvent(instruction: .fault(.networkPump), atS: 86400, durationS: 3 * 3600, line: 0))
        var sim = Simulation(try PlantBuilder.build(spec, days: 2))
        sim.run(durationS: 86400 - 60)
        XCTAssertGreaterThan(sim.plant.network.totalFlowM3PerH, 1)
        sim.run(durationS: 3 * 3600)
        XCTAssertEqual(sim.plant.network.totalFlowM3PerH, 0, accuracy: 1e-9, "no flow without the pump")
        XCTAssertEqual(sim.plant.pumpElectricKW, 0)
        let first = sim.alarmActivations.first { $0.id == "PLANT.NETWORK_PUMP" }
        XCTAssertEqual(try XCTUnwrap(first?.atS, "the plant controller sees no flow and alarms") - 86400, 60, accuracy: 10)
        XCTAssertLessThan(sim.plant.substations.map(\.heatingKW).reduce(0, +), 20, "no heat reaches the buildings")
        XCTAssertEqual(sim.readTag(.plantController, 0, "network.flow"), 0, "the flow register reads 0")
        XCTAssertEqual(Int(try XCTUnwrap(sim.readTag(.plantController, 0, "alarms.word"))) & (1 << 4), 1 << 4, "bit 4 of the plant's alarm word")
        sim.run(durationS: 3600)
        XCTAssertGreaterThan(sim.plant.network.totalFlowM3PerH, 1, "the pump back, water flows")
        let idx = try XCTUnwrap(sim.controller.alarms.index(of: "PLANT.NETWORK_PUMP"))
        XCTAssertFalse(sim.controller.alarms.states[idx].isActive)
    }

    func testStuckValveStaysWhereItStood() throws {
        var spec = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-trace1.yaml"))
        let ecole = try XCTUnwrap(spec.buildings.firstIndex { $0.id == "ecole" })
        spec.events = [ScenarioEvent(instruction: .fault(.valveStuck(building: spec.buildings[ecole].id)), atS: 5 * 3600, durationS: 6 * 3600, line: 0)]
        var sim = Simulation(try PlantBuilder.build(spec, days: 1))
        sim.run(durationS: 5 * 3600 + 10)
        let stuck = sim.plant.substations[ecole].heatingValve.position
        var moved = false
        for _ in 0..<35 {
            sim.run(durationS: 600)
            XCTAssertEqual(sim.plant.substations[ecole].heatingValve.position, stuck)
            if abs(sim.controller.actuators.substations[ecole].heatingValve - stuck) > 0.1 { moved = true }
        }
        XCTAssertTrue(moved, "the controller asked for another position meanwhile (school opening at 7:00)")
        XCTAssertEqual(sim.readTag(.substationController, ecole, "valve_position"), stuck * 100, "the register shows where it stands")
        XCTAssertTrue(sim.alarmActivations.contains { $0.id == "ecole.VALVE" }, "position away from the command: the substation alarms")
        XCTAssertEqual(Int(try XCTUnwrap(sim.readTag(.substationController, ecole, "alarms.word"))) & 2, 2, "bit 1 of the substation's alarm word")
        sim.run(durationS: 3600)
        XCTAssertNotEqual(sim.plant.substations[ecole].heatingValve.position, stuck, "freed, it follows again")
    }
}

/// Issue 5, the buffer's upper sensor fails: its register shows the invalid sentinel, the plant
/// controller alarms and the cascade trims on the nearest sensor that reads, so the network holds
/// its supply temperature; back, the reading and the alarm's condition clear.
final class BufferSensorFaultTests: XCTestCase {
    func testBufferSensorFailure() throws {
        var spec = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-design.yaml"))
        spec.events.append(ScenarioEvent(instruction: .fault(.bufferSensor), atS: 86400, durationS: 6 * 3600, line: 0))
        var sim = Simulation(try PlantBuilder.build(spec, days: 2))
        sim.run(durationS: 86400 - 60)
        let tag = "buffer.t\(sim.bufferSensorLayer + 1)"
        XCTAssertNotNil(sim.readTag(.plantController, 0, tag))
        var worstK = 0.0
        for _ in 0..<(6 * 60) {
            sim.run(durationS: 60)
            if sim.timeS > 86400 + 60 {
                XCTAssertNil(sim.readTag(.plantController, 0, tag), "the failed sensor has no reading: Modbus shows the sentinel")
                worstK = max(worstK, abs(sim.plant.networkSupplyC - sim.controller.networkSetpointC))
            }
        }
        XCTAssertTrue(sim.alarmActivations.contains { $0.id == "PLANT.BUFFER_SENSOR" })
        XCTAssertEqual(Int(try XCTUnwrap(sim.readTag(.plantController, 0, "alarms.word"))) & (1 << 5), 1 << 5, "bit 5 of the plant's alarm word")
        XCTAssertLessThan(worstK, 5, "the cascade holds on the neighbouring sensor: supply within 5 K of its setpoint at design load")
        sim.run(durationS: 3600)
        XCTAssertNotNil(sim.readTag(.plantController, 0, tag), "the sensor back, it reads again")
        let i = try XCTUnwrap(sim.controller.alarms.index(of: "PLANT.BUFFER_SENSOR"))
        XCTAssertFalse(sim.controller.alarms.states[i].isActive)
    }
}

/// Issue 5, a leak in the network: within the make-up's capacity the pressure holds between the
/// make-up's switch points and its meter counts the water lost (and the balance counts the heat
/// spent warming it); beyond, the pressure falls, the plant alarms, the low-pressure switch stops
/// the pump; the leak repaired, the make-up refills and the pump runs again.
final class LeakTests: XCTestCase {
    func testSmallLeakIsMadeUpAndCounted() throws {
        var spec = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-trace1.yaml"))
        spec.events = [ScenarioEvent(instruction: .fault(.leak(m3PerH: 0.1)), atS: 3600, durationS: 10 * 3600, line: 0)]
        var sim = Simulation(try PlantBuilder.build(spec, days: 1))
        var lowest = 9.0
        for _ in 0..<(12 * 60) {
            sim.run(durationS: 60)
            lowest = min(lowest, try XCTUnwrap(sim.readTag(.plantController, 0, "network.pressure")))
        }
        XCTAssertGreaterThan(lowest, 1.9, "the make-up keeps up: the pressure stays near its switch-on point")
        let meter = try XCTUnwrap(sim.readTag(.plantController, 0, "network.makeup_volume"))
        XCTAssertEqual(meter, 1.0, accuracy: 0.25, "10 h at 0.1 m³/h: the make-up meter shows the loss (within one fill cycle)")
        XCTAssertFalse(sim.alarmActivations.contains { $0.id == "PLANT.PRESSURE_LOW" })
        let r = RunReport(sim)
        // each m³ warmed from 10 °C to the return header's temperature: 1.163 kWh per K
        let meanRiseK = r.makeUpHeatMWh * 1000 / (meter * 1.163)
        print("make-up: \(meter) m³, \(r.makeUpHeatMWh * 1000) kWh, mean rise \(meanRiseK) K; header now \(sim.plant.headerC) °C")
        XCTAssertGreaterThan(meanRiseK, 10, "warmed from the mains' 10 °C to the return's temperature")
        XCTAssertLessThan(meanRiseK, 60)
        XCTAssertEqual(r.balanceResidualMWh, 0, accuracy: 1e-6 * r.combustionHeatMWh, "the balance closes with the make-up's heat")
    }

    func testLargeLeakStopsThePumpThenRecovers() throws {
        var spec = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-trace1.yaml"))
        spec.events = [ScenarioEvent(instruction: .fault(.leak(m3PerH: 1.0)), atS: 3600, durationS: 2 * 3600, line: 0)]
        var sim = Simulation(try PlantBuilder.build(spec, days: 1))
        sim.run(durationS: 3600)
        XCTAssertGreaterThan(sim.plant.network.totalFlowM3PerH, 0.3)
        var alarmAt: Double?, stoppedAt: Double?
        for _ in 0..<(2 * 360) {
            sim.run(durationS: 10)
            if alarmAt == nil, sim.controller.alarms.states[try XCTUnwrap(sim.controller.alarms.index(of: "PLANT.PRESSURE_LOW"))].isActive { alarmAt = sim.timeS - 3600 }
            if stoppedAt == nil, sim.plant.network.totalFlowM3PerH == 0 { stoppedAt = sim.timeS - 3600 }
        }
        let a = try XCTUnwrap(alarmAt, "low pressure alarm"), s = try XCTUnwrap(stoppedAt, "the low-pressure switch stops the pump")
        // 0.23 m³ in the vessel at 2.5 bar, lost at 0.7 m³/h net: ~20 min to 1.5 bar, then fast
        XCTAssertEqual(a / 60, 20, accuracy: 5)
        XCTAssertGreaterThan(s, a)
        XCTAssertLessThan(s - a, 10 * 60)
        XCTAssertLessThan(try XCTUnwrap(sim.readTag(.plantController, 0, "network.pressure")), 1)
        XCTAssertEqual(Int(try XCTUnwrap(sim.readTag(.plantController, 0, "alarms.word"))) & (1 << 6), 1 << 6, "bit 6 of the plant's alarm word")
        XCTAssertTrue(sim.alarmActivations.contains { $0.id == "PLANT.NETWORK_PUMP" }, "no head across the stopped pump")
        // repaired: the make-up refills (what drained beyond the vessel first, at 0.3 m³/h), the pump runs again
        let deficit = sim.plant.pressurisation.deficitM3
        XCTAssertGreaterThan(deficit, 0.5)
        sim.run(durationS: (deficit + 0.3) / 0.3 * 3600 + 1800)
        XCTAssertGreaterThan(try XCTUnwrap(sim.readTag(.plantController, 0, "network.pressure")), 2)
        XCTAssertGreaterThan(sim.plant.network.totalFlowM3PerH, 0.3)
        let i = try XCTUnwrap(sim.controller.alarms.index(of: "PLANT.PRESSURE_LOW"))
        XCTAssertFalse(sim.controller.alarms.states[i].isActive)
    }
}
