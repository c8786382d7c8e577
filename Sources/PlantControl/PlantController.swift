import PlantModel

/// The plant's supply law: network supply setpoint from the outdoor temperature, linear between
/// two points and flat outside them.
public struct SupplyLaw: Sendable, Equatable {
    public var coldOutdoorC: Double, coldSupplyC: Double
    public var mildOutdoorC: Double, mildSupplyC: Double
    public init(coldOutdoorC: Double, coldSupplyC: Double, mildOutdoorC: Double, mildSupplyC: Double) {
        self.coldOutdoorC = coldOutdoorC; self.coldSupplyC = coldSupplyC
        self.mildOutdoorC = mildOutdoorC; self.mildSupplyC = mildSupplyC
    }
    public func setpointC(outdoorC: Double) -> Double {
        let f = min(1, max(0, (outdoorC - coldOutdoorC) / (mildOutdoorC - coldOutdoorC)))
        return coldSupplyC + (mildSupplyC - coldSupplyC) * f
    }
}

/// Settings of the boiler-room controller.
public struct PlantControlSettings: Sendable, Equatable {
    public var supplyLaw: SupplyLaw
    /// Differential pressure held at the index substation, kPa.
    public var differentialSetpointKPa: Double
    /// Outdoor temperature the controllers use while the outdoor sensor has failed, °C.
    public var outdoorFallbackC: Double = 0
    /// Lowest boiler inlet temperature the return protection holds, °C.
    public var boilerMinReturnC: Double = 60
    /// Highest boiler outlet setpoint, °C (the limit thermostat acts from 92 °C).
    public var boilerMaxSetpointC: Double = 90
    public var cascade = CascadeSettings()
    public init(supplyLaw: SupplyLaw, differentialSetpointKPa: Double) {
        self.supplyLaw = supplyLaw; self.differentialSetpointKPa = differentialSetpointKPa
    }
}

/// The control core of the whole plant, run at a fixed scan cycle like a PLC: boiler-room
/// controller (supply law, mixing valve, network pump, cascade, return protection) and one
/// controller per substation. Pure: it sees only `PlantSensors` and the calendar, and writes
/// only `PlantActuators`.
public struct PlantController: Sendable {
    public var settings: PlantControlSettings
    public var substations: [SubstationController]
    public var cascade: CascadeSequencer
    public private(set) var mixingLoop = PIController(gain: 0.02, integralTimeS: 90)
    public private(set) var pumpLoop = PIController(gain: 0.01, integralTimeS: 20, outputMin: 0.3, outputMax: 1)
    /// The network supply setpoint of the last scan, °C; the boilers' outlet setpoint, °C.
    public private(set) var networkSetpointC: Double = 0
    public private(set) var boilerSetpointC: Double = 0
    public private(set) var actuators: PlantActuators
    /// The alarms the controllers raise (see `configureAlarms`), and how long each alarm's raw
    /// condition has held, s (for on-delays).
    public var alarms = AlarmTable([])
    private var alarmHeldS: [Double] = []
    /// The alarm settings: a supply this far under its setpoint for this long raises an alarm.
    public var supplyLowK = 10.0, supplyLowDelayS = 900.0
    /// A substation's primary supply less than this over the desired flow while its heating asks
    /// for all it can (valve over 90 % open), for this long, raises its supply alarm: the network
    /// does not bring water hot enough for that circuit (relative, not absolute: 48 °C is ample
    /// for a floor circuit that wants 25 °C).
    public var substationSupplyMarginK = 5.0, substationSupplyLowDelayS = 900.0
    /// Flow-temperature monitoring (Danfoss ECL "Temp. monitor", Siemens "flow temperature
    /// monitoring"): the secondary supply this far under the desired flow for this long, while
    /// the circuit runs and no DHW priority holds its valve.
    public var flowLowK = 10.0, flowLowDelayS = 1800.0
    /// Room comfort: the room this far under its comfort setpoint for this long in a comfort period.
    public var roomLowK = 3.0, roomLowDelayS = 7200.0
    public var siloLowPercent = 15.0
    /// A heat pump's source flow under this share of design while it runs; its evaporating
    /// temperature under this for this long (the low-pressure pre-alarm).
    public var heatPumpSourceFlowLowShare = 0.7, heatPumpEvaporatingLowC = 2.0, heatPumpEvaporatingLowDelayS = 900.0
    /// Whether the outdoor sensor gave no reading at the last scan, and the outdoor value the
    /// controllers used (the reading, or the fallback), °C.
    public private(set) var outdoorSensorFailed = false
    /// Network pressure under which the low-pressure alarm rises, bar (gauge).
    public var lowPressureBarG = 1.5
    public private(set) var outdoorInUseC = 0.0

    public init(settings: PlantControlSettings, substations: [SubstationController], boilerNominalKW: [Double], gasBoilers: Int,
                heatPumpNominalKW: [Double] = [], heatPumpMaxLeavingC: [Double] = [], gasNominalKW: [Double] = []) {
        self.settings = settings; self.substations = substations
        cascade = CascadeSequencer(nominalKW: boilerNominalKW, gasBoilers: gasBoilers, heatPumpNominalKW: heatPumpNominalKW,
                                   heatPumpMaxLeavingC: heatPumpMaxLeavingC, settings: settings.cascade)
        cascade.gasNominalKW = gasNominalKW
        actuators = PlantActuators(substations: substations.count, boilers: boilerNominalKW.count, gasBoilers: gasBoilers,
                                   heatPumps: heatPumpNominalKW.count)
        pumpLoop.track(0.6)
        mixingLoop.track(0.5)
    }

    /// Declares the plant's alarms: the boiler room's (network supply low, silo low, silo
    /// empty), each boiler's fault (latched: a manual reset once the cause is cleared) and each
    /// substation's primary supply low. Ids are `PLANT.…`, `<boiler id>.FAULT`, `<building id>.SUPPLY_LOW`.
    public mutating func configureAlarms(boilerIDs: [String], substationIDs: [String], gasBoilerIDs: [String] = [], heatPumpIDs: [String] = [],
                                         solarFieldIDs: [String] = [], recoveredIDs: [String] = []) {
        var d: [AlarmDefinition] = [
            .init(id: "PLANT.SUPPLY_LOW", priority: .high,
                  message: "Network supply temperature \(Int(supplyLowK)) K under its setpoint for \(Int(supplyLowDelayS / 60)) min", latched: false, device: "plant", bit: 0),
            .init(id: "PLANT.SILO_LOW", priority: .medium,
                  message: "Silo level under \(Int(siloLowPercent)) %: order a delivery", latched: false, device: "plant", bit: 1),
            .init(id: "PLANT.SILO_EMPTY", priority: .urgent,
                  message: "Silo empty: the unloaders reach no more fuel", latched: false, device: "plant", bit: 2),
            .init(id: "PLANT.OUTDOOR_SENSOR", priority: .medium,
                  message: "Outdoor sensor failed: the heating curves run on the fallback value", latched: false, device: "plant", bit: 3),
            .init(id: "PLANT.NETWORK_PUMP", priority: .urgent,
                  message: "Network pump asked to run but no head across it for 1 min: pump or drive fault", latched: false, device: "plant", bit: 4),
            .init(id: "PLANT.BUFFER_SENSOR", priority: .medium,
                  message: "Buffer upper sensor failed: the cascade trims on the nearest sensor that reads", latched: false, device: "plant", bit: 5),
            .init(id: "PLANT.PRESSURE_LOW", priority: .high,
                  message: "Network pressure under \(lowPressureBarG) bar: leak beyond the make-up's capacity (the pump stops under 1 bar)", latched: false, device: "plant", bit: 6),
        ]
        for (k, id) in boilerIDs.enumerated() {
            d.append(.init(id: "\(id).FAULT", priority: .high,
                           message: "Boiler \(id) tripped (see its fault code); reset once the cause is cleared", latched: true, device: "boiler:\(k)", bit: 0))
        }
        // each substation's alarms, kind by kind (bit b of its word): the evaluation finds kind b
        // of substation k at s0 + b × substations + k
        let perSubstation: [(suffix: String, priority: AlarmPriority, message: String)] = [
            ("SUPPLY_LOW", .medium,
             "Primary supply less than \(Int(substationSupplyMarginK)) K above the desired flow for \(Int(substationSupplyLowDelayS / 60)) min with the valve open: the network brings too little heat"),
            ("VALVE", .medium, "Heating valve more than 10 % away from its command for 5 min: actuator stuck or failed"),
            ("PUMP", .high, "Heating circuit pump fault while asked to run: no circulation to the emitters"),
            ("FLOW_LOW", .medium,
             "Heating flow \(Int(flowLowK)) K under its desired value for \(Int(flowLowDelayS / 60)) min (flow temperature monitoring)"),
            ("ROOM_LOW", .low,
             "Room \(Int(roomLowK)) K under its comfort setpoint for \(Int(roomLowDelayS / 3600)) h in a comfort period"),
            ("SAFETY_THERMOSTAT", .high,
             "Floor circuit's safety thermostat tripped: supply over its limit, circuit pump stopped"),
        ]
        for (bit, a) in perSubstation.enumerated() {
            for (k, id) in substationIDs.enumerated() {
                d.append(.init(id: "\(id).\(a.suffix)", priority: a.priority,
                               message: a.message, latched: false, device: "substation:\(k)", bit: bit))
            }
        }
        // each gas boiler's burner lockout (flame failure), latched: reset by the operator
        for (k, id) in gasBoilerIDs.enumerated() {
            d.append(.init(id: "\(id).LOCKOUT", priority: .high,
                           message: "Gas boiler \(id) locked out (flame failure); reset once the cause is cleared", latched: true, device: "gas:\(k)", bit: 0))
        }
        // each heat pump's: lockout (latched), source flow low, evaporating temperature low
        for (k, id) in heatPumpIDs.enumerated() {
            d.append(.init(id: "\(id).LOCKOUT", priority: .high,
                           message: "Heat pump \(id) locked out: source flow lost (flow switch); reset once the source pumps run", latched: true, device: "heatPump:\(k)", bit: 0))
            d.append(.init(id: "\(id).SOURCE_FLOW_LOW", priority: .medium,
                           message: "Heat pump \(id): source flow under \(Int(heatPumpSourceFlowLowShare * 100)) % of design while running, for 2 min (well pump or sewer intake)",
                           latched: false, device: "heatPump:\(k)", bit: 1))
            d.append(.init(id: "\(id).EVAPORATING_LOW", priority: .medium,
                           message: "Heat pump \(id): evaporating temperature under \(Int(heatPumpEvaporatingLowC)) °C for \(Int(heatPumpEvaporatingLowDelayS / 60)) min, capacity unloaded (fouled evaporator or low source flow)",
                           latched: false, device: "heatPump:\(k)", bit: 2))
        }
        // each solar field's: stagnation (10 min), its loop pump failed while asked (1 min)
        for (k, id) in solarFieldIDs.enumerated() {
            d.append(.init(id: "\(id).STAGNATION", priority: .low,
                           message: "Solar field \(id) stagnating for 10 min: over 120 °C, its fluid boiled out, the pump locked until under 100 °C",
                           latched: false, device: "solarField:\(k)", bit: 0))
            d.append(.init(id: "\(id).PUMP", priority: .medium,
                           message: "Solar field \(id): loop pump asked to run but failed for 1 min", latched: false, device: "solarField:\(k)", bit: 1))
        }
        // each recovered-heat source's: due by its programme but tripped
        for (k, id) in recoveredIDs.enumerated() {
            d.append(.init(id: "\(id).TRIP", priority: .medium,
                           message: "Recovered heat \(id) tripped while its programme says it runs: the boilers carry its share",
                           latched: false, device: "recoveredHeat:\(k)", bit: 0))
        }
        alarms = AlarmTable(d)
        alarmHeldS = Array(repeating: 0, count: d.count)
    }

    /// Evaluates every alarm's condition after a scan.
    mutating func evaluateAlarms(dtS: Double, sensors s: PlantSensors) {
        guard !alarms.definitions.isEmpty else { return }
        func held(_ i: Int, _ raw: Bool, _ delayS: Double) -> Bool {
            if !raw && alarmHeldS[i] == 0 { return false }   // quiet, and was
            alarmHeldS[i] = raw ? alarmHeldS[i] + dtS : 0
            return raw && alarmHeldS[i] >= delayS
        }
        let t = s.timeS
        alarms.update(0, condition: held(0, s.networkSupplyC < networkSetpointC - supplyLowK, supplyLowDelayS), atS: t)
        // a plant without wood-chip boilers has no silo to watch
        let wood = !s.boilerState.isEmpty
        alarms.update(1, condition: wood && s.siloLevelPercent < siloLowPercent, atS: t)
        alarms.update(2, condition: wood && !s.siloHasFuel, atS: t)
        alarms.update(3, condition: outdoorSensorFailed, atS: t)
        // a turning pump holds a head across itself whatever the valves do (the pressure switch
        // across it); no head for a minute while the pump is asked to run is the pump's (or its
        // drive's) fault. The far end's Δp would not do: at design load it may fall near zero.
        alarms.update(4, condition: held(4, actuators.networkPumpSpeed > 0 && s.networkPumpHeadKPa < 5, 60), atS: t)
        alarms.update(5, condition: s.bufferLayersC.contains { $0.isNaN }, atS: t)
        alarms.update(6, condition: held(6, s.networkPressureBarG < lowPressureBarG, 10), atS: t)
        let b0 = 7, s0 = 7 + s.boilerState.count
        for k in s.boilerState.indices { alarms.update(b0 + k, condition: s.boilerState[k] == .fault, atS: t) }
        let ns = substations.count
        // each field read in place: `let c = substations[k]` copied the controller and its arrays
        for k in substations.indices {
            let r = s.substations[k], act = actuators.substations[k]
            func kind(_ b: Int, _ raw: Bool, _ delayS: Double) {
                let i = s0 + b * ns + k
                if i < alarms.definitions.count { alarms.update(i, condition: held(i, raw, delayS), atS: t) }
            }
            // the heating asks for all it can and the network's water is not hot enough for it
            kind(0, substations[k].circuitRunning && !substations[k].priorityActive && r.heatingValvePosition > 0.9
                 && r.primarySupplyC < substations[k].desiredFlowC + substationSupplyMarginK, substationSupplyLowDelayS)
            // the position feedback against the command: a free valve catches up within its
            // stroke time (120 s), so 5 min apart is the actuator's fault
            kind(1, abs(act.heatingValve - r.heatingValvePosition) > 0.1, 300)
            kind(2, act.secondaryPump && r.secondaryPumpFault, 10)
            kind(3, substations[k].circuitRunning && !substations[k].priorityActive && !substations[k].returnLimiting && !substations[k].heatingUp && r.secondarySupplyC < substations[k].desiredFlowC - flowLowK, flowLowDelayS)
            kind(4, substations[k].comfortPeriod && r.roomC < substations[k].settings.comfortRoomC - roomLowK, roomLowDelayS)
            kind(5, substations[k].safetyTripped, 0)
        }
        let g0 = s0 + 6 * ns
        for k in s.gasAvailable.indices where g0 + k < alarms.definitions.count {
            alarms.update(g0 + k, condition: !s.gasAvailable[k], atS: t)
        }
        let h0 = g0 + s.gasAvailable.count
        for k in s.heatPumpAvailable.indices where h0 + 3 * k + 2 < alarms.definitions.count {
            let i = h0 + 3 * k
            alarms.update(i, condition: !s.heatPumpAvailable[k], atS: t)
            alarms.update(i + 1, condition: held(i + 1, s.heatPumpRunning[k] && s.heatPumpSourceFlowShare[k] < heatPumpSourceFlowLowShare, 120), atS: t)
            alarms.update(i + 2, condition: held(i + 2, s.heatPumpRunning[k] && s.heatPumpEvaporatingC[k] < heatPumpEvaporatingLowC, heatPumpEvaporatingLowDelayS), atS: t)
        }
        let f0 = h0 + 3 * s.heatPumpAvailable.count
        for k in s.solarStagnating.indices where f0 + 2 * k + 1 < alarms.definitions.count {
            let i = f0 + 2 * k
            alarms.update(i, condition: held(i, s.solarStagnating[k], 600), atS: t)
            alarms.update(i + 1, condition: held(i + 1, s.solarPumpFault[k], 60), atS: t)
        }
        let r0 = f0 + 2 * s.solarStagnating.count
        for k in s.recoveredTripped.indices where r0 + k < alarms.definitions.count {
            alarms.update(r0 + k, condition: s.recoveredTripped[k], atS: t)
        }
    }

    /// The operator's reset of gas boiler `k` after its lockout: its alarm returns to normal (or
    /// awaits acknowledgement).
    public mutating func resetGasAlarm(_ k: Int, atS t: Double) {
        guard let i = alarms.definitions.firstIndex(where: { $0.device == "gas:\(k)" }) else { return }
        alarms.update(i, condition: false, atS: t)
        alarms.reset(i, atS: t)
    }

    /// The operator's reset of heat pump `k` after its lockout.
    public mutating func resetHeatPumpAlarm(_ k: Int, atS t: Double) {
        guard let i = alarms.definitions.firstIndex(where: { $0.device == "heatPump:\(k)" && $0.bit == 0 }) else { return }
        alarms.update(i, condition: false, atS: t)
        alarms.reset(i, atS: t)
    }

    /// The operator's reset of boiler `k` after clearing its fault: its alarm returns to normal
    /// (or awaits acknowledgement) as the boiler leaves its fault state.
    public mutating func resetBoilerAlarm(_ k: Int, atS t: Double) {
        guard let i = alarms.definitions.firstIndex(where: { $0.device == "boiler:\(k)" }) else { return }
        alarms.update(i, condition: false, atS: t)
        alarms.reset(i, atS: t)
    }

    /// One scan over `dtS` seconds at `moment`: updates `actuators`.
    public mutating func scan(dtS: Double, moment: Moment, sensors s: PlantSensors) {
        // a failed outdoor sensor (no reading) gives way to the configured fallback value
        outdoorSensorFailed = !s.outdoorC.isFinite
        let outdoor = outdoorSensorFailed ? settings.outdoorFallbackC : s.outdoorC
        outdoorInUseC = outdoor
        let sp = settings.supplyLaw.setpointC(outdoorC: outdoor)
        networkSetpointC = sp
        actuators.networkMixingValve = mixingLoop.update(setpoint: sp, measurement: s.networkSupplyC, dtS: dtS)
        actuators.networkPumpSpeed = pumpLoop.update(setpoint: settings.differentialSetpointKPa, measurement: s.networkDifferentialKPa, dtS: dtS)
        cascade.scan(dtS: dtS, sensors: s, networkSetpointC: sp, act: &actuators)
        // Boiler circuits: each boiler pump runs while it fires or holds heat; its mixing valve
        // sends water to the buffer only as far as (a) the boiler inlet stays at or above the
        // minimum return temperature (return protection: the rest recirculates from the outlet)
        // and (b) the outlet holds the boiler setpoint (proportional band of 4 K under it), so
        // the buffer is charged from the top with water at the boiler setpoint.
        let bottom = s.bufferLayersC[s.bufferLayersC.count - 1]
        boilerSetpointC = min(settings.boilerMaxSetpointC, sp + settings.cascade.chargeAboveNetworkK + 5)
        for i in actuators.boilerDemand.indices {
            let tb = s.boilerWaterC[i]
            let firing = s.boilerState[i] != .off && s.boilerState[i] != .fault
            actuators.boilerPump[i] = firing || tb > bottom + 3
            let minIn = settings.boilerMinReturnC
            let protection = bottom >= minIn ? 1 : max(0, (tb - minIn) / max(0.1, tb - bottom))
            let hold = firing ? (tb - (boilerSetpointC - 4)) / 4 : 1
            actuators.boilerLoopValve[i] = min(1, max(0, min(protection, hold)))
        }
        defer { evaluateAlarms(dtS: dtS, sensors: s) }
        for i in substations.indices {
            substations[i].scan(dtS: dtS, moment: moment, outdoorC: outdoor, reading: s.substations[i], command: &actuators.substations[i])
        }
    }
}
