/// What the plant's sensors read, once per scan: the only view of the physics the control core has.
public struct PlantSensors: Sendable {
    public struct SubstationReading: Sendable {
        public var primarySupplyC = 0.0, primaryReturnC = 0.0
        public var secondarySupplyC = 0.0, secondaryReturnC = 0.0
        /// The heating branch's own primary return sensor (return limitation), °C.
        public var heatingReturnC = 0.0
        public var roomC = 0.0
        /// The DHW tank's upper (charge start) and lower (charge stop) sensors, °C.
        public var dhwTankUpperC: Double? = nil, dhwTankLowerC: Double? = nil
        public var heatingValvePosition = 0.0
        /// The heating circuit pump's fault contact (its drive reports a failure).
        public var secondaryPumpFault = false
        public init() {}
    }
    public var timeS = 0.0
    public var outdoorC = 0.0
    public var networkSupplyC = 0.0, networkReturnC = 0.0, networkFlowM3PerH = 0.0
    /// Lowest differential pressure at the substations, kPa.
    public var networkDifferentialKPa = 0.0
    /// Differential pressure across the network pump, kPa (the pressure switch wired to the
    /// pump-fault input of real plants): near zero when the pump does not turn.
    public var networkPumpHeadKPa = 0.0
    /// Static pressure of the network at the plant, bar (gauge).
    public var networkPressureBarG = 2.5
    public var bufferLayersC: [Double] = []
    public var boilerWaterC: [Double] = []
    public var boilerState: [BoilerState] = []
    public var boilerFiring: [Double] = []
    /// Time each boiler's burner management has been in its present phase, s (the phase timer
    /// its controller shows and reports).
    public var boilerSecondsInState: [Double] = []
    public var gasWaterC: [Double] = []
    public var gasAvailable: [Bool] = []
    /// Heat pumps: not locked out, compressor running, condenser heat (kW), and whether the
    /// source holds its capacity back (its cooling limit or the low-pressure protection).
    public var heatPumpAvailable: [Bool] = [], heatPumpRunning: [Bool] = [], heatPumpKW: [Double] = [], heatPumpSourceLimited: [Bool] = []
    /// Heat pumps' source flow as a share of design, and evaporating temperature, °C.
    public var heatPumpSourceFlowShare: [Double] = [], heatPumpEvaporatingC: [Double] = []
    /// Solar fields: stagnating; the loop pump asked for but failed. Recovered heat: due by its
    /// programme but tripped.
    public var solarStagnating: [Bool] = [], solarPumpFault: [Bool] = [], recoveredTripped: [Bool] = []
    public var substations: [SubstationReading] = []
    /// Silo level sensor, % of the gross volume, and whether the unloaders still reach fuel.
    public var siloLevelPercent = 100.0
    public var siloHasFuel = true
    public init() {}
}

extension Plant {
    /// Fills `s` with the current readings (in place: no allocation once sized).
    public func readSensors(into s: inout PlantSensors, outdoorC: Double) {
        s.timeS = timeS
        s.outdoorC = outdoorC
        s.networkSupplyC = networkSupplyC
        s.networkReturnC = headerC
        s.networkFlowM3PerH = network.totalFlowM3PerH
        s.networkDifferentialKPa = network.lowestSubstationDifferentialKPa
        s.networkPumpHeadKPa = network.pumpHeadKPa
        s.networkPressureBarG = pressurisation.pressureBarG
        s.siloLevelPercent = silo.levelPercent
        s.siloHasFuel = silo.hasFuel
        if s.bufferLayersC.count != buffer.layerCount { s.bufferLayersC = buffer.layersC } else {
            for i in 0..<buffer.layerCount { s.bufferLayersC[i] = buffer.layersC[i] }
        }
        if s.boilerWaterC.count != boilers.count {
            s.boilerWaterC = boilers.map(\.waterC); s.boilerState = boilers.map(\.state); s.boilerFiring = boilers.map(\.firing)
            s.boilerSecondsInState = boilers.map(\.secondsInState)
        } else {
            for i in boilers.indices {
                s.boilerWaterC[i] = boilers[i].waterC; s.boilerState[i] = boilers[i].state; s.boilerFiring[i] = boilers[i].firing
                s.boilerSecondsInState[i] = boilers[i].secondsInState
            }
        }
        if s.gasWaterC.count != gasBoilers.count {
            s.gasWaterC = gasBoilers.map(\.waterC); s.gasAvailable = gasBoilers.map(\.available)
        } else {
            for i in gasBoilers.indices { s.gasWaterC[i] = gasBoilers[i].waterC; s.gasAvailable[i] = gasBoilers[i].available }
        }
        if s.heatPumpKW.count != heatPumps.count {
            s.heatPumpAvailable = heatPumps.map(\.available); s.heatPumpRunning = heatPumps.map(\.running)
            s.heatPumpKW = heatPumps.map(\.heatKW); s.heatPumpSourceLimited = heatPumps.map(\.sourceLimited)
            s.heatPumpSourceFlowShare = heatPumps.map { $0.sourceKgPerS / $0.source.designKgPerS }; s.heatPumpEvaporatingC = heatPumps.map(\.evaporatingC)
        } else {
            for i in heatPumps.indices {
                s.heatPumpAvailable[i] = heatPumps[i].available; s.heatPumpRunning[i] = heatPumps[i].running
                s.heatPumpKW[i] = heatPumps[i].heatKW; s.heatPumpSourceLimited[i] = heatPumps[i].sourceLimited
                s.heatPumpSourceFlowShare[i] = heatPumps[i].sourceKgPerS / heatPumps[i].source.designKgPerS
                s.heatPumpEvaporatingC[i] = heatPumps[i].evaporatingC
            }
        }
        if !solarFields.isEmpty || !recovered.isEmpty {
            s.solarStagnating = solarFields.map(\.stagnating); s.solarPumpFault = solarFields.map { $0.pumpFailed && $0.pumpWanted }
            s.recoveredTripped = recovered.map { $0.scheduled && $0.tripped }
        }
        if s.substations.count != substations.count {
            s.substations = [PlantSensors.SubstationReading](repeating: .init(), count: substations.count)
        }
        // through the buffer: `let u = substations[i]` would copy the whole substation (its
        // arrays retained and released) for every reading
        // (and the readings through theirs: a write to `s.substations[i]` checks the array's
        // uniqueness each time)
        substations.withUnsafeBufferPointer { u in
            s.substations.withUnsafeMutableBufferPointer { r in
                for i in u.indices {
                    r[i].primarySupplyC = u[i].primarySupplySensorC
                    r[i].primaryReturnC = u[i].primaryReturnC
                    r[i].secondarySupplyC = u[i].secondarySupplySensorC
                    r[i].heatingReturnC = u[i].heatingReturnSensorC
                    r[i].secondaryPumpFault = u[i].secondaryPumpFailed
                    r[i].secondaryReturnC = u[i].secondaryReturnC
                    r[i].roomC = u[i].building.airTemperatureC
                    r[i].dhwTankUpperC = u[i].dhwTank?.upperSensorC
                    r[i].dhwTankLowerC = u[i].dhwTank?.lowerSensorC
                    r[i].heatingValvePosition = u[i].heatingValve.position
                }
            }
        }
    }
}
