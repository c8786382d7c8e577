import Foundation
import PlantModel

/// A substation controller, after the heating-circuit functions of district-heating controllers
/// (Danfoss ECL Comfort 210/310 A2xx applications, Siemens RVD/RVP): the heating circuit on its
/// curve with a PI and a neutral zone on the secondary supply driving the primary valve, room
/// influence on the desired flow, time programme with optimum start and boost, summer cut-off on
/// a slow attenuated outdoor, frost protection, return limitation on the heating branch's own
/// return sensor, circuit pump economy on no heat demand, a safety thermostat on floor circuits,
/// and DHW charging with priority and a daily thermal disinfection.
public struct SubstationController: Sendable {
    public var settings: HeatingCircuitSettings
    public let schedule: WeeklySchedule
    /// The programme's last answer and the stretch it holds for (read every scan).
    var occupancyMemo = WeeklySchedule.Memo()
    /// DHW: tank setpoint and switching differential, °C / K; longest absolute priority, s. The
    /// tank is charged to 60 °C (lower sensor) once its upper sensor, in the top quarter beside
    /// the outlet, reads 55 °C, so that the water drawn stays at or above 55 °C (French rule,
    /// arrêté of 30 November 2005: 55 °C at the storage outlet, or a daily rise to 60 °C for an
    /// hour). A smaller differential on the upper sensor recharges a tank still three quarters
    /// full of hot water whenever its standing loss has cooled the top by that much (0.2–0.4 K/h).
    public var dhwSetpointC: Double = 60
    public var dhwHysteresisK: Double = 5
    public var dhwPriorityMaxS: Double = 1800
    /// DHW charging closes the heating valve (absolute priority, up to `dhwPriorityMaxS`).
    public var dhwPriority = true
    /// Daily thermal disinfection: from `disinfectionHour`, the tank is charged to
    /// `disinfectionC` + 2 K and counted done once it has held `disinfectionC` for
    /// `disinfectionHoldS` (60 °C for 60 min: the arrêté of 30 November 2005, table of
    /// temperature and time). Off: nil hour. With the two sensors the cycle is the day's full
    /// charge (the hotel's 3 m³ from cold draws some 200 kW for an hour); at 02:00 on a −15 °C
    /// night it meets the optimum starts (design week peak 626 kW, 557 with the cycle at 13:00,
    /// but 328 cold starts a year at 13:00 against 264).
    public var disinfectionHour: Double? = 2
    public var disinfectionC: Double = 60
    public var disinfectionHoldS: Double = 3600
    public private(set) var supplyLoop = PIController(gain: 0.03, integralTimeS: 120)
    public private(set) var returnLimiter = PIController(gain: 0.05, integralTimeS: 300, outputMin: -1, outputMax: 0)
    /// Attenuated outdoor temperature used for the summer cut-off, °C.
    public private(set) var attenuatedOutdoorC: Double
    public private(set) var heatingOn = true
    public private(set) var dhwCharging = false
    private var dhwChargingS = 0.0
    /// Flow setpoint of the last scan (what the loop holds, boost included), °C; the desired flow
    /// without boost (what flow monitoring compares against), °C; room setpoint, °C.
    public private(set) var flowSetpointC: Double = 0
    public private(set) var desiredFlowC: Double = 0
    public private(set) var roomSetpointC: Double = 20
    /// Whether the circuit runs (pump asked), whether DHW priority holds the heating valve shut,
    /// whether the programme is in a comfort period (or heating up for one).
    public private(set) var circuitRunning = false
    public private(set) var priorityActive = false
    /// The return limitation takes opening away (the flow is low on purpose).
    public private(set) var returnLimiting = false
    public private(set) var comfortPeriod = false
    /// Optimum start: heating up for the next comfort period; the learned heat-up rate, K/h.
    public private(set) var heatingUp = false
    public private(set) var heatUpRateKPerH: Double
    private var heatUpStartC = 0.0, heatUpS = 0.0, heatUpLearned = false
    /// The heat-up reached the room before the comfort period began: the programme holds the
    /// comfort setpoint (without boost) until it does. Optimum start moves the comfort period's
    /// start earlier (Danfoss ECL Comfort 210/310 "Optimizer"; Siemens RVD "optimum start
    /// control"); it does not drop back to the reduced setpoint for the minutes left, which
    /// shut the valve and reopened it at the period's start: a second swing of the return each
    /// morning.
    private var comfortEarly = false
    /// Pump economy: the pump is stopped for lack of heat demand; how long the demand has been absent, s.
    public private(set) var economy = false
    /// Quick setback in progress: the pump is stopped until the room has fallen to the reduced setpoint.
    public private(set) var quickSetback = false
    private var wasSetback = false
    private var noDemandS = 0.0
    private var overrunS = 0.0
    /// The safety thermostat has cut the circuit (floor heating).
    public private(set) var safetyTripped = false
    /// Thermal disinfection: cycle in progress, seconds held at temperature, cycles completed,
    /// the day (days since epoch) of the last completed cycle.
    public private(set) var disinfecting = false
    private var disinfectionHeldS = 0.0
    public private(set) var disinfections = 0
    public private(set) var lastDisinfectionDay: Int? = nil
    private var lastMode: CircuitMode? = nil

    public init(settings: HeatingCircuitSettings, schedule: WeeklySchedule, initialOutdoorC: Double, initialHeatUpKPerH: Double = 1.5) {
        self.settings = settings; self.schedule = schedule
        attenuatedOutdoorC = initialOutdoorC
        heatUpRateKPerH = initialHeatUpKPerH
    }

    /// The room setpoint the programme and the mode call for at `moment` (before optimum start), °C.
    public func roomSetpoint(at moment: Moment) -> Double { roomSetpoint(occupancy: schedule.occupancy(at: moment)) }

    /// The same for what the programme says now.
    func roomSetpoint(occupancy: WeeklySchedule.Occupancy) -> Double {
        switch settings.mode {
        case .comfort: return settings.comfortRoomC
        case .reduced: return settings.reducedRoomC
        case .off: return settings.frostRoomC
        case .auto:
            switch occupancy {
            case .comfort: return settings.comfortRoomC
            case .reduced: return settings.reducedRoomC
            case .closed: return settings.frostRoomC
            }
        }
    }

    /// Summer cut-off: the attenuated outdoor and the heating season's switch.
    mutating func summerCutOff(dtS: Double, outdoorC: Double) {
        attenuatedOutdoorC += (outdoorC - attenuatedOutdoorC) * min(1, dtS / (settings.summerFilterH * 3600))
        if heatingOn && attenuatedOutdoorC > settings.summerCutOffC { heatingOn = false }
        else if !heatingOn && attenuatedOutdoorC < settings.summerCutOffC - settings.summerHysteresisK { heatingOn = true }
    }

    /// Optimum start and the heat-up's learning: returns the room setpoint in force and whether
    /// boost applies.
    mutating func programme(dtS: Double, moment: Moment, roomC: Double) -> (setpoint: Double, boost: Bool) {
        let occupancy = schedule.occupancy(at: moment, memo: &occupancyMemo)
        let base = roomSetpoint(occupancy: occupancy)
        let comfort = settings.comfortRoomC
        comfortPeriod = settings.mode == .comfort || (settings.mode == .auto && occupancy == .comfort)
        guard settings.mode == .auto, settings.optimumStart, heatingOn, occupancy != .closed else {
            heatingUp = false; comfortEarly = false
            return (base, false)
        }
        if comfortEarly {
            if occupancy == .reduced && schedule.hoursUntilComfort(from: moment, horizonH: settings.maxEarlyStartH + 0.5) != nil {
                return (comfort, false)
            }
            comfortEarly = false
        }
        let target = comfort - 0.5
        if heatingUp {
            heatUpS += dtS
            if !heatUpLearned && roomC >= target {
                // learn: the rate this heat-up achieved, blended into the estimate
                let rate = max(0.1, (target - heatUpStartC) / max(heatUpS / 3600, 0.05))
                if target - heatUpStartC > 0.5 { heatUpRateKPerH = min(6, max(0.2, 0.5 * heatUpRateKPerH + 0.5 * rate)) }
                heatUpLearned = true
            }
            // before the comfort period the boost runs until the period begins (the heat-up
            // period of the ECL optimizer, boosted throughout), unless the room air already
            // stands 0.5 K over its comfort setpoint; then the comfort setpoint holds without
            // boost. Once the period has begun, the boost ends within 0.5 K of it. Ended as soon
            // as the air reached 0.5 K under the setpoint, the air fell back 0.3-0.5 K within
            // the half hour as the still cold structure took the heat (foyer in January), and
            // the comfort period began under its setpoint
            if roomC >= (occupancy == .reduced ? comfort + 0.5 : target) {
                heatingUp = false
                if occupancy == .reduced { comfortEarly = true; return (comfort, false) }
            } else if occupancy == .reduced && schedule.hoursUntilComfort(from: moment, horizonH: settings.maxEarlyStartH + 0.5) == nil {
                heatingUp = false   // the comfort period is over without reaching it
            }
            if heatingUp { return (comfort, true) }
            return (base, false)
        }
        if occupancy == .reduced, roomC < target,
           let until = schedule.hoursUntilComfort(from: moment, horizonH: settings.maxEarlyStartH) {
            // to the comfort setpoint at the learned rate (learned to 0.5 K under it: the margin)
            let need = (comfort - roomC) / heatUpRateKPerH
            if until <= need {
                heatingUp = true; heatUpStartC = roomC; heatUpS = 0; heatUpLearned = false
                return (comfort, true)
            }
        } else if occupancy == .comfort && roomC < target - 1 {
            // a comfort period found the room cold (programme changed, first day): heat up now
            heatingUp = true; heatUpStartC = roomC; heatUpS = 0; heatUpLearned = false
            return (comfort, true)
        }
        return (base, false)
    }

    /// DHW charging on the tank's two sensors, and the daily disinfection. A charge starts when
    /// the upper sensor reads `dhwHysteresisK` under the setpoint and ends when the lower one reads
    /// the setpoint (Danfoss ECL Comfort, DHW tank with two sensors: cut-in on the upper, cut-out
    /// on the lower). The disinfection holds the lower sensor, the coldest water above the coil,
    /// at its temperature.
    mutating func domesticHotWater(dtS: Double, moment: Moment, upperC: Double, lowerC: Double) {
        if let h = disinfectionHour {
            let day = moment.daysSinceEpoch
            if !disinfecting && lastDisinfectionDay != day && moment.hourOfDay >= h { disinfecting = true; disinfectionHeldS = 0 }
            if disinfecting {
                if lowerC >= disinfectionC { disinfectionHeldS += dtS }
                if disinfectionHeldS >= disinfectionHoldS {
                    disinfecting = false; disinfections += 1; lastDisinfectionDay = day
                }
            }
        }
        let set = disinfecting ? disinfectionC + 2 : dhwSetpointC
        if !dhwCharging && (upperC < dhwSetpointC - dhwHysteresisK || (disinfecting && lowerC < disinfectionC + 1)) {
            dhwCharging = true; dhwChargingS = 0
        } else if dhwCharging && lowerC >= set { dhwCharging = false }
        if dhwCharging { dhwChargingS += dtS }
    }

    /// One scan: reads `r`, writes `cmd`.
    public mutating func scan(dtS: Double, moment: Moment, outdoorC: Double, reading r: PlantSensors.SubstationReading,
                              command cmd: inout SubstationCommand) {
        summerCutOff(dtS: dtS, outdoorC: outdoorC)
        let (room, boost) = programme(dtS: dtS, moment: moment, roomC: r.roomC)
        roomSetpointC = room
        let frost = outdoorC < settings.frostOutdoorC
        let occupancy = schedule.occupancy(at: moment, memo: &occupancyMemo)
        let closed = settings.mode == .off || (settings.mode == .auto && occupancy == .closed)
        // the circuit runs when heating is in season, or to protect against frost
        let wanted = (heatingOn && !closed) || (frost && (closed || settings.mode == .off)) || (closed && heatingOn && r.roomC < settings.frostRoomC + 2)

        // room influence: the curve is read at a room setpoint moved against the room's deviation
        let deviation = r.roomC - room
        let influence = deviation > 0 ? -settings.roomInfluenceAbove * deviation : -settings.roomInfluenceBelow * deviation
        var desired = wanted ? settings.flowSetpointC(outdoorC: outdoorC, roomSetpointC: room + influence) : 0
        var flowSet = wanted ? settings.flowSetpointC(outdoorC: outdoorC, roomSetpointC: room + influence + (boost ? settings.boostK : 0)) : 0
        if wanted && closed { flowSet = max(settings.minFlowC, min(flowSet, 35)); desired = flowSet }
        desiredFlowC = desired

        // pump economy: no heat demand (room over its setpoint, valve shut) for a while
        if wanted && !boost && deviation > settings.economyAboveK && r.heatingValvePosition < 0.02 { noDemandS += dtS } else { noDemandS = 0 }
        if noDemandS >= settings.economyDelayS { economy = true }
        if economy && (deviation < settings.economyAboveK / 2 || boost || !wanted) { economy = false }
        let setback = settings.quickSetback && settings.mode == .auto && !boost && room < settings.comfortRoomC
            && occupancy == .reduced
        // armed once, at the change to the reduced setpoint (not again within the period: once the
        // room has fallen to it, the curve and the room influence hold it)
        if setback && !wasSetback && deviation > settings.quickSetbackK { quickSetback = true }
        wasSetback = setback
        if quickSetback && (!setback || deviation <= 0) { quickSetback = false }
        // safety thermostat on the supply (auto-reset below the limit less 5 K)
        if let limit = settings.safetyThermostatC {
            if r.secondarySupplyC > limit { safetyTripped = true }
            else if safetyTripped && r.secondarySupplyC < limit - 5 { safetyTripped = false }
        }
        // in frost the pump keeps running through a quick setback (the plant's frost
        // protection), on the frost flow setpoint: the valve stays shut, the water circulates
        if quickSetback && frost { flowSet = settings.frostFlowC; desiredFlowC = flowSet }
        let run = wanted && !economy && !(quickSetback && !frost) && !safetyTripped
        // pump overrun: when the circuit stops, the valve closes first and the pump runs on
        // until it has (3 min), so that primary water never sits in a stagnant exchanger
        if circuitRunning && !run { overrunS = 180 }
        if !run { overrunS = max(0, overrunS - dtS) }
        circuitRunning = run
        flowSetpointC = run ? flowSet : 0

        if let upper = r.dhwTankUpperC, let lower = r.dhwTankLowerC { domesticHotWater(dtS: dtS, moment: moment, upperC: upper, lowerC: lower) }
        cmd.dhwValve = dhwCharging ? 1 : 0
        let priority = dhwPriority && dhwCharging && dhwChargingS < dhwPriorityMaxS
        priorityActive = priority && run

        if settings.mode != lastMode {
            // bumpless: continue from the valve's present position
            supplyLoop.track(r.heatingValvePosition)
            lastMode = settings.mode
        }
        if run {
            cmd.secondaryPump = true
            if priority {
                // the DHW charge has the primary water: the valve shuts, the loop holds its output
                cmd.heatingValve = 0
            } else {
                // neutral zone: within ±Nz/2 the loop holds its output (no integration, no move);
                // outside it, the error counts from the zone's edge
                let e = flowSet - r.secondarySupplyC
                var u: Double
                if abs(e) <= settings.neutralZoneK / 2 { u = supplyLoop.output }
                else { u = supplyLoop.update(setpoint: flowSet - (e > 0 ? 1 : -1) * settings.neutralZoneK / 2, measurement: r.secondarySupplyC, dtS: dtS) }
                // return limitation on the heating branch's return: can only take opening away
                let limit = settings.returnLimitC(outdoorC: outdoorC)
                let cut = returnLimiter.update(setpoint: limit, measurement: r.heatingReturnC, dtS: dtS)
                returnLimiting = cut < -0.02
                u = max(0, u + cut)
                // flow limit (floor circuits above all): over the maximum flow temperature the
                // opening is taken away at once, and the loop continues from there
                if r.secondarySupplyC > settings.maxFlowC {
                    u = max(0, u - 0.05 * (r.secondarySupplyC - settings.maxFlowC))
                    supplyLoop.track(u)
                }
                cmd.heatingValve = u
            }
        } else {
            cmd.secondaryPump = overrunS > 0 && !safetyTripped
            cmd.heatingValve = 0
            supplyLoop.track(0)
            returnLimiter.track(0)
        }
    }
}
