import XCTest
import PlantRecording
import Reporting
import Serving
import SimulationCore
import Training
import PlantModel

// These run the reference plant for a simulated year at a 1 s step and the design-conditions
// scenarios: minutes in a release build, hours in a debug one. `scripts/test` (README's test
// command) runs `swift test -c release`, where they are compiled in.
#if !DEBUG

/// Where the reference year records its historian (kept for a look after the tests).
let referenceYearDB = FileManager.default.temporaryDirectory.appendingPathComponent("chaufferie-reference-year-\(getpid()).db").path

/// The 365-day run of the reference scenario with the default seed, recorded into the
/// historian, shared by the tests.
let referenceYearAudited: Result<(RunReport, Simulation, DynamicsAudit), any Error> = Result {
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: referenceYearDB + suffix) }
    return try runScenarioAudited("Scenarios/wangenbourg-trace1.yaml", durationS: 365 * 86400, recordTo: referenceYearDB)
}
let referenceYearRun: Result<(RunReport, Simulation), any Error> = referenceYearAudited.map { ($0.0, $0.1) }

final class ReferenceYearTests: XCTestCase {
    func year() throws -> RunReport { try referenceYearRun.get().0 }

    /// Must show 1: heat delivered 683 MWh ± 5 %, every building within ± 10 % of its annual figure.
    func testHeatDelivered() throws {
        let r = try year()
        XCTAssertEqual(r.heatDeliveredMWh, 683, accuracy: 0.05 * 683)
        for b in r.buildings {
            XCTAssertEqual(b.heatDeliveredMWh, b.referenceMWh, accuracy: 0.10 * b.referenceMWh, b.id)
        }
    }

    /// Must show 2: network losses 94 MWh ± 15 %, heat produced 777 MWh ± 6 %.
    func testLossesAndProduction() throws {
        let r = try year()
        XCTAssertEqual(r.networkLossesMWh, 94, accuracy: 0.15 * 94)
        XCTAssertEqual(r.heatProducedMWh, 777, accuracy: 0.06 * 777)
    }

    /// Must show 4: full-load hours 1036 ± 10 %; deliveries follow from the fuel actually burned.
    func testFullLoadHoursAndDeliveries() throws {
        let r = try year()
        XCTAssertEqual(r.fullLoadHours, 1036, accuracy: 0.10 * 1036)
        // trucks delivered = what the silo lost, to within the level left at the end
        let truckM3 = 35.0
        let consumed = r.fuelBurnedM3
        XCTAssertEqual(Double(r.trucks) * truckM3, consumed + r.siloLevelEndM3 - 176, accuracy: 1e-6 * consumed + 0.01)
        XCTAssertGreaterThan(r.trucks, 20)   // the study's 17 trucks cannot carry its own 777 MWh
    }

    /// Must show 5: fuel × efficiency = delivered + network losses + stored change (+ the
    /// plant's own buffer and shell losses), within 0.5 % over the year.
    func testEnergyBalanceOverTheYear() throws {
        let r = try year()
        XCTAssertLessThan(abs(r.balanceResidualMWh), 0.005 * r.combustionHeatMWh)
        XCTAssertEqual(r.heatingDegreeDays, 3300, accuracy: 15)
    }
}

/// Issue 11: what a commissioning engineer reads on the reference year's trends, measured by the
/// dynamics audit every 10 s over 15–28 Jan, 1–14 May and 1–14 Jul and over the whole year.
final class DynamicsAuditTests: XCTestCase {
    func audit() throws -> (DynamicsAudit, Simulation) { let r = try referenceYearAudited.get(); return (r.2, r.1) }

    /// Must show 1–4: no cycling of the heating circuits, no stall, no dip of the rooms during
    /// DHW charges, the comfort setpoint reached on every January morning.
    func testCircuitsDoNotCycleStallOrDip() throws {
        let (a, sim) = try audit()
        for (w, win) in a.windows.enumerated() {
            for (k, id) in a.ids.enumerated() {
                let f = a.figures[w][k]
                // the issue's ≤ 2 a day (1e-6: a window's days are a sum of 10 s samples)
                XCTAssertLessThanOrEqual(f.perDay.heating, 2 + 1e-6, "\(win.name) \(id): heating-branch return swings a day")
                XCTAssertLessThanOrEqual(f.perDay.meter, 2 + 1e-6, "\(win.name) \(id): meter return swings a day")
                if sim.plant.substations[k].dhwTank != nil {
                    // on the tank's two sensors a tank charges once a day (the disinfection's
                    // charge; 0.5 at the hotel, closed in January): 2–3.6 with the one sensor
                    XCTAssertLessThanOrEqual(f.dhwChargesPerDay, 1 + 1e-6, "\(win.name) \(id): DHW charges a day")
                }
                XCTAssertLessThanOrEqual(f.noHeatShare, 0.05, "\(win.name) \(id): secondary flowing without heat")
                if !f.dhwChargeDropsK.isEmpty {
                    XCTAssertLessThanOrEqual(DynamicsAudit.median(f.dhwChargeDropsK), 0.3, "\(win.name) \(id)")
                    XCTAssertLessThanOrEqual(f.dhwChargeDropsK.max()!, 1, "\(win.name) \(id)")
                }
                if win.name == "Jan" && !f.recoveryMinutes.isEmpty {
                    XCTAssertLessThanOrEqual(DynamicsAudit.median(f.recoveryMinutes), 120, "\(id): recovery after setback")
                    XCTAssertEqual(f.recoveryMissed, 0, "\(id): a comfort period that never reached its setpoint")
                }
                if let t = sim.plant.substations[k].dhwTank, t.volumeM3 >= 0.4 {
                    XCTAssertGreaterThanOrEqual(f.hotShare, 0.95, "\(win.name) \(id): DHW outlet at or above 55 °C")
                }
                if win.name == "Jul" && f.roomSamplesOff > 0 {
                    XCTAssertLessThanOrEqual(f.roomMeanOffC, 25, "\(id): July room with the heating off")
                }
            }
        }
        for (k, id) in a.ids.enumerated() where sim.plant.substations[k].dhwTank != nil {
            XCTAssertGreaterThanOrEqual(a.disinfections[k], 360, "\(id): a disinfection cycle a day")
        }
    }

    /// Must show 5–7: the cascade's starts and firing periods, floor circuits within their
    /// limit, and no circuit alarm in a normal year.
    func testCascadeFloorLimitsAndQuietAlarms() throws {
        let (a, sim) = try audit()
        XCTAssertEqual(a.coldWhileEmbers, 0)
        XCTAssertLessThanOrEqual(a.shortFiringPeriods, 10)
        // the ember-end restart keeps the summer's calls warm (859 cold starts a year before
        // issue 11, 491 without that restart)
        XCTAssertLessThanOrEqual(a.coldStarts, 300)
        XCTAssertGreaterThan(a.warmRestarts, a.coldStarts, "most calls find a boiler holding embers")
        for (k, id) in a.ids.enumerated() where sim.plant.substations[k].circuit.kind == .floor {
            XCTAssertLessThanOrEqual(a.floorOverLimitMaxS[k], 60, "\(id): floor supply over its limit + 2 K")
        }
        let circuit = sim.alarmActivations.filter { a in ["SUPPLY_LOW", "FLOW_LOW", "ROOM_LOW", "SAFETY_THERMOSTAT"].contains { a.id.hasSuffix(".\($0)") } }
        XCTAssertTrue(circuit.isEmpty, "\(circuit)")
    }
}

/// Must show 3: design conditions, −15 °C held; measured over a week after three days.
final class DesignConditionsTests: XCTestCase {
    static let warm = 3 * 86400.0, week = 7 * 86400.0

    /// Issue 11 changed this: the buildings are calibrated on the study's annual heat with no
    /// invented free heat, and that annual heat implies buildings that lose about 40 % less at
    /// −15 °C than the study's design loads say (a finding about the study, printed by the run
    /// report). The design week therefore follows the calibrated buildings: the peak and every
    /// 6-hour slot are held against the calibrated loss at design (plus the network's), and the
    /// finding itself is held so that it cannot change silently.
    func testPeakAndSlotsAtDesignConditions() throws {
        let (r, sim) = try runScenario("Scenarios/wangenbourg-design.yaml", warmUpS: Self.warm, durationS: Self.week)
        XCTAssertEqual(r.minOutdoorC, -15, accuracy: 1e-9)
        XCTAssertEqual(r.studyDesignLoadKW, 701, accuracy: 1e-9)
        XCTAssertEqual(r.calibratedDesignLossKW / r.studyDesignLoadKW, 0.6, accuracy: 0.1, "the study's design loads against its annual heat")
        let design = r.calibratedDesignLossKW + 13   // + the network's loss at design (the study's 13 kW)
        XCTAssertGreaterThanOrEqual(r.peakHourlyProductionKW, design)
        // plus the DHW tanks' charging duty (their branches' sizing, coil × 20 K): charged in
        // full on their two sensors, by the 02:00 disinfection, in the night of the optimum starts
        let dhwChargeKW = sim.plant.substations.compactMap(\.dhwTank).reduce(0) { $0 + $1.coilUAKWPerK * 20 }
        XCTAssertLessThanOrEqual(r.peakHourlyProductionKW, 1.35 * design + dhwChargeKW, "recovery after setback on top of the loss, and the DHW charges")
        for k in 0..<4 {
            XCTAssertEqual(r.weekdaySlotsKW[k], design, accuracy: 0.25 * design, "weekday slot \(k)")
            XCTAssertEqual(r.weekendSlotsKW[k], design, accuracy: 0.25 * design, "weekend slot \(k)")
        }
    }

    func testBoilersOutStillCoverTheStudysShares() throws {
        let (all, _) = try runScenario("Scenarios/wangenbourg-design.yaml", warmUpS: Self.warm, durationS: Self.week)
        let (one, _) = try runScenario("Scenarios/wangenbourg-design-one-boiler-out.yaml", warmUpS: Self.warm, durationS: Self.week)
        let (two, _) = try runScenario("Scenarios/wangenbourg-design-two-boilers-out.yaml", warmUpS: Self.warm, durationS: Self.week)
        XCTAssertGreaterThanOrEqual(one.heatDeliveredMWh / all.heatDeliveredMWh, 0.86)
        XCTAssertGreaterThanOrEqual(two.heatDeliveredMWh / all.heatDeliveredMWh, 0.43)
        XCTAssertEqual(one.boilers[0].runHours, 0)
        XCTAssertEqual(two.boilers[1].runHours, 0)
    }
}
#endif
