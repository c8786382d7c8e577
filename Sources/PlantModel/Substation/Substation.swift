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
    /// Secondary pump running; zone valves (room thermostats) opening 0–1.
    public var secondaryPump: Bool = false
    public var zoneValves: Double = 1
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
    public var emitter: Emitter
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
    public private(set) var primaryReturnC: Double
    public private(set) var primarySupplyC: Double
    public private(set) var secondarySupplyC: Double
    public private(set) var secondaryReturnC: Double
    public private(set) var secondaryKgPerS: Double = 0
    /// Heat taken from the network (physics, transport cp), kW; into the heating circuit, kW;
    /// into the DHW tank, kW.
    public private(set) var primaryHeatKW: Double = 0
    public private(set) var heatingKW: Double = 0
    public private(set) var dhwChargeKW: Double = 0
    public private(set) var occupancy: WeeklySchedule.Occupancy = .comfort

    public init(id: String, design: SubstationDesign, building: Building, schedule: WeeklySchedule,
                dhwDemand: DHWDemand?, dhwTank: DHWTank?, meterSerial: UInt32) {
        self.id = id; self.design = design; self.building = building; self.schedule = schedule
        self.dhwDemand = dhwDemand; self.dhwTank = dhwTank
        let d = design
        exchanger = .sized(powerKW: d.designLoadKW, primaryInC: d.primarySupplyC, primaryOutC: d.primaryReturnC,
                           secondaryInC: d.secondaryReturnC, secondaryOutC: d.secondarySupplyC)
        emitter = Emitter(kind: d.emitter, nominalKW: d.designLoadKW, nominalSupplyC: d.secondarySupplyC, nominalReturnC: d.secondaryReturnC)
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
        primaryReturnC = d.primaryReturnC; primarySupplyC = d.primarySupplyC
        secondarySupplyC = building.airTemperatureC; secondaryReturnC = building.airTemperatureC
    }

    /// Hydraulic conductance of the substation at its valves' positions: flow (m³/h) =
    /// G·√Δp(kPa). Each branch: valve and fixed resistance in series, branches in parallel.
    @inline(__always) public var conductance: Double {
        // Kv in m³/h at 100 kPa: Q = Kv·√(Δp/100) = (Kv/10)·√Δp
        (Self.seriesKv(heatingValve.kv, heatingFixedKv) + (dhwValve.map { Self.seriesKv($0.kv, dhwFixedKv) } ?? 0)) / 10
    }

    /// Kv of a valve in series with a fixed resistance: 1/Kv² adds up.
    @inline(__always) static func seriesKv(_ kv: Double, _ fixed: Double) -> Double {
        kv <= 0 ? 0 : 1 / (1 / (kv * kv) + 1 / (fixed * fixed)).squareRoot()
    }

    /// Heat stored in the building and the DHW tank relative to 0 °C, kJ.
    public var storedKJ: Double { building.storedKJ + (dhwTank?.storedKJ ?? 0) }

    /// Advances by `dtS`. The network brings `primaryM3PerH` at `supplyC` (as the hydraulics
    /// decided from `conductance`); the command sets valves and pumps.
    public mutating func step(dtS: Double, moment: Moment, outdoorC: Double, supplyC: Double,
                              primaryM3PerH: Double, command: SubstationCommand) {
        heatingValve.move(toward: command.heatingValve, dtS: dtS)
        if dhwValve != nil { dhwValve!.move(toward: command.dhwValve, dtS: dtS) }
        occupancy = schedule.occupancy(at: moment)
        let mp = Water.massFlowKgPerS(flowM3PerH: primaryM3PerH)
        // split the primary flow between the branches by their conductances
        let gh = Self.seriesKv(heatingValve.kv, heatingFixedKv)
        let gd = dhwValve.map { Self.seriesKv($0.kv, dhwFixedKv) } ?? 0
        let share = gh + gd > 0 ? gh / (gh + gd) : 1
        let mh = mp * share, md = mp - mp * share
        primarySupplyC = supplyC

        // Heating circuit: exchanger and emitters solved together (no storage on the secondary).
        let pumpOn = command.secondaryPump && !secondaryPumpFailed
        let ms = pumpOn ? emitter.nominalKgPerS * max(0, min(1, command.zoneValves)) : 0
        let ta = building.airTemperatureC
        var qh = 0.0, tpOutH = supplyC
        if ms > 1e-6 {
            let (eps, cP, cS) = exchanger.effectiveness(primaryKgPerS: mh, secondaryKgPerS: ms)
            let a = cS > 0 ? eps * min(cP, cS) / cS : 0
            let ee = emitter.effectiveness(kgPerS: ms)
            // T_s = (1−a)·T_r + a·T_pi ; T_r = (1−ε_e)·T_s + ε_e·T_a
            let ts = ((1 - a) * ee * ta + a * supplyC) / (1 - (1 - a) * (1 - ee))
            let tr = (1 - ee) * ts + ee * ta
            qh = cS * (ts - tr)
            if mh > 1e-9 { tpOutH = supplyC - qh / cP }
            secondarySupplyC = ts; secondaryReturnC = tr
            emitter.record(supplyC: ts, returnC: tr, roomC: ta)
        } else {
            // the circuit cools toward the room while the pump stands
            let k = exp(-dtS / 1800)
            secondarySupplyC = ta + (secondarySupplyC - ta) * k
            secondaryReturnC = ta + (secondaryReturnC - ta) * k
            if mh > 1e-9 { tpOutH = supplyC }
        }
        secondaryKgPerS = ms
        heatingKW = qh

        // DHW: coil charging, draws while the building is in use.
        var qd = 0.0, tpOutD = supplyC
        if var tank = dhwTank {
            qd = tank.coilHeatKW(primaryInC: supplyC, primaryKgPerS: md)
            if md > 1e-9 { tpOutD = supplyC - qd / (md * Water.cpKJPerKgK) }
            let draw = occupancy == .closed ? 0 : (dhwDemand?.drawM3PerS(hourOfDay: moment.hourOfDay) ?? 0)
            tank.step(dtS: dtS, heatKW: qd, drawM3PerS: draw, coldC: dhwDemand?.coldWaterC ?? 10, ambientC: ta)
            dhwTank = tank
        }
        dhwChargeKW = qd

        primaryKgPerS = mp
        if mp > 1e-9 { primaryReturnC = (mh * tpOutH + md * tpOutD) / mp }
        else {
            // stagnant water at the return sensor cools toward the plant room (10 min)
            primaryReturnC += (building.airTemperatureC - primaryReturnC) * min(1, dtS / 600)
        }
        primaryHeatKW = mp * Water.cpKJPerKgK * (supplyC - primaryReturnC)

        // Building: heat from the emitters, free gains by occupancy and season.
        let m = moment.date.month
        let gains = building.gainsKW(occupied: occupancy == .comfort, month: m, hourOfDay: moment.hourOfDay)
        building.step(dtS: dtS, outdoorC: outdoorC, heatingKW: qh, gainsKW: gains)

        meter.integrate(dtS: dtS, massKgPerS: mp, supplyC: supplyC, returnC: primaryReturnC)
    }
}
