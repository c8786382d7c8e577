import XCTest
import Foundation
import Scenario
import SimulationCore

/// One typed instruction for everything that changes the plant.
final class InstructionTests: XCTestCase {
    func testInstructionsAreCodableAndTheAPISpeaksThem() throws {
        let all: [Instruction] = [
            .write(device: "ecole", point: "comfort_setpoint", value: 21.5), .acknowledge(alarm: nil), .acknowledge(alarm: "B1.FAULT"),
            .deliver(trucks: 2), .automaticOrders(false), .fault(.boiler(id: "B2", fault: "augerJam")), .repair(.boiler(id: "B2", fault: "")),
            .fault(.boilerOut(id: "B1")), .fault(.meter(building: "ecole")), .fault(.secondaryPump(building: "foyer")),
            .fault(.valveStuck(building: "mairie")), .fault(.networkPump), .fault(.bufferSensor), .fault(.leak(m3PerH: 0.4)),
            .fault(.outdoorSensor(failed: false, driftK: 2.5)), .fault(.comm(unit: 12, mode: .late(ms: 500))), .holdOutdoor(C: -15), .speed(60),
        ]
        for i in all {
            XCTAssertEqual(try JSONDecoder().decode(Instruction.self, from: Data(i.json.utf8)), i, i.json)
        }
        // the control API's requests, as the command line sends them
        XCTAssertEqual(try Instruction.parse(path: "/faults", body: ["kind": "meterFault", "building": "ecole"]), .fault(.meter(building: "ecole")))
        XCTAssertEqual(try Instruction.parse(path: "/faults/clear", body: ["kind": "boilerFault", "boiler": "B2"]), .repair(.boiler(id: "B2", fault: "")))
        XCTAssertEqual(try Instruction.parse(path: "/faults", body: ["kind": "commFault", "unit": "12", "mode": "late", "delayMs": "500"]),
                       .fault(.comm(unit: 12, mode: .late(ms: 500))))
        XCTAssertEqual(try Instruction.parse(path: "/write", body: ["device": "plant", "point": "law.cold_supply", "value": "85"]),
                       .write(device: "plant", point: "law.cold_supply", value: 85))
        XCTAssertThrowsError(try Instruction.parse(path: "/faults", body: ["kind": "commFault", "unit": "12", "mode": "late", "delayMs": "0"]))
        XCTAssertThrowsError(try Instruction.parse(path: "/deliver", body: ["trucks": "99"]))
        XCTAssertTrue(Instruction.speed(1).isDaemons && Instruction.repair(.comm(unit: 3, mode: .offline)).isDaemons)
        XCTAssertFalse(Instruction.fault(.networkPump).isDaemons)
    }

    /// A scenario's fault is struck when its event starts and repaired when it ends; an
    /// instructor's repair in between stands (the scenario does not strike it again each scan).
    func testAScenarioFaultStrikesAtItsStartRepairsAtItsEndAndAnOperatorsRepairStands() throws {
        var spec = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-trace1.yaml"))
        let ecole = try XCTUnwrap(spec.buildings.firstIndex { $0.id == "ecole" })
        spec.events = [ScenarioEvent(instruction: .fault(.meter(building: "ecole")), atS: 3600, durationS: 6 * 3600, line: 0)]
        var sim = Simulation(try PlantBuilder.build(spec, days: 1))
        var other = sim
        sim.run(durationS: 2 * 3600)
        XCTAssertTrue(sim.plant.substations[ecole].meter.failed, "struck at the event's start")
        try sim.apply(.repair(.meter(building: "ecole")))
        sim.run(durationS: 3600)
        XCTAssertFalse(sim.plant.substations[ecole].meter.failed, "the instructor's repair stands within the event")
        other.run(durationS: 3 * 3600)
        XCTAssertTrue(other.plant.substations[ecole].meter.failed)
        other.run(durationS: 5 * 3600)
        XCTAssertFalse(other.plant.substations[ecole].meter.failed, "repaired at the event's end")
        // a write goes through the catalogue: out of range, refused, nothing changes
        let before = other.controller.substations[ecole].settings.comfortRoomC
        XCTAssertThrowsError(try other.apply(.write(device: "ecole", point: "comfort_setpoint", value: 40)))
        XCTAssertThrowsError(try other.apply(.write(device: "nowhere", point: "comfort_setpoint", value: 20)))
        XCTAssertEqual(other.controller.substations[ecole].settings.comfortRoomC, before)
        try other.apply(.write(device: "ecole", point: "comfort_setpoint", value: 21.5))
        XCTAssertEqual(other.controller.substations[ecole].settings.comfortRoomC, 21.5)
        XCTAssertThrowsError(try other.apply(.speed(2)), "the daemon's, not the plant's")
    }
}

extension InstructionTests {
    /// A refused write says why in words, wherever it is shown (the API's 400, the log, a refused state file).
    func testRefusalsReadAsSentences() throws {
        let spec = try ScenarioLoader.load(path: packagePath("Scenarios/wangenbourg-trace1.yaml"))
        var sim = Simulation(try PlantBuilder.build(spec, days: 1))
        XCTAssertThrowsError(try sim.apply(.write(device: "ecole", point: "comfort_setpoint", value: 40))) {
            XCTAssertEqual("\($0)", "comfort_setpoint 40 is outside 10–26 °C")
        }
        XCTAssertThrowsError(try sim.apply(.write(device: "mairie", point: "dhw_setpoint", value: 60))) {
            XCTAssertEqual("\($0)", "this substation has no DHW tank")
        }
        XCTAssertThrowsError(try sim.apply(.write(device: "ecole", point: "room_temperature", value: 20))) {
            XCTAssertEqual("\($0)", "'room_temperature' takes no writes")
        }
    }
}
