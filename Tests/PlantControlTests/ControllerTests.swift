import XCTest
import PlantModel
import PlantControl

final class ControllerTests: XCTestCase {
    /// PI on a first-order plant (gain 50 K per unit, τ = 300 s): settles on the setpoint; after
    /// a long saturation the anti-windup lets it leave the limit at once.
    func testPIClosedLoopAndAntiWindup() {
        var pi = PIController(gain: 0.05, integralTimeS: 200)
        var y = 20.0
        for _ in 0..<3600 {
            let u = pi.update(setpoint: 50, measurement: y, dtS: 1)
            y += (20 + 50 * u - y) / 300
        }
        XCTAssertEqual(y, 50, accuracy: 0.05)
        // unreachable setpoint for an hour: output saturates at 1, integral does not run away
        for _ in 0..<3600 { let u = pi.update(setpoint: 200, measurement: y, dtS: 1); y += (20 + 50 * u - y) / 300 }
        XCTAssertEqual(pi.output, 1)
        XCTAssertLessThanOrEqual(pi.integral, 1)
        // back to a reachable setpoint: the output leaves saturation within a few scans
        var left = 0
        for k in 0..<600 { let u = pi.update(setpoint: 40, measurement: y, dtS: 1); y += (20 + 50 * u - y) / 300; if u < 1 && left == 0 { left = k } }
        XCTAssertLessThan(left, 5)
    }

    /// The substation controller brings a real substation (exchanger, valve, emitters, building)
    /// fed at constant primary conditions to its heating-curve flow temperature.
    func testSubstationControllerSettlesOnTheCurve() {
        let design = SubstationDesign(designLoadKW: 60, emitter: .radiators, secondarySupplyC: 70, secondaryReturnC: 50,
                                      primarySupplyC: 85, primaryReturnC: 55, designDifferentialPressureKPa: 25)
        let params = BuildingParameters.make(heatLossKWPerK: 1.5, floorAreaM2: 600, construction: .medium, occupiedGainsWPerM2: 0,
                                             unoccupiedGainsWPerM2: 0, solarGainsWPerM2: [Double](repeating: 0, count: 12))
        let schedule = WeeklySchedule(periods: [.init(weekdays: Set(1...7), fromHour: 0, toHour: 24)])
        var sub = Substation(id: "x", design: design, building: Building(parameters: params, initialC: 18), schedule: schedule,
                             dhwDemand: nil, dhwTank: nil, meterSerial: 1)
        var settings = HeatingCircuitSettings(curve: .slope(slope: 1.4, displacementK: 0), comfortRoomC: 20, reducedRoomC: 16, minFlowC: 20, maxFlowC: 75)
        settings.returnLimitColdC = 90; settings.returnLimitWarmC = 90
        var ctl = SubstationController(settings: settings, schedule: schedule, initialOutdoorC: -5)
        let cal = SimCalendar(start: CivilDate(year: 2025, month: 1, day: 6))
        var cmd = SubstationCommand()
        var reading = PlantSensors.SubstationReading()
        var t = 0.0
        for _ in 0..<(4 * 3600) {
            reading.primarySupplyC = sub.primarySupplyC; reading.primaryReturnC = sub.primaryReturnC
            reading.secondarySupplyC = sub.secondarySupplyC; reading.secondaryReturnC = sub.secondaryReturnC
            reading.roomC = sub.building.airTemperatureC; reading.heatingValvePosition = sub.heatingValve.position
            ctl.scan(dtS: 1, moment: cal.moment(t), outdoorC: -5, reading: reading, command: &cmd)
            // the network holds 25 kPa across the substation and 80 °C supply
            let q = sub.conductance * 25.0.squareRoot()
            sub.step(dtS: 1, moment: cal.moment(t), outdoorC: -5, supplyC: 80, primaryM3PerH: q, command: cmd)
            t += 1
        }
        XCTAssertEqual(ctl.flowSetpointC, 20 + 1.4 * 25, accuracy: 1e-9)
        XCTAssertEqual(sub.secondarySupplyC, ctl.flowSetpointC, accuracy: 0.5)
        XCTAssertEqual(sub.building.airTemperatureC, 20, accuracy: 0.3)
        XCTAssertGreaterThan(sub.meter.energyKWh, 0)
    }

    /// Staging predicates and the sequencer: start on a discharged buffer, stage up when the
    /// running boiler is saturated, skip a boiler taken out, rotate by run hours.
    func testCascadeStagesUpSkipsUnavailableAndRotates() {
        var settings = CascadeSettings()
        settings.stageUpDelayS = 60; settings.minOffS = 0
        var seq = CascadeSequencer(nominalKW: [250, 250, 250], gasBoilers: 0, settings: settings)
        var act = PlantActuators(substations: 0, boilers: 3, gasBoilers: 0)
        var s = PlantSensors()
        s.bufferLayersC = [Double](repeating: 60, count: 12)   // discharged: charge setpoint 80 + 5
        s.boilerWaterC = [70, 70, 70]; s.boilerState = [.off, .off, .off]; s.boilerFiring = [0, 0, 0]
        s.networkFlowM3PerH = 30; s.networkSupplyC = 80; s.networkReturnC = 50   // ≈ 1 MW of load
        seq.disabled[1] = true
        let runHours = [500.0, 100, 300]
        seq.scan(dtS: 1, sensors: s, networkSetpointC: 80, runHours: runHours, act: &act)
        // lead: the least run hours among the available ones (B2 is out): B3
        XCTAssertEqual(act.boilerDemand, [false, false, true])
        s.boilerState = [.off, .off, .running]; s.boilerFiring = [0, 0, 1]
        for k in 0..<61 { s.timeS = Double(k + 1); seq.scan(dtS: 1, sensors: s, networkSetpointC: 80, runHours: runHours, act: &act) }
        XCTAssertEqual(act.boilerDemand, [true, false, true])
        XCTAssertEqual(act.boilerModulation[0], 1, accuracy: 1e-9)
        XCTAssertTrue(StagingConditions.oneFewerWouldDo(firing: [0.3, 0, 0.3], running: [0, 2], share: 0.8))
        XCTAssertFalse(StagingConditions.saturated(firing: [0.3, 0, 1], running: [0, 2], threshold: 0.95))
    }

    func testSupplyLaw() {
        let law = SupplyLaw(coldOutdoorC: -15, coldSupplyC: 85, mildOutdoorC: 15, mildSupplyC: 70)
        XCTAssertEqual(law.setpointC(outdoorC: -20), 85)
        XCTAssertEqual(law.setpointC(outdoorC: 0), 77.5)
        XCTAssertEqual(law.setpointC(outdoorC: 25), 70)
    }
}

final class SeasonAndTopUpTests: XCTestCase {
    /// Summer cut-off on the attenuated outdoor temperature (with 1 K hysteresis), frost
    /// protection of a closed building, and the programme's reduced set-point.
    func testSummerCutOffFrostProtectionAndSetback() {
        let schedule = WeeklySchedule(periods: [.init(weekdays: Set(1...5), fromHour: 7, toHour: 18)],
                                      season: .init(openMonth: 3, openDay: 15, closeMonth: 10, closeDay: 31))
        let settings = HeatingCircuitSettings(curve: .slope(slope: 1.2, displacementK: 0), comfortRoomC: 20, reducedRoomC: 16, minFlowC: 20, maxFlowC: 70)
        var c = SubstationController(settings: settings, schedule: schedule, initialOutdoorC: 10)
        var cmd = SubstationCommand()
        var r = PlantSensors.SubstationReading()
        r.roomC = 19; r.secondarySupplyC = 30; r.primaryReturnC = 30
        let june = SimCalendar(start: CivilDate(year: 2025, month: 6, day: 2))   // a Monday
        for k in 0..<(3 * 86400 / 60) { c.scan(dtS: 60, moment: june.moment(Double(k) * 60), outdoorC: 22, reading: r, command: &cmd) }
        XCTAssertFalse(c.heatingOn)
        XCTAssertFalse(cmd.secondaryPump)
        XCTAssertEqual(cmd.heatingValve, 0)
        // cold again: heating comes back once the attenuated temperature falls under 15.5 °C
        for k in 0..<(3 * 86400 / 60) { c.scan(dtS: 60, moment: june.moment(Double(k) * 60), outdoorC: 5, reading: r, command: &cmd) }
        XCTAssertTrue(c.heatingOn)
        XCTAssertTrue(cmd.secondaryPump)
        XCTAssertEqual(c.roomSetpoint(at: june.moment(3 * 3600)), 16)     // night: reduced
        XCTAssertEqual(c.roomSetpoint(at: june.moment(9 * 3600)), 20)     // Monday 09:00: comfort
        // closed season at −5 °C: frost protection runs the circuit toward 8 °C in the rooms
        let january = SimCalendar(start: CivilDate(year: 2025, month: 1, day: 6))
        var w = SubstationController(settings: settings, schedule: schedule, initialOutdoorC: -5)
        r.roomC = 9
        w.scan(dtS: 1, moment: january.moment(9 * 3600), outdoorC: -5, reading: r, command: &cmd)
        XCTAssertEqual(w.roomSetpointC, 8)
        XCTAssertTrue(cmd.secondaryPump)
        XCTAssertLessThanOrEqual(w.flowSetpointC, 35)
    }

    /// A gas top-up boiler starts only when every available wood boiler has run saturated for
    /// the stage-up delay and the buffer is still drawn down; with no wood boiler available it
    /// starts at once.
    func testGasTopUpAfterWood() {
        var settings = CascadeSettings()
        settings.stageUpDelayS = 60
        var seq = CascadeSequencer(nominalKW: [250], gasBoilers: 1, settings: settings)
        var act = PlantActuators(substations: 0, boilers: 1, gasBoilers: 1)
        var s = PlantSensors()
        s.bufferLayersC = [Double](repeating: 60, count: 10)
        s.boilerWaterC = [80]; s.boilerState = [.running]; s.boilerFiring = [1]
        s.gasWaterC = [60]; s.gasAvailable = [true]
        s.networkFlowM3PerH = 20; s.networkSupplyC = 80; s.networkReturnC = 50
        seq.scan(dtS: 1, sensors: s, networkSetpointC: 80, runHours: [0], act: &act)
        XCTAssertEqual(act.boilerDemand, [true])
        XCTAssertEqual(act.gasDemand, [false])
        for _ in 0..<61 { seq.scan(dtS: 1, sensors: s, networkSetpointC: 80, runHours: [0], act: &act) }
        XCTAssertEqual(act.gasDemand, [true])
        // wood boiler in fault: gas alone
        var seq2 = CascadeSequencer(nominalKW: [250], gasBoilers: 1, settings: settings)
        s.boilerState = [.fault]
        seq2.scan(dtS: 1, sensors: s, networkSetpointC: 80, runHours: [0], act: &act)
        XCTAssertEqual(act.boilerDemand, [false])
        XCTAssertEqual(act.gasDemand, [true])
    }
}
