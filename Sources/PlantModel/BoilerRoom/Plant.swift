import Foundation

/// Everything the control core commands, once per scan.
public struct PlantActuators: Sendable {
    public var substations: [SubstationCommand]
    /// Network pump speed 0–1 (0 = stopped).
    public var networkPumpSpeed: Double = 0
    /// Network supply mixing valve: share of the network flow taken from the buffer top, 0–1.
    public var networkMixingValve: Double = 1
    /// Wood-chip boilers: heat demand, firing rate asked for, boiler pump, return-protection
    /// valve (share of the boiler flow exchanged with the buffer, 0–1).
    public var boilerDemand: [Bool]
    public var boilerModulation: [Double]
    public var boilerPump: [Bool]
    public var boilerLoopValve: [Double]
    /// Gas boilers: demand and firing rate.
    public var gasDemand: [Bool]
    public var gasModulation: [Double]
    /// Heat pumps: demand, capacity asked (0–1), and the condenser outlet setpoint, °C.
    public var heatPumpDemand: [Bool]
    public var heatPumpModulation: [Double]
    public var heatPumpLeavingC: [Double]

    public init(substations: Int, boilers: Int, gasBoilers: Int, heatPumps: Int = 0) {
        self.substations = [SubstationCommand](repeating: SubstationCommand(), count: substations)
        boilerDemand = [Bool](repeating: false, count: boilers)
        boilerModulation = [Double](repeating: 0, count: boilers)
        boilerPump = [Bool](repeating: false, count: boilers)
        boilerLoopValve = [Double](repeating: 0, count: boilers)
        gasDemand = [Bool](repeating: false, count: gasBoilers)
        gasModulation = [Double](repeating: 0, count: gasBoilers)
        heatPumpDemand = [Bool](repeating: false, count: heatPumps)
        heatPumpModulation = [Double](repeating: 0, count: heatPumps)
        heatPumpLeavingC = [Double](repeating: 0, count: heatPumps)
    }
}

/// Running totals of the plant's energy flows since the start, kWh (transport cp).
public struct EnergyCounters: Sendable, Equatable, Codable {
    /// Fuel burned (LHV): wood and gas.
    public var woodFuelKWh = 0.0, gasFuelKWh = 0.0
    /// Heat released by combustion (fuel × combustion efficiency), all boilers.
    public var combustionKWh = 0.0
    /// Heat the boilers passed to the buffer/hydraulics ("heat produced").
    public var producedKWh = 0.0
    /// Heat the plant sent into the network (supply − return at the plant).
    public var networkOutputKWh = 0.0
    /// Heat taken by the substations from the network (physics).
    public var deliveredKWh = 0.0
    /// Losses: network pipes, buffer insulation, boiler shells.
    public var networkLossKWh = 0.0, bufferLossKWh = 0.0, shellLossKWh = 0.0
    /// Electricity of the boiler auxiliaries and the network pump.
    public var auxiliaryElectricityKWh = 0.0, pumpElectricityKWh = 0.0
    /// Heat spent warming the make-up water that replaced leaked water (a loss).
    public var makeUpHeatKWh = 0.0
    /// Heat pumps: heat their condensers released into the water (source heat plus compressor
    /// power), the part taken from the source, and their electricity (compressors and source pumps).
    public var heatPumpKWh = 0.0, heatPumpSourceKWh = 0.0, heatPumpElectricityKWh = 0.0
    /// The part of `producedKWh` the heat pumps passed to the loop.
    public var heatPumpProducedKWh = 0.0
    /// Heat the solar fields gave the buffer (part of `producedKWh` and a heat input), and their
    /// pumps' electricity (also counted in `auxiliaryElectricityKWh`).
    public var solarKWh = 0.0, solarElectricityKWh = 0.0
    /// Heat recovered from outside (industrial waste heat, a CHP) given to the buffer, and a
    /// CHP's electricity generated with it.
    public var recoveredKWh = 0.0, recoveredElectricityKWh = 0.0
    public init() {}

    /// Heat released into the plant's water: combustion, heat pumps' condensers, solar and recovered heat.
    public var heatInputKWh: Double { combustionKWh + heatPumpKWh + solarKWh + recoveredKWh }

    enum CodingKeys: String, CodingKey {
        case woodFuelKWh, gasFuelKWh, combustionKWh, producedKWh, networkOutputKWh, deliveredKWh
        case networkLossKWh, bufferLossKWh, shellLossKWh, auxiliaryElectricityKWh, pumpElectricityKWh, makeUpHeatKWh
        case heatPumpKWh, heatPumpSourceKWh, heatPumpElectricityKWh, heatPumpProducedKWh, solarKWh, solarElectricityKWh, recoveredKWh, recoveredElectricityKWh
    }

    /// Decodes a saved state; `makeUpHeatKWh` may be missing from a state saved before it existed.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        woodFuelKWh = try c.decode(Double.self, forKey: .woodFuelKWh); gasFuelKWh = try c.decode(Double.self, forKey: .gasFuelKWh)
        combustionKWh = try c.decode(Double.self, forKey: .combustionKWh); producedKWh = try c.decode(Double.self, forKey: .producedKWh)
        networkOutputKWh = try c.decode(Double.self, forKey: .networkOutputKWh); deliveredKWh = try c.decode(Double.self, forKey: .deliveredKWh)
        networkLossKWh = try c.decode(Double.self, forKey: .networkLossKWh); bufferLossKWh = try c.decode(Double.self, forKey: .bufferLossKWh)
        shellLossKWh = try c.decode(Double.self, forKey: .shellLossKWh)
        auxiliaryElectricityKWh = try c.decode(Double.self, forKey: .auxiliaryElectricityKWh)
        pumpElectricityKWh = try c.decode(Double.self, forKey: .pumpElectricityKWh)
        makeUpHeatKWh = try c.decodeIfPresent(Double.self, forKey: .makeUpHeatKWh) ?? 0
        heatPumpKWh = try c.decodeIfPresent(Double.self, forKey: .heatPumpKWh) ?? 0
        heatPumpSourceKWh = try c.decodeIfPresent(Double.self, forKey: .heatPumpSourceKWh) ?? 0
        heatPumpElectricityKWh = try c.decodeIfPresent(Double.self, forKey: .heatPumpElectricityKWh) ?? 0
        heatPumpProducedKWh = try c.decodeIfPresent(Double.self, forKey: .heatPumpProducedKWh) ?? 0
        solarKWh = try c.decodeIfPresent(Double.self, forKey: .solarKWh) ?? 0
        solarElectricityKWh = try c.decodeIfPresent(Double.self, forKey: .solarElectricityKWh) ?? 0
        recoveredKWh = try c.decodeIfPresent(Double.self, forKey: .recoveredKWh) ?? 0
        recoveredElectricityKWh = try c.decodeIfPresent(Double.self, forKey: .recoveredElectricityKWh) ?? 0
    }
}

/// The assembled plant: boiler room (wood-chip and gas boilers, buffer, silo), network, and the
/// substations with their buildings. Pure physics, stepped with an explicit `dt`.
public struct Plant: Sendable {
    public var substations: [Substation]
    public var network: HeatNetwork
    public var buffer: BufferTank
    public var boilers: [WoodChipBoiler]
    public var gasBoilers: [GasBoiler]
    public var heatPumps: [HeatPump]
    public var solarFields: [SolarField]
    public var recovered: [RecoveredHeat]
    /// Each solar field's sky where the weather gives no irradiance: the month's ratio of the
    /// global horizontal irradiation to Haurwitz's clear sky (January first); the site's longitude
    /// east, degrees, and its clock's offset from UTC, h (solar time from the clock).
    public var clearSkyShare: [Double] = [], longitudeDeg = 2.35, utcOffsetH = 1.0
    public var silo: Silo
    /// Boiler-room air temperature, °C.
    public let boilerRoomC: Double
    /// Water volume of the plant's return header, m³ (where network return meets the mixing valve).
    public let headerVolumeM3: Double
    public private(set) var headerC: Double
    /// Mixing valve position (actuator with stroke time) and its stroke time, s.
    public private(set) var mixingValvePosition: Double = 1
    public let mixingValveStrokeS: Double = 120
    /// Return-protection valve positions.
    public private(set) var boilerLoopValvePosition: [Double]
    /// Network supply temperature leaving the plant, °C; network flow, m³/h; pump power, kW.
    public private(set) var networkSupplyC: Double
    public private(set) var pumpElectricKW: Double = 0
    /// Simulation time of the state, s.
    public private(set) var timeS: Double = 0
    /// The network pump has failed (motor or drive fault): whatever speed the controller asks,
    /// it does not turn, and no water flows in the network.
    public var networkPumpFailed = false
    /// The network's pressure holding (expansion vessel, make-up) and any leak.
    public var pressurisation = Pressurisation()

    /// Sets the clock after a restart (the simulated time kept in retentive memory) and the
    /// energy counters; the physics starts again from the temperatures it has.
    public mutating func restoreClock(timeS t: Double, energy e: EnergyCounters, ashKg a: Double) {
        timeS = t; energy = e; ashKg = a
    }
    public private(set) var energy = EnergyCounters()
    public private(set) var ashKg: Double = 0
    private var substationReturnScratch: [Double]
    private var conductanceScratch: [Double]
    private let maxFlowScratch: [Double]

    public init(substations: [Substation], network: HeatNetwork, buffer: BufferTank, boilers: [WoodChipBoiler],
                gasBoilers: [GasBoiler], heatPumps: [HeatPump] = [], solarFields: [SolarField] = [], recovered: [RecoveredHeat] = [], silo: Silo, boilerRoomC: Double = 15, headerVolumeM3: Double = 0.3, initialC: Double) {
        self.substations = substations; self.network = network; self.buffer = buffer; self.boilers = boilers
        self.gasBoilers = gasBoilers; self.heatPumps = heatPumps; self.solarFields = solarFields; self.recovered = recovered; self.silo = silo; self.boilerRoomC = boilerRoomC
        self.headerVolumeM3 = headerVolumeM3; headerC = initialC; networkSupplyC = initialC
        boilerLoopValvePosition = [Double](repeating: 0, count: boilers.count)
        substationReturnScratch = [Double](repeating: initialC, count: substations.count)
        conductanceScratch = [Double](repeating: 0, count: substations.count)
        maxFlowScratch = substations.map(\.maxFlowM3PerH)
    }

    var headerCapacityKJPerK: Double { headerVolumeM3 * Water.densityKgPerM3 * Water.cpKJPerKgK }

    /// Heat stored in the plant's water, refractory and pipes (not the buildings), kJ relative
    /// to 0 °C: boilers, buffer, return header, network pipes.
    public var storedKJ: Double {
        boilers.reduce(0) { $0 + $1.storedKJ } + gasBoilers.reduce(0) { $0 + $1.storedKJ } + heatPumps.reduce(0) { $0 + $1.storedKJ }
            + buffer.storedKJ + headerCapacityKJPerK * headerC + network.storedKJ(at: timeS)
    }

    /// Advances the plant by `dtS` under the commands `act`, outdoor temperature `outdoorC`,
    /// on the calendar `calendar`.
    /// `ghiWPerM2`: the weather's global horizontal irradiance (nil: synthetic, see `clearSkyShare`).
    public mutating func step(dtS: Double, outdoorC: Double, calendar: SimCalendar, act: PlantActuators, ghiWPerM2: Double? = nil) {
        let t = timeS
        let moment = calendar.moment(t)
        let cp = Water.cpKJPerKgK
        let topC = buffer.topC, bottomC = buffer.bottomC, header0 = headerC

        // Boilers exchange with the buffer through their return-protection valves.
        var hotKgPerS = 0.0, hotEnergy = 0.0
        var combustion = 0.0, fuelWood = 0.0, fuelGas = 0.0, produced = 0.0, shell = 0.0, aux = 0.0
        for i in boilers.indices {
            let d = act.boilerLoopValve[i] - boilerLoopValvePosition[i]
            let maxMove = dtS / 60
            boilerLoopValvePosition[i] += max(-maxMove, min(maxMove, d))
            let loop = act.boilerPump[i] && !boilers[i].pumpFailed ? boilers[i].spec.pumpKgPerS * boilerLoopValvePosition[i] : 0
            boilers[i].step(dtS: dtS, demand: act.boilerDemand[i], modulation: act.boilerModulation[i],
                            loopKgPerS: loop, loopReturnC: bottomC, fuelAvailable: silo.hasFuel, roomC: boilerRoomC)
            let fuelKWh = boilers[i].fuelKW * dtS / 3600
            if fuelKWh > 0 {
                let v = silo.withdraw(energyKWh: fuelKWh)
                let kg = v * silo.fuel.bulkDensityTPerM3 * 1000
                boilers[i].addAsh(fuelKg: kg)
                ashKg += kg * boilers[i].spec.ashShare
            }
            hotKgPerS += loop; hotEnergy += loop * boilers[i].waterC
            combustion += boilers[i].combustionKW; fuelWood += boilers[i].fuelKW
            produced += boilers[i].toLoopKW; shell += boilers[i].shellLossKW; aux += boilers[i].electricityKW
        }
        for i in gasBoilers.indices {
            let loop = act.gasDemand[i] || gasBoilers[i].waterC > bottomC + 2 ? gasBoilers[i].pumpKgPerS : 0
            gasBoilers[i].step(dtS: dtS, demand: act.gasDemand[i], modulation: act.gasModulation[i], loopKgPerS: loop, loopReturnC: bottomC)
            hotKgPerS += loop; hotEnergy += loop * gasBoilers[i].waterC
            combustion += gasBoilers[i].heatKW; fuelGas += gasBoilers[i].fuelKW; produced += gasBoilers[i].toLoopKW
        }
        var hpHeat = 0.0, hpSource = 0.0, hpElectric = 0.0, hpProduced = 0.0
        if !heatPumps.isEmpty {
            let day = moment.date.dayOfYear
            for i in heatPumps.indices {
                heatPumps[i].step(dtS: dtS, demand: act.heatPumpDemand[i], modulation: act.heatPumpModulation[i],
                                  leavingSetpointC: act.heatPumpLeavingC[i], loopReturnC: bottomC, dayOfYear: day)
                let loop = heatPumps[i].loopKgPerS
                hotKgPerS += loop; hotEnergy += loop * heatPumps[i].waterC
                hpHeat += heatPumps[i].heatKW; hpSource += heatPumps[i].sourceKW; hpElectric += heatPumps[i].electricKW
                produced += heatPumps[i].toLoopKW; hpProduced += heatPumps[i].toLoopKW
            }
        }
        // solar fields: their differential controllers and bottom exchangers (heat into the buffer's bottom)
        var solarKW = 0.0, solarPumpKW = 0.0
        if !solarFields.isEmpty {
            let day = moment.date.dayOfYear
            // mid-step, in solar time (the clock less its UTC offset plus the longitude's 4 min per degree)
            let solarHour = moment.hourOfDay + dtS / 7200 - utcOffsetH + longitudeDeg / 15
            for i in solarFields.indices {
                let f = solarFields[i]
                let ghi = ghiWPerM2 ?? SolarRadiation.syntheticGHIWPerM2(latitudeDeg: f.latitudeDeg, dayOfYear: day, solarHour: solarHour,
                                                                     clearSkyShare: clearSkyShare.isEmpty ? 0.6 : clearSkyShare[moment.date.month - 1])
                let g = SolarRadiation.tiltedSouthWPerM2(ghi: ghi, latitudeDeg: f.latitudeDeg, tiltDeg: f.tiltDeg, dayOfYear: day, solarHour: solarHour)
                solarFields[i].step(dtS: dtS, irradianceWPerM2: g, ambientC: outdoorC, storeC: bottomC)
                solarKW += solarFields[i].toLoopKW; solarPumpKW += solarFields[i].pumpKW
            }
            produced += solarKW
            aux += solarPumpKW   // the solar loops' pumps are auxiliaries too
        }
        // recovered heat: first in the merit order, through its exchanger into the buffer's bottom
        var recoveredKW = 0.0, recoveredElectricKW = 0.0
        if !recovered.isEmpty {
            for i in recovered.indices {
                recovered[i].step(dtS: dtS, moment: moment, storeC: bottomC)
                recoveredKW += recovered[i].toLoopKW; recoveredElectricKW += recovered[i].electricKW
            }
            produced += recoveredKW
        }
        silo.step(t: t, dtS: dtS)

        // Network: mixing valve, hydraulics, supply out, substations, return back.
        let dmv = act.networkMixingValve - mixingValvePosition
        mixingValvePosition += max(-dtS / mixingValveStrokeS, min(dtS / mixingValveStrokeS, dmv))
        let x = mixingValvePosition
        networkSupplyC = x * topC + (1 - x) * header0
        var g = conductanceScratch
        conductanceScratch = []
        substations.withUnsafeMutableBufferPointer { u in
            for i in u.indices {
                u[i].moveValves(toward: act.substations[i], dtS: dtS)
                let hv = u[i].heatingValve, dv = u[i].dhwValve, hf = u[i].heatingFixedKv, df = u[i].dhwFixedKv
                g[i] = Substation.conductance(hv, hf, dv, df)
            }
        }
        conductanceScratch = g
        pressurisation.step(dtS: dtS)
        // a failed pump, or the low-pressure switch (dry running), stops it whatever its command
        let pumpSpeed = networkPumpFailed || pressurisation.lowPressureCutOut ? 0 : act.networkPumpSpeed
        network.solveHydraulics(conductances: conductanceScratch, maxFlows: maxFlowScratch, speed: pumpSpeed)
        network.stepSupply(t: t, dtS: dtS, plantSupplyC: networkSupplyC)
        var delivered = 0.0
        // in place through the buffer: no copy of a substation per step
        var returns = substationReturnScratch
        substationReturnScratch = []
        let nodes = network.substationNode, supplyAt = network.nodeSupplyC, flows = network.substationFlowM3PerH
        substations.withUnsafeMutableBufferPointer { u in
            for i in u.indices {
                u[i].step(dtS: dtS, moment: moment, outdoorC: outdoorC, supplyC: supplyAt[nodes[i]],
                          primaryM3PerH: flows[i], command: act.substations[i])
                returns[i] = u[i].primaryReturnC
                delivered += u[i].primaryHeatKW
            }
        }
        substationReturnScratch = returns
        network.stepReturn(t: t, dtS: dtS, substationReturnC: substationReturnScratch)
        let netKgPerS = Water.massFlowKgPerS(flowM3PerH: network.totalFlowM3PerH)
        // return header: the network's return comes in, the same flow left at the header's
        // temperature at the start of the step (a share to the buffer, the rest back through
        // the mixing valve); explicit, stable while a step moves less than the header's volume
        headerC = header0 + netKgPerS * dtS * (network.returnAtPlantC - header0) / (headerVolumeM3 * Water.densityKgPerM3)
        // make-up water (cold, from the mains) comes into the return header
        let makeUpKW = pressurisation.makeUpKgPerS * cp * (header0 - pressurisation.makeUpC)
        headerC -= makeUpKW * dtS / headerCapacityKJPerK

        buffer.step(dtS: dtS, hotInKgPerS: hotKgPerS, hotInC: hotKgPerS > 0 ? hotEnergy / hotKgPerS : topC,
                    networkKgPerS: netKgPerS * x, returnInC: header0, ambientC: boilerRoomC, bottomHeatKW: solarKW + recoveredKW)
        pumpElectricKW = pumpSpeed > 0 ? network.pump.electricKW(flowM3PerH: network.totalFlowM3PerH, headKPa: network.pumpHeadKPa) : 0

        let h = dtS / 3600
        energy.woodFuelKWh += fuelWood * h
        energy.gasFuelKWh += fuelGas * h
        energy.combustionKWh += combustion * h
        energy.producedKWh += produced * h
        energy.networkOutputKWh += netKgPerS * cp * (networkSupplyC - header0) * h
        energy.deliveredKWh += delivered * h
        energy.networkLossKWh += network.lossKW * h
        energy.bufferLossKWh += buffer.lossKW * h
        energy.shellLossKWh += shell * h
        energy.auxiliaryElectricityKWh += aux * h
        energy.pumpElectricityKWh += pumpElectricKW * h
        energy.makeUpHeatKWh += makeUpKW * h
        if !heatPumps.isEmpty {
            energy.heatPumpKWh += hpHeat * h; energy.heatPumpSourceKWh += hpSource * h; energy.heatPumpElectricityKWh += hpElectric * h
            energy.heatPumpProducedKWh += hpProduced * h
        }
        if !solarFields.isEmpty { energy.solarKWh += solarKW * h; energy.solarElectricityKWh += solarPumpKW * h }
        if !recovered.isEmpty { energy.recoveredKWh += recoveredKW * h; energy.recoveredElectricityKWh += recoveredElectricKW * h }
        timeS = t + dtS
    }
}
