import XCTest
import Foundation
import PlantControl
import PlantModel
import PlantRecording
import Reporting
import Serving
import SimulationCore
import Training
import Scenario

#if !DEBUG

/// Issue 5, must show 2: `Scenarios/silo-forgotten.yaml` — no delivery ordered at −15 °C.
final class SiloForgottenTests: XCTestCase {
    func testOrderOfEventsAndRestartAfterADelivery() throws {
        let spec = try ScenarioLoader.load(path: packagePath("Scenarios/silo-forgotten.yaml"))
        var sim = Simulation(try PlantBuilder.build(spec, days: 19))
        var first: [String: Double] = [:]       // alarm id → first time it became active
        var emptyAt: Double?, allStoppedAt: Double?, restartedAt: Double?, deliveredAt: Double?, firingAgainAt: Double?
        let boilers = sim.plant.boilers.indices
        for _ in 0..<(18 * 24 * 6) {              // 18 days, looked at every 10 min
            sim.run(durationS: 600)
            let t = sim.timeS
            for (i, st) in sim.controller.alarms.states.enumerated() where st.isActive && first[sim.controller.alarms.definitions[i].id] == nil {
                first[sim.controller.alarms.definitions[i].id] = t
            }
            if emptyAt == nil && !sim.plant.silo.hasFuel { emptyAt = t }
            if emptyAt != nil && allStoppedAt == nil && boilers.allSatisfy({ !sim.plant.boilers[$0].isFiring }) {
                allStoppedAt = t
                XCTAssertTrue(boilers.contains { sim.plant.boilers[$0].fault == .fuelShortage }, "stopped on fuel shortage")
            }
            if deliveredAt == nil && sim.plant.silo.trucksDelivered > 0 { deliveredAt = t }
            if deliveredAt != nil && firingAgainAt == nil && boilers.contains(where: { sim.plant.boilers[$0].isFiring }) { firingAgainAt = t }
            if deliveredAt != nil && restartedAt == nil && sim.plant.networkSupplyC > sim.controller.networkSetpointC - 5 { restartedAt = t }
        }
        let low = try XCTUnwrap(first["PLANT.SILO_LOW"]), empty = try XCTUnwrap(first["PLANT.SILO_EMPTY"])
        let stopped = try XCTUnwrap(allStoppedAt), emptied = try XCTUnwrap(emptyAt)
        let faults = sim.spec.boilerRoom.boilers.compactMap { first["\($0.id).FAULT"] }
        let substations = sim.spec.buildings.compactMap { first["\($0.id).SUPPLY_LOW"] }
        XCTAssertFalse(faults.isEmpty, "the boilers that ran trip on fuel shortage")
        XCTAssertEqual(substations.count, sim.spec.buildings.count, "every substation raises its supply alarm")
        XCTAssertLessThan(low, empty, "low level before empty")
        XCTAssertEqual(empty, emptied, accuracy: 600)
        XCTAssertLessThanOrEqual(empty, faults.min()! + 600, "empty, then the boilers trip")
        XCTAssertLessThanOrEqual(faults.max()!, stopped + 600)
        XCTAssertLessThan(stopped, substations.min()!, "then the network cools and the substations alarm")
        let delivered = try XCTUnwrap(deliveredAt)
        XCTAssertGreaterThan(delivered, substations.max()!)
        let firing = try XCTUnwrap(firingAgainAt, "the boilers restart after the delivery")
        XCTAssertLessThanOrEqual(firing - delivered, 3600, "a boiler fires within the hour of the first truck")
        // the whole network and its buildings are cold at -15 °C: the 750 kW cascade takes
        // hours to bring the supply back (14 h in this run)
        let restarted = try XCTUnwrap(restartedAt, "the plant restarts after the delivery")
        XCTAssertLessThan(restarted - delivered, 24 * 3600, "supply back within 5 K of its setpoint within a day of the trucks")
        XCTAssertFalse(sim.controller.alarms.states[try XCTUnwrap(sim.controller.alarms.index(of: "PLANT.SILO_EMPTY"))].isActive)
        XCTAssertTrue(boilers.contains { sim.plant.boilers[$0].state == .running })
    }
}
#endif
