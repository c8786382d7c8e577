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
        let schedule = WeeklySchedule(periods: [.init(weekdays: Set(1...7), fromHour: 0, toHour: 24)])
        var sub = radiatorSubstation(heatLossKWPerK: 1.5, construction: .medium, occupiedGainsWPerM2: 0, unoccupiedGainsWPerM2: 0,
                                     solarGainsWPerM2: 0, schedule: schedule, initialC: 18)
        var settings = HeatingCircuitSettings(curve: .slope(slope: 1.4, displacementK: 0), comfortRoomC: 20, reducedRoomC: 16, minFlowC: 20, maxFlowC: 75)
        settings.returnLimitColdC = 90; settings.returnLimitWarmC = 90
        var ctl = SubstationController(settings: settings, schedule: schedule, initialOutdoorC: -5)
        let cal = SimCalendar(start: CivilDate(year: 2025, month: 1, day: 6))
        var cmd = SubstationCommand()
        var reading = PlantSensors.SubstationReading()
        var t = 0.0
        for _ in 0..<(4 * 3600) {
            reading.primarySupplyC = sub.primarySupplySensorC; reading.primaryReturnC = sub.primaryReturnC
            reading.secondarySupplyC = sub.secondarySupplyC; reading.secondaryReturnC = sub.secondaryReturnC
            reading.roomC = sub.building.airTemperatureC; reading.heatingValvePosition = sub.heatingValve.position
            ctl.scan(dtS: 1, moment: cal.moment(t), outdoorC: -5, reading: reading, command: &cmd)
            // the network holds 25 kPa across the substation and 80 °C supply
            sub.moveValves(toward: cmd, dtS: 1)
            let q = sub.conductance * 25.0.squareRoot()
            sub.step(dtS: 1, moment: cal.moment(t), outdoorC: -5, supplyC: 80, primaryM3PerH: q, command: cmd)
            t += 1
        }
        // on the curve, moved by the room's influence (2 K per K above, 1 K per K below)
        XCTAssertEqual(ctl.flowSetpointC, 20 + 1.4 * 25, accuracy: 2.4 * 0.3 * 2)
        XCTAssertEqual(sub.secondarySupplyC, ctl.flowSetpointC, accuracy: ctl.settings.neutralZoneK / 2 + 0.5)
        // the room influence is proportional: it leaves an offset below the set-point (19.70 K at
        // 4 h with the valve moved before the hydraulics, the same to 0.004 K with it moved
        // after; 19.62–19.64 at 8 h)
        XCTAssertEqual(sub.building.airTemperatureC, 20, accuracy: 0.45)
        XCTAssertGreaterThan(sub.meter.energyKWh, 0)
    }

    /// Staging predicates and the sequencer: start on a discharged buffer, stage up when the
    /// running boiler is saturated, skip a boiler taken out (the sequence, not run hours, decides).
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
        seq.scan(dtS: 1, sensors: s, networkSetpointC: 80, act: &act)
        // the sequence's lead (B1) starts, whatever the run hours
        XCTAssertEqual(act.boilerDemand, [true, false, false])
        s.boilerState = [.running, .off, .off]; s.boilerFiring = [1, 0, 0]
        for k in 0..<61 { s.timeS = Double(k + 1); seq.scan(dtS: 1, sensors: s, networkSetpointC: 80, act: &act) }
        XCTAssertEqual(act.boilerDemand, [true, false, true])
        XCTAssertEqual(act.boilerModulation[0], 1, accuracy: 1e-9)
        XCTAssertTrue(StagingConditions.oneFewerWouldDo(firing: [0.3, 0, 0.3], running: [0, 2], share: 0.8))
        XCTAssertFalse(StagingConditions.saturated(firing: [0.3, 0, 1], running: [0, 2], threshold: 0.95))
    }

    /// The sequence keeps its lead at a stage-down (the last in the sequence stops), a stage-up
    /// takes a boiler still holding embers before the next in the sequence, and the lead rotates
    /// at the fixed interval.
    func testCascadeKeepsItsLeadPrefersEmbersAndRotatesWeekly() {
        var settings = CascadeSettings()
        settings.stageUpDelayS = 60; settings.stageDownDelayS = 60; settings.minOffS = 0; settings.minOnS = 0
        var seq = CascadeSequencer(nominalKW: [250, 250, 250], gasBoilers: 0, settings: settings)
        var act = PlantActuators(substations: 0, boilers: 3, gasBoilers: 0)
        var s = PlantSensors()
        s.bufferLayersC = [Double](repeating: 60, count: 12)
        s.boilerWaterC = [70, 70, 70]; s.boilerState = [.off, .off, .off]; s.boilerFiring = [0, 0, 0]
        s.networkFlowM3PerH = 30; s.networkSupplyC = 80; s.networkReturnC = 50
        var t = 0.0
        func scan(_ n: Int) { for _ in 0..<n { t += 1; s.timeS = t; seq.scan(dtS: 1, sensors: s, networkSetpointC: 80, act: &act) } }
        scan(1)
        XCTAssertEqual(act.boilerDemand, [true, false, false])
        // B1 saturated: B2 follows
        s.boilerState = [.running, .off, .off]; s.boilerFiring = [1, 0, 0]
        scan(61)
        XCTAssertEqual(act.boilerDemand, [true, true, false])
        // both at 30 %: one fewer would do, and it is B2 (the last in the sequence) that stops
        s.boilerState = [.running, .running, .off]; s.boilerFiring = [0.3, 0.3, 0]
        scan(61)
        XCTAssertEqual(act.boilerDemand, [true, false, false])
        // B2 keeps embers; B1 saturated again: B2 restarts warm before B3
        s.boilerState = [.running, .emberKeeping, .off]; s.boilerFiring = [1, 0.025, 0]
        scan(61)
        XCTAssertEqual(act.boilerDemand, [true, true, false])
        // a week later the lead is B2
        XCTAssertEqual(seq.leadIndex, 0)
        t += 7 * 86400
        scan(1)
        XCTAssertEqual(seq.leadIndex, 1)
    }

    /// No boiler asked for heat, the lead holding embers: it restarts from them once it has held
    /// them `emberRestartS` if the buffer has room, not while the buffer is charged.
    func testCascadeRestartsFromEmbersBeforeTheyRunOut() {
        var settings = CascadeSettings()
        settings.emberRestartS = 3600
        var seq = CascadeSequencer(nominalKW: [250, 250], gasBoilers: 0, settings: settings)
        var act = PlantActuators(substations: 0, boilers: 2, gasBoilers: 0)
        var s = PlantSensors()
        // charge setpoint 75 °C: upper sensor 74 (not discharged), lower 72 (charged)
        s.bufferLayersC = [Double](repeating: 74, count: 12)
        for i in 8..<12 { s.bufferLayersC[i] = 72 }
        s.boilerWaterC = [70, 70]; s.boilerState = [.emberKeeping, .off]; s.boilerFiring = [0.025, 0]
        s.boilerSecondsInState = [3000, 0]
        s.networkFlowM3PerH = 2; s.networkSupplyC = 70; s.networkReturnC = 50
        var t = 0.0
        func scan() { t += 1; s.timeS = t; seq.scan(dtS: 1, sensors: s, networkSetpointC: 70, act: &act) }
        scan()
        XCTAssertEqual(act.boilerDemand, [false, false], "embers held 50 min: not yet")
        s.boilerSecondsInState = [3600, 0]
        scan()
        XCTAssertEqual(act.boilerDemand, [false, false], "the buffer is charged: no room")
        // the bottom of the buffer has been drawn down: restart from the embers
        s.bufferLayersC[11] = 50
        scan()
        XCTAssertEqual(act.boilerDemand, [true, false])
        XCTAssertEqual(seq.emberRestarts, 1)
        // with the rule off the boiler is left to burn out
        settings.emberRestartS = 0
        var off = CascadeSequencer(nominalKW: [250, 250], gasBoilers: 0, settings: settings)
        off.scan(dtS: 1, sensors: s, networkSetpointC: 70, act: &act)
        XCTAssertEqual(act.boilerDemand, [false, false])
    }

    func testSupplyLaw() {
        let law = SupplyLaw(coldOutdoorC: -15, coldSupplyC: 85, mildOutdoorC: 15, mildSupplyC: 70)
        XCTAssertEqual(law.setpointC(outdoorC: -20), 85)
        XCTAssertEqual(law.setpointC(outdoorC: 0), 77.5)
        XCTAssertEqual(law.setpointC(outdoorC: 25), 70)
    }
}

final class SeasonAndTopUpTests: XCTestCase {
    /// Summer cut-off on the attenuated outdoor temperature (2 K switching differential), frost
    /// protection of a closed building, and the programme's reduced set-point.
    func testSummerCutOffFrostProtectionAndSetback() {
        let schedule = WeeklySchedule(periods: [.init(weekdays: Set(1...5), fromHour: 7, toHour: 18)],
                                      season: .init(openMonth: 3, openDay: 15, closeMonth: 10, closeDay: 31))
        var settings = HeatingCircuitSettings(curve: .slope(slope: 1.2, displacementK: 0), comfortRoomC: 20, reducedRoomC: 16, minFlowC: 20, maxFlowC: 70)
        settings.quickSetback = false     // pump economy alone (quick setback: its own test)
        var c = SubstationController(settings: settings, schedule: schedule, initialOutdoorC: 10)
        var cmd = SubstationCommand()
        var r = PlantSensors.SubstationReading()
        r.roomC = 19; r.secondarySupplyC = 30; r.primaryReturnC = 30
        let june = SimCalendar(start: CivilDate(year: 2025, month: 6, day: 2))   // a Monday
        for k in 0..<(3 * 86400 / 60) { c.scan(dtS: 60, moment: june.moment(Double(k) * 60), outdoorC: 22, reading: r, command: &cmd) }
        XCTAssertFalse(c.heatingOn)
        XCTAssertFalse(cmd.secondaryPump)
        XCTAssertEqual(cmd.heatingValve, 0)
        // cold again: heating comes back once the attenuated temperature (36 h) falls 2 K under the limit
        r.heatingValvePosition = 0.3
        for k in 0..<(3 * 86400 / 60) { c.scan(dtS: 60, moment: june.moment(Double(k) * 60), outdoorC: 5, reading: r, command: &cmd) }
        XCTAssertTrue(c.heatingOn)
        XCTAssertTrue(cmd.secondaryPump)
        // pump economy: at night (reduced 16 °C) the room at 19 °C with the valve shut for 12 min
        // asks for no heat: the pump stops (after its overrun), and starts again when the room cools
        r.heatingValvePosition = 0
        for k in 0..<13 { c.scan(dtS: 60, moment: june.moment(2 * 86400 + 3600 + Double(k) * 60), outdoorC: 5, reading: r, command: &cmd) }
        XCTAssertTrue(c.economy)
        XCTAssertTrue(cmd.secondaryPump, "overrun: the pump runs on 3 min after the circuit stops")
        for k in 13..<18 { c.scan(dtS: 60, moment: june.moment(2 * 86400 + 3600 + Double(k) * 60), outdoorC: 5, reading: r, command: &cmd) }
        XCTAssertFalse(cmd.secondaryPump)
        r.roomC = 16.2
        c.scan(dtS: 60, moment: june.moment(2 * 86400 + 7200), outdoorC: 5, reading: r, command: &cmd)
        XCTAssertFalse(c.economy)
        XCTAssertTrue(cmd.secondaryPump)
        r.roomC = 19
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

    /// Quick setback: at the change to the reduced period the pump stops while the room stands
    /// over the reduced setpoint + 0.5 K and runs again once it has fallen to it, not again in
    /// the same period; in frost the pump runs on, at the frost flow setpoint (valve shut).
    func testQuickSetback() {
        let schedule = WeeklySchedule(periods: [.init(weekdays: Set(1...7), fromHour: 7, toHour: 18)])
        var settings = HeatingCircuitSettings(curve: .slope(slope: 1.2, displacementK: 0), comfortRoomC: 20, reducedRoomC: 16, minFlowC: 20, maxFlowC: 70)
        settings.optimumStart = false
        settings.quickSetback = true
        var c = SubstationController(settings: settings, schedule: schedule, initialOutdoorC: 5)
        var cmd = SubstationCommand()
        var r = PlantSensors.SubstationReading()
        r.roomC = 19.5; r.secondarySupplyC = 45; r.primaryReturnC = 40; r.heatingValvePosition = 0.4
        let cal = SimCalendar(start: CivilDate(year: 2025, month: 1, day: 6))
        func scan(at h: Double, outdoor: Double = 5, n: Int = 300) {
            for k in 0..<n { c.scan(dtS: 1, moment: cal.moment(h * 3600 + Double(k)), outdoorC: outdoor, reading: r, command: &cmd) }
        }
        scan(at: 12)
        XCTAssertTrue(cmd.secondaryPump, "comfort: the circuit runs")
        XCTAssertFalse(c.quickSetback)
        scan(at: 19)
        XCTAssertTrue(c.quickSetback)
        XCTAssertFalse(cmd.secondaryPump, "reduced, room 3.5 K over it: stopped once the overrun is over")
        r.roomC = 16.3
        scan(at: 22)
        XCTAssertTrue(c.quickSetback, "still above the reduced setpoint")
        r.roomC = 15.9
        scan(at: 23)
        XCTAssertFalse(c.quickSetback)
        XCTAssertTrue(cmd.secondaryPump, "the room has fallen to the reduced setpoint: heating again")
        r.roomC = 17
        scan(at: 23.5)
        XCTAssertFalse(c.quickSetback, "once a period: the curve and the room influence hold the room now")
        XCTAssertTrue(cmd.secondaryPump)
        // the next evening, in frost: the pump runs on, valve asked shut by a 10 °C flow setpoint
        r.roomC = 19.5
        scan(at: 12 + 24, outdoor: -5)
        XCTAssertFalse(c.quickSetback)
        scan(at: 19 + 24, outdoor: -5)
        XCTAssertTrue(c.quickSetback)
        XCTAssertTrue(cmd.secondaryPump)
        XCTAssertEqual(c.flowSetpointC, 10)
        XCTAssertEqual(cmd.heatingValve, 0, accuracy: 1e-9)
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
        seq.scan(dtS: 1, sensors: s, networkSetpointC: 80, act: &act)
        XCTAssertEqual(act.boilerDemand, [true])
        XCTAssertEqual(act.gasDemand, [false])
        for _ in 0..<61 { seq.scan(dtS: 1, sensors: s, networkSetpointC: 80, act: &act) }
        XCTAssertEqual(act.gasDemand, [true])
        // wood boiler in fault: gas alone
        var seq2 = CascadeSequencer(nominalKW: [250], gasBoilers: 1, settings: settings)
        s.boilerState = [.fault]
        seq2.scan(dtS: 1, sensors: s, networkSetpointC: 80, act: &act)
        XCTAssertEqual(act.boilerDemand, [false])
        XCTAssertEqual(act.gasDemand, [true])
    }

    /// Issue 14: a surge the wood boiler cannot follow (it ramps at 30 % fire). The buffer's top
    /// 4 K under the charge set-point (85 °C here): no gas while the wood ramps; 7 K under it (past
    /// twice `startBelowK`): the gas boiler starts after the stage-up delay, wood saturated or not.
    func testGasBackUpOnATemperatureDeficit() {
        var settings = CascadeSettings()
        settings.stageUpDelayS = 60
        func run(bufferC: Double) -> [Bool] {
            var seq = CascadeSequencer(nominalKW: [250], gasBoilers: 1, settings: settings)
            var act = PlantActuators(substations: 0, boilers: 1, gasBoilers: 1)
            var s = PlantSensors()
            s.bufferLayersC = [Double](repeating: bufferC, count: 10)
            s.boilerWaterC = [80]; s.boilerState = [.running]; s.boilerFiring = [0.3]
            s.gasWaterC = [60]; s.gasAvailable = [true]
            s.networkFlowM3PerH = 20; s.networkSupplyC = bufferC; s.networkReturnC = 50
            for _ in 0..<70 { seq.scan(dtS: 1, sensors: s, networkSetpointC: 80, act: &act) }
            return act.gasDemand
        }
        XCTAssertEqual(run(bufferC: 81), [false])
        XCTAssertEqual(run(bufferC: 78), [true])
    }
}

final class OptimumStartTests: XCTestCase {
    /// After the night's setback, optimum start begins the heat-up early enough (learning the
    /// building's rate) that the room is at its comfort setpoint − 0.5 K when the comfort period
    /// opens at 07:00 on the second and third mornings; the circuit never stops (no stall); a
    /// heat-up that arrives early holds the comfort setpoint until 07:00.
    func testRoomIsAtComfortWhenTheComfortPeriodOpens() {
        let schedule = WeeklySchedule(periods: [.init(weekdays: Set(1...5), fromHour: 7, toHour: 18)])
        var sub = radiatorSubstation(heatLossKWPerK: 1.1, construction: .heavy, occupiedGainsWPerM2: 5, unoccupiedGainsWPerM2: 1,
                                     solarGainsWPerM2: 1, schedule: schedule, initialC: 20)
        let settings = HeatingCircuitSettings(curve: .slope(slope: 1.4, displacementK: 0), comfortRoomC: 20, reducedRoomC: 16, minFlowC: 20, maxFlowC: 75)
        var ctl = SubstationController(settings: settings, schedule: schedule, initialOutdoorC: -5)
        let cal = SimCalendar(start: CivilDate(year: 2025, month: 1, day: 6))   // a Monday
        var cmd = SubstationCommand()
        var r = PlantSensors.SubstationReading()
        var atSeven: [Double] = [], heatUpStarts: [Double] = []
        var wasHeatingUp = false, startedToday = false, droppedBack = 0
        for k in 0..<(3 * 86400) {
            let t = Double(k)
            r.primarySupplyC = sub.primarySupplySensorC; r.primaryReturnC = sub.primaryReturnC
            r.secondarySupplyC = sub.secondarySupplySensorC; r.heatingReturnC = sub.heatingReturnSensorC
            r.roomC = sub.building.airTemperatureC; r.heatingValvePosition = sub.heatingValve.position
            ctl.scan(dtS: 1, moment: cal.moment(t), outdoorC: -5, reading: r, command: &cmd)
            if ctl.heatingUp && !wasHeatingUp { heatUpStarts.append(t.truncatingRemainder(dividingBy: 86400) / 3600) }
            wasHeatingUp = ctl.heatingUp
            // once a morning's heat-up has begun, the comfort setpoint holds until the period
            // opens: no drop back to the reduced one for the minutes left (a second swing)
            let hour = t.truncatingRemainder(dividingBy: 86400) / 3600
            if hour < 1 { startedToday = false }
            if ctl.heatingUp { startedToday = true }
            if startedToday && hour < 7 && ctl.roomSetpointC != 20 { droppedBack += 1 }
            sub.moveValves(toward: cmd, dtS: 1)
            let q = sub.conductance * 25.0.squareRoot()
            sub.step(dtS: 1, moment: cal.moment(t), outdoorC: -5, supplyC: 80, primaryM3PerH: q, command: cmd)
            if k % 86400 == 7 * 3600 { atSeven.append(sub.building.airTemperatureC) }
        }
        XCTAssertEqual(atSeven.count, 3)
        XCTAssertGreaterThanOrEqual(atSeven[1], 19.5)
        XCTAssertGreaterThanOrEqual(atSeven[2], 19.5)
        // the heat-up started in the night, before 07:00, each morning after a setback
        XCTAssertGreaterThanOrEqual(heatUpStarts.count, 2)
        for h in heatUpStarts.suffix(2) { XCTAssertLessThan(h, 7); XCTAssertGreaterThan(h, 0.5) }
        XCTAssertLessThanOrEqual(heatUpStarts.count, 3, "one heat-up a morning, not restarted: \(heatUpStarts)")
        XCTAssertEqual(droppedBack, 0, "scans at the reduced setpoint after a heat-up began")
        XCTAssertLessThan(ctl.heatUpRateKPerH, 6)
    }
}

extension ControllerTests {
    /// The DHW tank's two sensors (Danfoss ECL, DHW tank with two sensors): a charge starts on the
    /// upper sensor at the setpoint less the differential, not on cold water at the lower one, and
    /// runs until the lower sensor reads the setpoint.
    func testDHWChargesOnTheTanksTwoSensors() {
        let schedule = WeeklySchedule(periods: [.init(weekdays: Set(1...7), fromHour: 6, toHour: 22)])
        let settings = HeatingCircuitSettings(curve: .slope(slope: 1.2, displacementK: 0), comfortRoomC: 20, reducedRoomC: 16, minFlowC: 20, maxFlowC: 70)
        var c = SubstationController(settings: settings, schedule: schedule, initialOutdoorC: 5)
        c.disinfectionHour = nil
        var cmd = SubstationCommand()
        var r = PlantSensors.SubstationReading()
        r.roomC = 20; r.secondarySupplyC = 45; r.primaryReturnC = 40
        let cal = SimCalendar(start: CivilDate(year: 2025, month: 1, day: 6))
        var t = 12 * 3600.0
        func scan(upper: Double, lower: Double) { r.dhwTankUpperC = upper; r.dhwTankLowerC = lower; c.scan(dtS: 1, moment: cal.moment(t), outdoorC: 5, reading: r, command: &cmd); t += 1 }
        scan(upper: 60, lower: 10)
        XCTAssertFalse(c.dhwCharging, "three quarters drawn, the top still hot: no charge yet")
        scan(upper: 55.1, lower: 10)
        XCTAssertFalse(c.dhwCharging)
        scan(upper: 54.9, lower: 10)
        XCTAssertTrue(c.dhwCharging, "the thermocline has reached the upper sensor")
        XCTAssertEqual(cmd.dhwValve, 1)
        scan(upper: 50, lower: 59.9)
        XCTAssertTrue(c.dhwCharging, "runs until the lower sensor reads the setpoint")
        scan(upper: 61, lower: 60)
        XCTAssertFalse(c.dhwCharging)
        XCTAssertEqual(cmd.dhwValve, 0)
    }
}

/// A 60 kW radiator substation (70/50 °C, primary 85/55 °C, 25 kPa) in front of a 600 m²
/// building, for the controller tests.
func radiatorSubstation(heatLossKWPerK: Double, construction: ConstructionClass, occupiedGainsWPerM2: Double,
                        unoccupiedGainsWPerM2: Double, solarGainsWPerM2: Double, schedule: WeeklySchedule, initialC: Double) -> Substation {
    let design = SubstationDesign(designLoadKW: 60, emitter: .radiators, secondarySupplyC: 70, secondaryReturnC: 50,
                                  primarySupplyC: 85, primaryReturnC: 55, designDifferentialPressureKPa: 25)
    let params = BuildingParameters.make(heatLossKWPerK: heatLossKWPerK, floorAreaM2: 600, construction: construction,
                                         occupiedGainsWPerM2: occupiedGainsWPerM2, unoccupiedGainsWPerM2: unoccupiedGainsWPerM2,
                                         solarGainsWPerM2: [Double](repeating: solarGainsWPerM2, count: 12))
    return Substation(id: "x", design: design, building: Building(parameters: params, initialC: initialC), schedule: schedule,
                      dhwDemand: nil, dhwTank: nil, meterSerial: 1)
}

/// The merit order of the plant controller: a heat pump first, the wood-chip boilers once it
/// gives all it can, gas after both.
final class MeritOrderTests: XCTestCase {
    /// `scans` 1 s scans of a plant of one heat pump (1,000 kW), one wood boiler (500 kW) and one
    /// gas boiler with the buffer at `bufferC` under a charge set-point of 85 °C; the pump gives
    /// `pumpKW` and whether its source holds it back.
    func scan(bufferC: Double, pumpKW: Double, limited: Bool = false, scans: Int = 700) -> (PlantActuators, CascadeSequencer) {
        var settings = CascadeSettings()
        settings.stageUpDelayS = 60
        var seq = CascadeSequencer(nominalKW: [500], gasBoilers: 1, heatPumpNominalKW: [1000], heatPumpMaxLeavingC: [88], settings: settings)
        seq.gasNominalKW = [2000]
        var act = PlantActuators(substations: 0, boilers: 1, gasBoilers: 1, heatPumps: 1)
        var s = PlantSensors()
        s.bufferLayersC = [Double](repeating: bufferC, count: 10)
        s.boilerWaterC = [20]; s.boilerState = [.off]; s.boilerFiring = [0]; s.boilerSecondsInState = [1e6]
        s.gasWaterC = [20]; s.gasAvailable = [true]
        s.heatPumpAvailable = [true]; s.heatPumpRunning = [pumpKW > 0]; s.heatPumpKW = [pumpKW]; s.heatPumpSourceLimited = [limited]
        s.heatPumpSourceFlowShare = [1]; s.heatPumpEvaporatingC = [4]
        // 20 m³/h at 80/50: 683 kW of load
        s.networkFlowM3PerH = 20; s.networkSupplyC = 80; s.networkReturnC = 50
        for k in 0..<scans { s.timeS = Double(k); seq.scan(dtS: 1, sensors: s, networkSetpointC: 80, act: &act) }
        return (act, seq)
    }

    func testTheHeatPumpLeadsThenWoodThenGas() {
        // the buffer drawn down (under 85 − 3 °C, not under 85 − 6: no temperature deficit that
        // would call gas at once), the heat pump not yet at full capacity: only the heat pump is asked
        var (act, seq) = scan(bufferC: 80, pumpKW: 700)
        XCTAssertEqual(act.heatPumpDemand, [true])
        XCTAssertEqual(act.boilerDemand, [false], "wood waits while the heat pump has more to give")
        XCTAssertEqual(act.gasDemand, [false])
        XCTAssertEqual(act.heatPumpLeavingC, [85], "charges to the buffer's set-point, under its own highest outlet")
        XCTAssertEqual(act.heatPumpModulation, [1], "a store-charging heat pump runs at full capacity")
        // at full capacity and the buffer still low: wood is called; gas waits for saturated wood
        (act, seq) = scan(bufferC: 80, pumpKW: 1000)
        XCTAssertEqual(act.boilerDemand, [true])
        XCTAssertEqual(act.gasDemand, [false])
        // the wood boiler takes what the heat pump leaves of the master's demand
        XCTAssertEqual(act.boilerModulation[0], max(0, seq.firingDemandKW - 1000) / 500, accuracy: 1e-9)
        // held back by its source counts as giving all it can
        (act, _) = scan(bufferC: 80, pumpKW: 600, limited: true)
        XCTAssertEqual(act.boilerDemand, [true])
        // behind heat pumps gas tops up to the network's set-point + 1 (81 °C): a deficit of 3 K
        // under it calls gas whatever the others do, and it modulates (a top-up, not full fire)
        (act, _) = scan(bufferC: 80, pumpKW: 700)
        XCTAssertEqual(act.gasDemand, [false])
        (act, _) = scan(bufferC: 77, pumpKW: 700)
        XCTAssertEqual(act.gasDemand, [true])
        XCTAssertLessThan(act.gasModulation[0], 1)
        // charged: the heat pump stops being asked
        (act, _) = scan(bufferC: 86, pumpKW: 0)
        XCTAssertEqual(act.heatPumpDemand, [false]); XCTAssertEqual(act.boilerDemand, [false])
    }
}
