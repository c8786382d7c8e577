import XCTest
import PlantModel
import PlantControl
import PlantRecording
import Reporting
import Serving
@testable import SimulationCore
import Training
@testable import Scenario

/// Issue 11, alarms that raise on real trouble and stay quiet otherwise: flow-temperature
/// monitoring when the network's water is 20 K too cold, room comfort when a building stays
/// cold in its comfort period; neither in the same days without the fault.
final class CircuitAlarmTests: XCTestCase {
    /// On the reference plant's second January day (about 0 °C; at −15 °C the design week's
    /// morning peaks already starve the far radiator circuits for a while: a real finding).
    func testNetworkSupply20KLowRaisesFlowMonitoring() throws {
        let spec = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-trace1.yaml"))
        var a = Simulation(try PlantBuilder.build(spec, days: 3)), b = Simulation(try PlantBuilder.build(spec, days: 3))
        // the plant's law lowered by 20 K (a wrong setting, a boiler room that cannot follow);
        // the substations keep the design they were built for. (Lowered in the scenario instead,
        // the exchangers were sized on a 65 °C network for 70 °C emitters: no solution, and the
        // loader now refuses it)
        b.controller.settings.supplyLaw.coldSupplyC -= 20; b.controller.settings.supplyLaw.mildSupplyC -= 20
        a.run(durationS: 2 * 86400); b.run(durationS: 2 * 86400)
        let monitored = b.alarmActivations.filter { $0.id.hasSuffix(".FLOW_LOW") || $0.id.hasSuffix(".SUPPLY_LOW") }
        XCTAssertGreaterThanOrEqual(Set(monitored.map(\.id)).count, 2, "radiator circuits that cannot reach their flow: \(monitored)")
        // raised after its delay (the flow monitor's 30 min, the supply alarm's 15 min), not at once
        for m in monitored { XCTAssertGreaterThanOrEqual(m.atS, 900) }
        XCTAssertTrue(a.alarmActivations.filter { $0.id.hasSuffix(".FLOW_LOW") || $0.id.hasSuffix(".SUPPLY_LOW") }.isEmpty,
                      "the same day with the network at its law: quiet \(a.alarmActivations)")
    }

    func testRoomsColdInTheComfortPeriodRaiseTheComfortAlarm() throws {
        var spec = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-design.yaml"))
        let foyer = try XCTUnwrap(spec.buildings.firstIndex { $0.id == "foyer" })
        let normal = spec
        // the circuit pump fails at 06:00 on the second day: the rooms cool through the day
        spec.events.append(ScenarioEvent(instruction: .fault(.secondaryPump(building: spec.buildings[foyer].id)), atS: 86400 + 6 * 3600, durationS: 12 * 3600, line: 0))
        var a = Simulation(try PlantBuilder.build(normal, days: 2)), b = Simulation(try PlantBuilder.build(spec, days: 2))
        a.run(durationS: 86400 + 18 * 3600); b.run(durationS: 86400 + 18 * 3600)
        let room = b.alarmActivations.first { $0.id == "foyer.ROOM_LOW" }
        let raised = try XCTUnwrap(room, "the room more than 3 K under comfort for 2 h: \(b.alarmActivations)")
        XCTAssertGreaterThan(raised.atS, 86400 + 6 * 3600 + 7200, "not before its 2 h delay")
        XCTAssertTrue(b.alarmActivations.contains { $0.id == "foyer.PUMP" })
        XCTAssertFalse(a.alarmActivations.contains { $0.id.hasSuffix(".ROOM_LOW") }, "without the fault: quiet \(a.alarmActivations)")
        XCTAssertEqual(Int(try XCTUnwrap(b.readTag(.substationController, foyer, "alarms.word"))) & (1 << 4), 1 << 4, "bit 4 of its alarm word")
    }
}
