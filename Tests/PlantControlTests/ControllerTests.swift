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
