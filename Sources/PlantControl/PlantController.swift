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

    public init(settings: PlantControlSettings, substations: [SubstationController], boilerNominalKW: [Double], gasBoilers: Int) {
        self.settings = settings; self.substations = substations
        cascade = CascadeSequencer(nominalKW: boilerNominalKW, gasBoilers: gasBoilers, settings: settings.cascade)
        actuators = PlantActuators(substations: substations.count, boilers: boilerNominalKW.count, gasBoilers: gasBoilers)
        pumpLoop.track(0.6)
        mixingLoop.track(0.5)
    }

    /// One scan over `dtS` seconds at `moment`: updates `actuators`.
    public mutating func scan(dtS: Double, moment: Moment, sensors s: PlantSensors, boilerRunHours: [Double]) {
        let sp = settings.supplyLaw.setpointC(outdoorC: s.outdoorC)
        networkSetpointC = sp
        actuators.networkMixingValve = mixingLoop.update(setpoint: sp, measurement: s.networkSupplyC, dtS: dtS)
        actuators.networkPumpSpeed = pumpLoop.update(setpoint: settings.differentialSetpointKPa, measurement: s.networkDifferentialKPa, dtS: dtS)
        cascade.scan(dtS: dtS, sensors: s, networkSetpointC: sp, runHours: boilerRunHours, act: &actuators)
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
        for i in substations.indices {
            substations[i].scan(dtS: dtS, moment: moment, outdoorC: s.outdoorC, reading: s.substations[i], command: &actuators.substations[i])
        }
    }
}
