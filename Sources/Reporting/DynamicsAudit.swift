import SimulationCore
import Foundation
import PlantModel
import PlantControl

/// What a commissioning engineer reads off a plant's trends, measured on the simulation itself
/// every 10 s (not through the historian's deadbands): the heating circuits' cycling and stalls,
/// the room's dip during DHW charges, the recovery after night setback, the cascade's starts and
/// firing periods, floor circuits' supply over their limit, DHW tanks' temperature and
/// disinfection, summer room temperatures, alarms raised. Windows are civil-date ranges
/// (inclusive) of the run; the cascade, floor and alarm figures cover the whole run.
public final class DynamicsAudit: @unchecked Sendable {   // filled by one run's thread, read after it
    public struct Window: Sendable {
        public var name: String
        public var from: CivilDate, to: CivilDate
        public init(name: String, from: CivilDate, to: CivilDate) { self.name = name; self.from = from; self.to = to }
        func contains(_ d: CivilDate) -> Bool { d >= from && d <= to }
    }

    /// Per substation and window.
    public struct CircuitFigures: Sendable {
        public var days = 0.0
        /// Swings of the meter's primary return and of the heating branch's return of more than
        /// 5 K within 30 min (an up and a down).
        public var meterReturnSwings = 0
        public var heatingReturnSwings = 0
        /// Heating-on samples, and those where the secondary circulates but carries no heat
        /// (supply within 2 K of the room while the desired flow is over room + 5 K, no DHW charge).
        public var heatingOnSamples = 0, noHeatSamples = 0
        /// Room drop during each DHW charge, over the part of it in which the heating circuit ran, K.
        public var dhwChargeDropsK: [Double] = []
        /// DHW charges ended in the window, with the heating circuit running or not.
        public var dhwCharges = 0
        /// Recovery after setback: minutes from the comfort period's start until the room reaches
        /// its comfort setpoint − 0.5 K (0 when it was there at the start), and comfort periods
        /// that never reached it.
        public var recoveryMinutes: [Double] = []
        public var recoveryMissed = 0
        /// Room temperature: mean and max over the window, °C (samples with heating off only).
        public var roomSumOffC = 0.0, roomSamplesOff = 0, roomMaxOffC = -100.0
        /// DHW tank samples with the outlet (top) at or above 55 °C, of all samples.
        public var tankSamples = 0, tankHotSamples = 0
        /// Largest change between two samples (10 s) of the secondary supply sensor, the meter's
        /// return and the room, K.
        public var maxStepK = 0.0
        /// DHW charges a day (each lifts the meter's mixed return when it ends: a real event).
        public var dhwChargesPerDay: Double { days > 0 ? Double(dhwCharges) / days : 0 }
        public var perDay: (meter: Double, heating: Double) {
            days > 0 ? (Double(meterReturnSwings) / days, Double(heatingReturnSwings) / days) : (0, 0)
        }
        public var noHeatShare: Double { heatingOnSamples > 0 ? Double(noHeatSamples) / Double(heatingOnSamples) : 0 }
        public var hotShare: Double { tankSamples > 0 ? Double(tankHotSamples) / Double(tankSamples) : 1 }
        public var roomMeanOffC: Double { roomSamplesOff > 0 ? roomSumOffC / Double(roomSamplesOff) : .nan }
    }

    /// A swing detector: counts rises of more than `k` over the last 30 min's minimum, re-armed
    /// after a fall of `k` from the peak.
    struct Swings {
        var ring = [Double](repeating: .nan, count: 180)   // 30 min of 10 s samples
        var at = 0, armed = true, peak = -1e9, count = 0
        mutating func add(_ v: Double, thresholdK k: Double = 5) {
            ring[at] = v; at = (at + 1) % ring.count
            if armed {
                var lo = Double.infinity
                for x in ring where x.isFinite { lo = min(lo, x) }
                if v - lo > k { count += 1; armed = false; peak = v }
            } else {
                peak = max(peak, v)
                if peak - v > k { armed = true; ring = ring.map { _ in .nan }; ring[0] = v; at = 1 }
            }
        }
    }

    public let windows: [Window]
    public let ids: [String]
    public private(set) var figures: [[CircuitFigures]]   // [window][substation]
    private var meterSwings: [[Swings]], heatingSwings: [[Swings]]
    private var charging: [Bool], chargeStartRoom: [Double], chargeMinRoom: [Double]
    private var comfortWas: [Bool], recoveryStartS: [Double?]
    private var last: [(supply: Double, ret: Double, room: Double)?]
    /// Cascade over the whole run: cold starts (ignitions), warm restarts from embers, firing
    /// periods (ignition to stop) and those under 1 h, cold starts while another available
    /// boiler held embers.
    public private(set) var coldStartsByMonth = [Int](repeating: 0, count: 12)
    public private(set) var coldStarts = 0, warmRestarts = 0, firingPeriods = 0, shortFiringPeriods = 0, coldWhileEmbers = 0
    private var boilerState: [BoilerState] = []
    private var firingSinceS: [Double?] = []
    /// Floor circuits: longest time over limit + 2 K, s, and the largest excess, K.
    public private(set) var floorOverLimitMaxS: [Double]
    public private(set) var floorExcessMaxK: [Double]
    private var floorOverS: [Double]
    /// The first moments a floor circuit went over its limit + 2 K, with the controller's state.
    public private(set) var floorEvents: [String] = []
    /// Disinfection cycles completed per substation at the start.
    private var disinfectionsStart: [Int]? = nil
    public private(set) var disinfections: [Int]
    private var samples = 0

    public init(sim: Simulation, windows: [Window]) {
        self.windows = windows
        let n = sim.plant.substations.count
        ids = sim.plant.substations.map(\.id)
        figures = Array(repeating: Array(repeating: CircuitFigures(), count: n), count: windows.count)
        meterSwings = Array(repeating: Array(repeating: Swings(), count: n), count: windows.count)
        heatingSwings = meterSwings
        charging = Array(repeating: false, count: n)
        chargeStartRoom = Array(repeating: 0, count: n); chargeMinRoom = chargeStartRoom
        comfortWas = Array(repeating: false, count: n); recoveryStartS = Array(repeating: nil, count: n)
        last = Array(repeating: nil, count: n)
        floorOverLimitMaxS = Array(repeating: 0, count: n); floorExcessMaxK = floorOverLimitMaxS; floorOverS = floorOverLimitMaxS
        disinfections = Array(repeating: 0, count: n)
    }

    /// The reference windows of issue 11: 15–28 January, 1–14 May, 1–14 July of `year`.
    public static func referenceWindows(year: Int) -> [Window] {
        [Window(name: "Jan", from: CivilDate(year: year, month: 1, day: 15), to: CivilDate(year: year, month: 1, day: 28)),
         Window(name: "May", from: CivilDate(year: year, month: 5, day: 1), to: CivilDate(year: year, month: 5, day: 14)),
         Window(name: "Jul", from: CivilDate(year: year, month: 7, day: 1), to: CivilDate(year: year, month: 7, day: 14))]
    }

    /// Called every 10 simulated seconds.
    public func observe(_ sim: Simulation) {
        let dt = 10.0
        let t = sim.timeS
        let moment = sim.calendar.moment(t)
        let date = moment.date
        let plant = sim.plant, ctl = sim.controller
        samples += 1
        if disinfectionsStart == nil { disinfectionsStart = ctl.substations.map(\.disinfections) }
        for k in ctl.substations.indices { disinfections[k] = ctl.substations[k].disinfections - disinfectionsStart![k] }

        // cascade
        if boilerState.isEmpty { boilerState = plant.boilers.map(\.state); firingSinceS = plant.boilers.map { $0.isFiring ? t : nil } }
        for (i, b) in plant.boilers.enumerated() {
            let was = boilerState[i], now = b.state
            if was != .ignition && now == .ignition {
                coldStarts += 1
                coldStartsByMonth[date.month - 1] += 1
                firingSinceS[i] = t
                if plant.boilers.indices.contains(where: { $0 != i && boilerState[$0] == .emberKeeping && plant.boilers[$0].state == .emberKeeping && !ctl.cascade.disabled[$0] }) {
                    coldWhileEmbers += 1
                }
            }
            if was == .emberKeeping && now == .running { warmRestarts += 1 }
            if (was == .running || was == .ignition) && (now == .emberKeeping || now == .burnOut || now == .off || now == .fault) {
                if let s0 = firingSinceS[i] {
                    firingPeriods += 1
                    if t - s0 < 3600 { shortFiringPeriods += 1 }
                }
                firingSinceS[i] = nil
            }
            if was == .emberKeeping && now == .running && firingSinceS[i] == nil { firingSinceS[i] = t }
            boilerState[i] = now
        }

        for (k, u) in plant.substations.enumerated() {
            let c = ctl.substations[k]
            let room = u.building.airTemperatureC
            // floor circuits over their limit + 2 K
            if u.circuit.kind == .floor {
                let excess = u.secondarySupplySensorC - c.settings.maxFlowC
                floorOverS[k] = excess > 2 ? floorOverS[k] + dt : 0
                if floorOverS[k] == dt && floorEvents.count < 12 {
                    floorEvents.append("\(u.id) \(date) \(String(format: "%.2f", moment.hourOfDay)) h: supply \(String(format: "%.1f", u.secondarySupplySensorC)) set \(String(format: "%.1f", c.flowSetpointC)) valve \(String(format: "%.2f", u.heatingValve.position)) pump \(u.circuit.circulationKgPerS > 0) trv \(String(format: "%.2f", u.circuit.thermostatOpening)) heatingUp \(c.heatingUp) economy \(c.economy) safety \(c.safetyTripped) primary \(String(format: "%.1f", u.primarySupplySensorC)) room \(String(format: "%.1f", room))")
                }
                floorOverLimitMaxS[k] = max(floorOverLimitMaxS[k], floorOverS[k])
                floorExcessMaxK[k] = max(floorExcessMaxK[k], excess)
            }
            // DHW charges: the room's dip from the charge's start
            var chargeEnded: Double? = nil, chargeDone = false
            // counted over the part of the charge in which the heating circuit runs: while its
            // pump is stopped (no heat demand, quick setback, summer) the room falls as the
            // programme wants, whatever the tank does; a charge wholly within such a stop is left out
            if c.dhwCharging && !charging[k] { charging[k] = true; chargeStartRoom[k] = .nan; chargeMinRoom[k] = .nan }
            if charging[k] && c.circuitRunning {
                if chargeStartRoom[k].isNaN { chargeStartRoom[k] = room; chargeMinRoom[k] = room }
                chargeMinRoom[k] = min(chargeMinRoom[k], room)
            }
            if !c.dhwCharging && charging[k] {
                charging[k] = false; chargeDone = true
                if !chargeStartRoom[k].isNaN { chargeEnded = max(0, chargeStartRoom[k] - chargeMinRoom[k]) }
            }
            // recovery after setback (comfort periods of the programme)
            let comfortNow = c.schedule.occupancy(at: moment) == .comfort && c.heatingOn
            var recovered: Double? = nil, missed = false
            if comfortNow && !comfortWas[k] {
                if room >= c.settings.comfortRoomC - 0.5 { recovered = 0 } else { recoveryStartS[k] = t }
            } else if comfortNow, let s0 = recoveryStartS[k], room >= c.settings.comfortRoomC - 0.5 {
                recovered = (t - s0) / 60; recoveryStartS[k] = nil
            } else if !comfortNow && comfortWas[k] && recoveryStartS[k] != nil {
                missed = true; recoveryStartS[k] = nil
            }
            comfortWas[k] = comfortNow

            for (w, win) in windows.enumerated() where win.contains(date) {
                var f = figures[w][k]
                f.days += dt / 86400
                meterSwings[w][k].add(u.primaryReturnC); f.meterReturnSwings = meterSwings[w][k].count
                if u.heatingValve.position > 0.001 || c.circuitRunning {
                    heatingSwings[w][k].add(u.heatingReturnSensorC)
                }
                f.heatingReturnSwings = heatingSwings[w][k].count
                if c.heatingOn && c.flowSetpointC > 0 {
                    f.heatingOnSamples += 1
                    if c.desiredFlowC > room + 5 && !c.dhwCharging && abs(u.secondarySupplySensorC - room) < 2 { f.noHeatSamples += 1 }
                }
                if let d = chargeEnded { f.dhwChargeDropsK.append(d) }
                if chargeDone { f.dhwCharges += 1 }
                if let r = recovered { f.recoveryMinutes.append(r) }
                if missed { f.recoveryMissed += 1 }
                if !c.heatingOn { f.roomSumOffC += room; f.roomSamplesOff += 1; f.roomMaxOffC = max(f.roomMaxOffC, room) }
                if let tank = u.dhwTank, tank.volumeM3 >= 0.4 {
                    f.tankSamples += 1
                    if tank.outletC >= 55 { f.tankHotSamples += 1 }
                }
                if let l = last[k] {
                    f.maxStepK = max(f.maxStepK, abs(u.secondarySupplySensorC - l.supply), abs(u.primaryReturnC - l.ret), abs(room - l.room))
                }
                figures[w][k] = f
            }
            last[k] = (u.secondarySupplySensorC, u.primaryReturnC, room)
        }
    }

    public static func median(_ x: [Double]) -> Double {
        guard !x.isEmpty else { return .nan }
        let s = x.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// The figures as a text report (one table per window, then the run's).
    public func report(sim: Simulation) -> String {
        var out = ""
        func f1(_ v: Double) -> String { v.isNaN ? "–" : String(format: "%.1f", v) }
        func f2(_ v: Double) -> String { v.isNaN ? "–" : String(format: "%.2f", v) }
        for (w, win) in windows.enumerated() {
            out += "\n\(win.name) \(win.from)…\(win.to)\n"
            out += "building         swings/day meter heat  DHW charges/day  no-heat %  DHW drop K med/max  recovery min med/max/missed  room off mean/max °C  outlet≥55 %  max 10-s step K\n"
            for (k, id) in ids.enumerated() {
                let f = figures[w][k]
                let pd = f.perDay
                let drops = f.dhwChargeDropsK
                let rec = f.recoveryMinutes
                var line = id.padding(toLength: 16, withPad: " ", startingAt: 0)
                line += " " + f2(pd.meter).leftPad(10) + " " + f2(pd.heating).leftPad(5)
                line += " " + (sim.plant.substations[k].dhwTank == nil ? "–" : f2(f.dhwChargesPerDay)).leftPad(16)
                line += " " + f1(f.noHeatShare * 100).leftPad(10)
                line += " " + (drops.isEmpty ? "–" : f2(Self.median(drops)) + "/" + f2(drops.max()!)).leftPad(19)
                line += " " + (rec.isEmpty && f.recoveryMissed == 0 ? "–" : f1(Self.median(rec)) + "/" + f1(rec.max() ?? .nan) + "/\(f.recoveryMissed)").leftPad(28)
                line += " " + (f.roomSamplesOff == 0 ? "–" : f1(f.roomMeanOffC) + "/" + f1(f.roomMaxOffC)).leftPad(21)
                line += " " + (f.tankSamples == 0 ? "–" : f1(f.hotShare * 100)).leftPad(12)
                line += " " + f1(f.maxStepK).leftPad(16)
                out += line + "\n"
            }
        }
        out += "\ncascade: \(coldStarts) cold starts, \(warmRestarts) warm restarts from embers (\(sim.controller.cascade.emberRestarts) of them by the ember-end restart), \(firingPeriods) firing periods of which \(shortFiringPeriods) under 1 h, \(coldWhileEmbers) cold starts while another boiler held embers\n"
        out += "cold starts by month: " + coldStartsByMonth.map(String.init).joined(separator: " ") + "\n"
        for (k, id) in ids.enumerated() where sim.plant.substations[k].circuit.kind == .floor {
            out += "floor circuit \(id): longest over its limit + 2 K \(Int(floorOverLimitMaxS[k])) s, largest excess over the limit \(f1(floorExcessMaxK[k])) K\n"
        }
        for e in floorEvents { out += "  " + e + "\n" }
        for (k, id) in ids.enumerated() where sim.plant.substations[k].dhwTank != nil {
            out += "DHW \(id): \(disinfections[k]) disinfection cycles (60 °C held 60 min)\n"
        }
        var counts: [String: Int] = [:]
        for a in sim.alarmActivations { counts[a.id, default: 0] += 1 }
        out += "alarms raised: " + (counts.isEmpty ? "none" : counts.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")) + "\n"
        return out
    }
}

