import Foundation

/// The design data a substation is built from.
public struct SubstationDesign: Sendable {
    public var designLoadKW: Double
    public var emitter: EmitterKind
    /// Secondary design regime, °C.
    public var secondarySupplyC: Double, secondaryReturnC: Double
    /// Primary design regime, °C.
    public var primarySupplyC: Double, primaryReturnC: Double
    /// Differential pressure available at the substation at design, kPa.
    public var designDifferentialPressureKPa: Double
    public init(designLoadKW: Double, emitter: EmitterKind, secondarySupplyC: Double, secondaryReturnC: Double,
                primarySupplyC: Double, primaryReturnC: Double, designDifferentialPressureKPa: Double) {
        self.designLoadKW = designLoadKW; self.emitter = emitter
        self.secondarySupplyC = secondarySupplyC; self.secondaryReturnC = secondaryReturnC
        self.primarySupplyC = primarySupplyC; self.primaryReturnC = primaryReturnC
        self.designDifferentialPressureKPa = designDifferentialPressureKPa
    }
}

/// Actuator commands a substation controller sends, once per scan.
public struct SubstationCommand: Sendable {
    /// Primary heating valve 0–1; DHW charging valve 0–1.
    public var heatingValve: Double = 0
    public var dhwValve: Double = 0
    /// Secondary (circuit) pump running.
    public var secondaryPump: Bool = false
    public init() {}
}

/// A building's substation and the building behind it: heat meter, primary control valves,
/// plate exchanger, secondary circuit with its emitters, optional DHW tank, the building itself.
public struct Substation: Sendable {
    public let id: String
    public let design: SubstationDesign
    public let exchanger: PlateHeatExchanger
    public var heatingValve: ControlValve
    public var dhwValve: ControlValve?
    public var circuit: HeatingCircuit
    public var building: Building
    public var dhwTank: DHWTank?
    public let dhwDemand: DHWDemand?
    public var meter: HeatMeter
    public let schedule: WeeklySchedule
    /// Fixed hydraulic conductance of the exchanger, meter and pipework in series with the
    /// heating valve (and with the DHW valve), m³/h at 1 bar.
    let heatingFixedKv: Double
    let dhwFixedKv: Double
    /// Largest primary flow the substation's flow limiter lets through, m³/h: the design flow
    /// that the subscribed power was sized on (heating plus DHW charging) with a 10 %
    /// setting margin, as the combined
    /// flow-limiting valves of heat-network substations enforce it.
    public let maxFlowM3PerH: Double
    /// A failed secondary pump (fault).
    public var secondaryPumpFailed = false

    // Last step's values, for sensors and bookkeeping.
    public private(set) var primaryKgPerS: Double = 0
    /// The water between the exchanger's primary outlets and the meter's return sensor (the
    /// exchanger's primary channels, the DHW coil's outlet, the pipework to the meter): a
    /// well-mixed node, so that a valve opening a fraction of a per cent moves millilitres, not
    /// the whole return in one step. Its temperature is the primary return, °C.
    public private(set) var primaryReturnC: Double
    let primaryNodeCapacityKJPerK: Double
    /// The heating controller's own primary return sensor on the heating branch (each circuit
    /// has its own return limitation), and the secondary supply sensor, both in pockets: first
    /// order, 20 s (Pt1000 in a thermowell), °C.
    public private(set) var heatingReturnSensorC: Double
    public private(set) var secondarySupplySensorC: Double
    public static let sensorTimeConstantS = 20.0
    /// Cooling of the stagnant heating return pipe and its sensor when no primary water passes, s.
    public static let stagnantReturnTimeConstantS = 7200.0
    /// The water at the substation's primary inlet (the network node), °C, and its sensor in a
    /// pocket like the others (20 s). The pocket matters where the water steps: a standing
    /// branch's end cools, and when the end-of-line bypass or a valve opens, the hot front
    /// arrives at the node within a step; a Pt1000 in its thermowell shows that as a 20 s rise.
    public private(set) var primarySupplyC: Double
    public private(set) var primarySupplySensorC: Double
    public private(set) var secondarySupplyC: Double
    public private(set) var secondaryReturnC: Double
    public private(set) var secondaryKgPerS: Double = 0
    /// Heat taken from the network (physics, transport cp), kW; into the heating circuit, kW;
    /// into the DHW tank, kW.
    public private(set) var primaryHeatKW: Double = 0
    public private(set) var heatingKW: Double = 0
    public private(set) var dhwChargeKW: Double = 0
    /// Heat the emitters gave the room, kW.
    public private(set) var toRoomKW: Double = 0
    /// Free gains (internal and solar) of the last step, kW.
    public private(set) var gainsKW: Double = 0
    public private(set) var occupancy: WeeklySchedule.Occupancy = .comfort
    /// The first-order decays of one step (sensor pockets, still secondary water, stagnant
    /// return pipe), worked out again only when the step changes.
    private var decays = StepDecays(dtS: 0)
    private var exchangerPowers = PlateHeatExchanger.FlowPowers()
    private var occupancyMemo = WeeklySchedule.Memo()
    struct StepDecays {
        let dtS: Double, sensor: Double, stillSecondary: Double, stagnantReturn: Double
        init(dtS: Double) {
            self.dtS = dtS
            sensor = exp(-dtS / Substation.sensorTimeConstantS)
            stillSecondary = exp(-dtS / 600)
            stagnantReturn = exp(-dtS / Substation.stagnantReturnTimeConstantS)
        }
    }

    public init(id: String, design: SubstationDesign, building: Building, schedule: WeeklySchedule,
                dhwDemand: DHWDemand?, dhwTank: DHWTank?, meterSerial: UInt32, thermostatCloseC: Double = 21) {
        self.id = id; self.design = design; self.building = building; self.schedule = schedule
        self.dhwDemand = dhwDemand; self.dhwTank = dhwTank
        let d = design
        exchanger = .sized(powerKW: d.designLoadKW, primaryInC: d.primarySupplyC, primaryOutC: d.primaryReturnC,
                           secondaryInC: d.secondaryReturnC, secondaryOutC: d.secondarySupplyC)
        circuit = HeatingCircuit(kind: d.emitter, nominalKW: d.designLoadKW, nominalSupplyC: d.secondarySupplyC,
                                 nominalReturnC: d.secondaryReturnC, thermostatCloseC: thermostatCloseC, initialC: building.airTemperatureC)
        // Heating branch: design flow at half the design Δp across the valve (authority 0.5).
        let qDesign = Water.flowM3PerH(massFlowKgPerS: exchanger.nominalPrimaryKgPerS)
        let kv = qDesign / (0.5 * d.designDifferentialPressureKPa / 100).squareRoot()
        heatingFixedKv = kv
        heatingValve = ControlValve(kvs: kv)
        var dhwFlow = 0.0
        if let tank = dhwTank {
            // charging branch: sized for the coil's nominal duty with a 25 K primary drop
            let duty = tank.coilUAKWPerK * 20
            dhwFlow = Water.flowM3PerH(massFlowKgPerS: duty / (Water.cpKJPerKgK * 25))
            let kvd = dhwFlow / (0.5 * d.designDifferentialPressureKPa / 100).squareRoot()
            dhwValve = ControlValve(kvs: kvd, rangeability: 30, strokeTimeS: 60)
            dhwFixedKv = kvd
        } else {
            dhwValve = nil
            dhwFixedKv = 1
        }
        meter = HeatMeter(serial: meterSerial, nominalFlowM3PerH: qDesign + dhwFlow)
        maxFlowM3PerH = 1.1 * (qDesign + dhwFlow)
        primaryReturnC = d.primaryReturnC; primarySupplyC = d.primarySupplyC; primarySupplySensorC = d.primarySupplyC
        heatingReturnSensorC = d.primaryReturnC
        // exchanger primary channels and pipework to the meter: 3 L plus 0.1 L per kW
        primaryNodeCapacityKJPerK = (0.003 + 0.0001 * d.designLoadKW) * Water.densityKgPerM3 * Water.cpKJPerKgK
        secondarySupplyC = building.airTemperatureC; secondaryReturnC = building.airTemperatureC
        secondarySupplySensorC = secondarySupplyC
    }

    /// Hydraulic conductance of the substation at its valves' positions: flow (m³/h) =
    /// G·√Δp(kPa). Each branch: valve and fixed resistance in series, branches in parallel.
    @inline(__always) public var conductance: Double {
        Self.conductance(heatingValve, heatingFixedKv, dhwValve, dhwFixedKv)
    }

    /// The same from the valves alone. The plant's loop calls this with the valves read out of
    /// the array: a getter on the substation in place makes the compiler copy the whole
    /// substation (its arrays retained) around the valve's `exp`/`log`, every step.
    @inline(__always) static func conductance(_ heating: ControlValve, _ heatingFixed: Double, _ dhw: ControlValve?, _ dhwFixed: Double) -> Double {
        // Kv in m³/h at 100 kPa: Q = Kv·√(Δp/100) = (Kv/10)·√Δp
        var g = seriesKv(heating.kv, heatingFixed)
        if let v = dhw { g += seriesKv(v.kv, dhwFixed) }
        return g / 10
    }

    /// Kv of a valve in series with a fixed resistance: 1/Kv² adds up.
    @inline(__always) static func seriesKv(_ kv: Double, _ fixed: Double) -> Double {
        kv <= 0 ? 0 : 1 / (1 / (kv * kv) + 1 / (fixed * fixed)).squareRoot()
    }

    /// Heat stored in the building and the DHW tank relative to 0 °C, kJ.
    public var storedKJ: Double {
        building.storedKJ + (dhwTank?.storedKJ ?? 0) + circuit.storedKJ + primaryNodeCapacityKJPerK * primaryReturnC
    }

    /// Moves the valves' actuators toward the command over the coming step, before the network's
    /// hydraulics take the conductance: the flow of a step is the one the valves have by its end.
    /// (Moved after the hydraulics, the flow would lag the valve a whole step: nothing at 1 s, at
    /// a 20 s step a loop that overshoots.)
    public mutating func moveValves(toward command: SubstationCommand, dtS: Double) {
        heatingValve.move(toward: command.heatingValve, dtS: dtS)
        if dhwValve != nil { dhwValve!.move(toward: command.dhwValve, dtS: dtS) }
    }

    /// Advances by `dtS`, its valves moved by `moveValves`. The network brings `primaryM3PerH` at `supplyC` (as the hydraulics
    /// decided from `conductance`); the command sets valves and pumps.
    public mutating func step(dtS: Double, moment: Moment, outdoorC: Double, supplyC: Double,
                              primaryM3PerH: Double, command: SubstationCommand) {
        if decays.dtS != dtS { decays = StepDecays(dtS: dtS) }
        occupancy = schedule.occupancy(at: moment, memo: &occupancyMemo)
        let mp = Water.massFlowKgPerS(flowM3PerH: primaryM3PerH)
        // split the primary flow between the branches by their conductances
        let gh = Self.seriesKv(heatingValve.kv, heatingFixedKv)
        var gd = 0.0
        if let v = dhwValve { gd = Self.seriesKv(v.kv, dhwFixedKv) }
        let share = gh + gd > 0 ? gh / (gh + gd) : 1
        let mh = mp * share, md = mp - mp * share
        primarySupplyC = supplyC

        // Heating circuit: exchanger and circuit solved together for the step (the circuit's
        // return is linear in the supply the exchanger gives, the cells being implicit).
        let pumpOn = command.secondaryPump && !secondaryPumpFailed
        let ta = building.airTemperatureC
        let rel = circuit.returnRelation(dtS: dtS, pumpOn: pumpOn, roomC: ta)
        let ms = rel.totalKgPerS
        var qh = 0.0, tpOutH = supplyC
        if ms > 1e-9 {
            let (eps, cP, cS) = exchanger.effectiveness(primaryKgPerS: mh, secondaryKgPerS: ms, powers: &exchangerPowers)
            let a = cS > 0 ? eps * min(cP, cS) / cS : 0
            // T_s = (1−a)·T_back + a·T_pi with T_back = α + β·T_s
            // (with the thermostats shut and no primary flow the loop has neither source nor
            // sink: the bypass water keeps its temperature)
            let den = 1 - (1 - a) * rel.beta
            let ts = den > 1e-12 ? ((1 - a) * rel.alpha + a * supplyC) / den : secondarySupplyC
            let tr = rel.alpha + rel.beta * ts
            qh = cS * (ts - tr)
            if mh > 1e-9 { tpOutH = supplyC - qh / cP }
            circuit.advance(dtS: dtS, supplyC: ts, emitterKgPerS: rel.emitterKgPerS, totalKgPerS: ms, roomC: ta)
            secondarySupplyC = ts; secondaryReturnC = tr
        } else {
            circuit.advance(dtS: dtS, supplyC: secondarySupplyC, emitterKgPerS: 0, totalKgPerS: 0, roomC: ta)
            // no circulation: the water at the supply sensor takes the exchanger's temperature
            // (primary water passing heats the stagnant plate) or cools with the pipe (10 min)
            let target = mh > 1e-9 ? supplyC : circuit.cellsC[0]
            secondarySupplyC = target + (secondarySupplyC - target) * decays.stillSecondary
            secondaryReturnC = circuit.returnC
        }
        let ks = decays.sensor
        secondarySupplySensorC = secondarySupplyC + (secondarySupplySensorC - secondarySupplyC) * ks
        primarySupplySensorC = supplyC + (primarySupplySensorC - supplyC) * ks
        if mh > 1e-9 { heatingReturnSensorC = tpOutH + (heatingReturnSensorC - tpOutH) * ks }
        else {
            // no primary water through the heating branch: the stagnant, insulated pipe and the
            // pocket cool toward the room around them. DN20–25 steel with its water holds about
            // 2 kJ/(m·K) and loses about 0.25 W/(m·K) through its insulation: τ ≈ 2 h. Held
            // instead, a return sensor left hot when the branch shut kept the return limiter
            // closing the valve for ever (a secondary pump back from a fault never heated again)
            heatingReturnSensorC = ta + (heatingReturnSensorC - ta) * decays.stagnantReturn
        }
        secondaryKgPerS = ms
        heatingKW = qh

        // DHW: coil charging, draws while the building is in use.
        var qd = 0.0, tpOutD = supplyC
        if var tank = dhwTank {
            let coil = tank.coil(primaryInC: supplyC, primaryKgPerS: md)
            qd = coil.segmentKW.sum()
            tpOutD = coil.outletC
            let draw = occupancy == .closed ? 0 : (dhwDemand?.drawM3PerS(hourOfDay: moment.hourOfDay) ?? 0)
            tank.step(dtS: dtS, coilKW: coil.segmentKW, drawM3PerS: draw, coldC: dhwDemand?.coldWaterC ?? 10, ambientC: ta)
            dhwTank = tank
        }
        dhwChargeKW = qd

        primaryKgPerS = mp
        // the return node, implicit: the branches' outlets mixed come in, the same flow leaves
        let cn = primaryNodeCapacityKJPerK / dtS, mc = mp * Water.cpKJPerKgK
        let mixed = mp > 1e-9 ? (mh * tpOutH + md * tpOutD) / mp : primaryReturnC
        primaryReturnC = (cn * primaryReturnC + mc * mixed) / (cn + mc)
        primaryHeatKW = mc * (supplyC - primaryReturnC)

        // Building: heat from the emitters, free gains by occupancy and sun.
        let gains = building.gainsKW(occupied: occupancy == .comfort, month: moment.date.month, hourOfDay: moment.hourOfDay)
        gainsKW = gains
        toRoomKW = circuit.toRoomKW
        building.step(dtS: dtS, outdoorC: outdoorC, heatingKW: circuit.toRoomKW, gainsKW: gains)

        meter.integrate(dtS: dtS, massKgPerS: mp, supplyC: supplyC, returnC: primaryReturnC)
    }
}
