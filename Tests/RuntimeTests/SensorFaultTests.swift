import XCTest
import Foundation
import PlantControl
import PlantModel
import Runtime
@testable import Scenario

/// Issue 5, sensor faults: the outdoor sensor fails (controllers fall back to the configured
/// value and alarm; the register has no value, so Modbus shows the invalid sentinel), then
/// drifts.
final class SensorFaultTests: XCTestCase {
    func testOutdoorSensorFailsThenDrifts() throws {
        var spec = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-trace1.yaml"))
        spec.events = [ScenarioEvent(kind: .outdoorSensor(failed: true, driftK: 0), atS: 3600, durationS: 2 * 3600, line: 0),
                       ScenarioEvent(kind: .outdoorSensor(failed: false, driftK: 3), atS: 4 * 3600, durationS: 3600, line: 0)]
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
