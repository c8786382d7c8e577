import Foundation

/// Heat recovered from outside the plant and injected into the buffer: an industrial process's
/// waste heat, or a combined heat and power unit's, through a plate exchanger.
///
/// The source offers up to `maxKW` while its availability profile says it runs (a weekly
/// programme: a factory's shifts, a CHP's operating hours), water at `supplyC` on its side. The
/// exchanger gives the buffer what the source offers, limited by the temperature difference
/// between the source and the buffer's bottom (an exchanger of a fixed UA: `maxKW` at
/// `designDeltaK`, nothing when the bottom reaches the source's temperature). The plant buys
/// the heat it takes; a CHP also generates electricity in proportion to its heat
/// (`electricPerHeat`, its electrical over its thermal efficiency), sold to the grid.
public struct RecoveredHeat: Sendable {
    public enum Kind: String, Sendable, CaseIterable { case industrial, chp }
    public let kind: Kind
    public let maxKW: Double
    public let supplyC: Double
    /// The exchanger's design: `maxKW` with the buffer's bottom this far under the source, K.
    public let designDeltaK: Double
    /// Electricity generated per kWh of heat (0 for industrial waste heat).
    public let electricPerHeat: Double
    /// Weekly availability: the source runs in these periods.
    public let schedule: WeeklySchedule
    /// Taken by the plant controller (its `enable`), and whether the source is running now.
    public var enabled = true
    public private(set) var running = false
    /// Its programme says it runs now (whether or not it has tripped).
    public private(set) var scheduled = false
    public private(set) var toLoopKW = 0.0, electricKW = 0.0
    /// Counters since the start: heat taken, electricity generated, kWh; hours available.
    public private(set) var toLoopKWh = 0.0, electricityKWh = 0.0, availableHours = 0.0
    /// Fault: the source trips (the process stops, the CHP shuts down).
    public var tripped = false

    public init(kind: Kind, maxKW: Double, supplyC: Double, designDeltaK: Double = 15, electricPerHeat: Double, schedule: WeeklySchedule) {
        self.kind = kind; self.maxKW = maxKW; self.supplyC = supplyC; self.designDeltaK = designDeltaK
        self.electricPerHeat = electricPerHeat; self.schedule = schedule
    }

    /// Advances by `dtS` at `moment`, the buffer's bottom at `storeC`; `toLoopKW` is then what
    /// the exchanger gives the buffer's bottom.
    public mutating func step(dtS: Double, moment: Moment, storeC: Double) {
        scheduled = schedule.occupancy(at: moment) == .comfort
        running = !tripped && scheduled
        let q = running && enabled ? min(maxKW, max(0, maxKW * (supplyC - storeC) / designDeltaK)) : 0
        toLoopKW = q
        electricKW = running ? q * electricPerHeat : 0
        let h = dtS / 3600
        toLoopKWh += q * h; electricityKWh += electricKW * h
        if running { availableHours += h }
    }

    public mutating func restoreCounters(toLoopKWh: Double, electricityKWh: Double, availableHours: Double) {
        self.toLoopKWh = toLoopKWh; self.electricityKWh = electricityKWh; self.availableHours = availableHours
    }
}
