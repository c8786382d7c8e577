import PlantModel

/// A substation controller: heating circuit on its heating curve with a PI on the secondary
/// supply temperature driving the primary valve, time programme (comfort/reduced/closed),
/// summer cut-off, frost protection, primary return-temperature limitation, DHW charging with
/// priority, and the room thermostats (zone valves, PI on the room temperature).
public struct SubstationController: Sendable {
    public var settings: HeatingCircuitSettings
    public let schedule: WeeklySchedule
    /// DHW: tank setpoint and hysteresis, °C; longest absolute priority, s.
    public var dhwSetpointC: Double = 58
    public var dhwHysteresisK: Double = 6
    public var dhwPriorityMaxS: Double = 1800
    /// DHW charging closes the heating valve (absolute priority, up to `dhwPriorityMaxS`).
    public var dhwPriority = true
    public private(set) var supplyLoop = PIController(gain: 0.03, integralTimeS: 120)
    public private(set) var returnLimiter = PIController(gain: 0.05, integralTimeS: 300, outputMin: -1, outputMax: 0)
    public private(set) var roomLoop = PIController(gain: 0.6, integralTimeS: 1800)
    /// Attenuated outdoor temperature (first order, 12 h) used for the summer cut-off, °C.
    public private(set) var attenuatedOutdoorC: Double
    public private(set) var heatingOn = true
    public private(set) var dhwCharging = false
    private var dhwChargingS = 0.0
    /// Flow setpoint of the last scan, °C; room setpoint of the last scan, °C.
    public private(set) var flowSetpointC: Double = 0
    public private(set) var roomSetpointC: Double = 20
    private var lastMode: CircuitMode? = nil

    public init(settings: HeatingCircuitSettings, schedule: WeeklySchedule, initialOutdoorC: Double) {
        self.settings = settings; self.schedule = schedule
        attenuatedOutdoorC = initialOutdoorC
    }

    /// The room setpoint the programme and the mode call for at `moment`, °C.
    public func roomSetpoint(at moment: Moment) -> Double {
        switch settings.mode {
        case .comfort: return settings.comfortRoomC
        case .reduced: return settings.reducedRoomC
        case .off: return settings.frostRoomC
        case .auto:
            switch schedule.occupancy(at: moment) {
            case .comfort: return settings.comfortRoomC
            case .reduced: return settings.reducedRoomC
            case .closed: return settings.frostRoomC
            }
        }
    }

    /// One scan: reads `r`, writes `cmd`.
    public mutating func scan(dtS: Double, moment: Moment, outdoorC: Double, reading r: PlantSensors.SubstationReading,
                              command cmd: inout SubstationCommand) {
        attenuatedOutdoorC += (outdoorC - attenuatedOutdoorC) * min(1, dtS / (12 * 3600))
        if heatingOn && attenuatedOutdoorC > settings.summerCutOffC + 0.5 { heatingOn = false }
        else if !heatingOn && attenuatedOutdoorC < settings.summerCutOffC - 0.5 { heatingOn = true }

        let room = roomSetpoint(at: moment)
        roomSetpointC = room
        let frost = outdoorC < settings.frostOutdoorC
        let closed = settings.mode == .off || (settings.mode == .auto && schedule.occupancy(at: moment) == .closed)
        // the circuit runs when heating is in season, or to protect against frost
        let run = (heatingOn && !closed) || (frost && (closed || settings.mode == .off)) || (closed && heatingOn && r.roomC < settings.frostRoomC + 2)
        var flowSet = run ? settings.flowSetpointC(outdoorC: outdoorC, roomSetpointC: room) : 0
        if run && closed { flowSet = max(settings.minFlowC, min(flowSet, 35)) }
        flowSetpointC = flowSet

        // DHW charging: thermostat with hysteresis on the tank
        if let tank = r.dhwTankC {
            if !dhwCharging && tank < dhwSetpointC - dhwHysteresisK { dhwCharging = true; dhwChargingS = 0 }
            else if dhwCharging && tank >= dhwSetpointC { dhwCharging = false }
            if dhwCharging { dhwChargingS += dtS }
        }
        cmd.dhwValve = dhwCharging ? 1 : 0
        let priority = dhwPriority && dhwCharging && dhwChargingS < dhwPriorityMaxS

        if settings.mode != lastMode {
            // bumpless: continue from the valve's present position
            supplyLoop.track(r.heatingValvePosition)
            lastMode = settings.mode
        }
        if run {
            cmd.secondaryPump = true
            var u = supplyLoop.update(setpoint: flowSet, measurement: r.secondarySupplyC, dtS: dtS)
            // return limitation: a second loop that can only take opening away
            let limit = settings.returnLimitC(outdoorC: outdoorC)
            let cut = returnLimiter.update(setpoint: limit, measurement: r.primaryReturnC, dtS: dtS)
            u = max(0, u + cut)
            cmd.heatingValve = priority ? 0 : u
            // room thermostats (motorised zone valves): PI on the room temperature
            cmd.zoneValves = roomLoop.update(setpoint: room, measurement: r.roomC, dtS: dtS)
        } else {
            cmd.secondaryPump = false
            cmd.heatingValve = 0
            supplyLoop.track(0)
            cmd.zoneValves = 1
        }
    }
}
