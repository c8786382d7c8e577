/// A weekly occupancy programme with an optional season, as a controller's time programme
/// holds it: comfort periods per weekday, reduced otherwise, and closure outside the season.
public struct WeeklySchedule: Sendable, Equatable {
    /// One comfort period: ISO weekdays (1 = Monday … 7 = Sunday) and hours [from, to).
    public struct Period: Sendable, Equatable {
        public var weekdays: Set<Int> { didSet { mask = Self.mask(weekdays) } }
        public var fromHour: Double, toHour: Double
        /// Bit d set for ISO weekday d: the scan looks this up every second, a Set would hash.
        private(set) var mask: UInt8
        public init(weekdays: Set<Int>, fromHour: Double, toHour: Double) {
            self.weekdays = weekdays; self.fromHour = fromHour; self.toHour = toHour
            mask = Self.mask(weekdays)
        }
        static func mask(_ days: Set<Int>) -> UInt8 { days.reduce(0) { $0 | UInt8(1 << $1) } }
    }
    /// The months and days (inclusive) the building is open; nil = all year.
    public struct Season: Sendable, Equatable {
        public var openMonth: Int, openDay: Int, closeMonth: Int, closeDay: Int
        public init(openMonth: Int, openDay: Int, closeMonth: Int, closeDay: Int) {
            self.openMonth = openMonth; self.openDay = openDay; self.closeMonth = closeMonth; self.closeDay = closeDay
        }
        public func contains(_ date: CivilDate) -> Bool {
            let k = date.month * 100 + date.day, o = openMonth * 100 + openDay, c = closeMonth * 100 + closeDay
            return o <= c ? (k >= o && k <= c) : (k >= o || k <= c)
        }
    }
    public enum Occupancy: Sendable, Equatable { case comfort, reduced, closed }

    public var periods: [Period]
    public var season: Season?

    public init(periods: [Period], season: Season? = nil) { self.periods = periods; self.season = season }

    /// What the programme says at a moment.
    public func occupancy(at m: Moment) -> Occupancy {
        if let s = season, !s.contains(m.date) { return .closed }
        let wd = m.isoWeekday
        let bit = UInt8(1 << wd)
        for p in periods where p.mask & bit != 0 && m.hourOfDay >= p.fromHour && m.hourOfDay < p.toHour {
            return .comfort
        }
        return .reduced
    }

    /// What `occupancy(at:)` last said, and the stretch of the day it holds for: between two of
    /// the day's period boundaries nothing the programme reads changes (the weekday and the season
    /// change at midnight), so within it the answer is the same, exactly. The substations and
    /// their controllers ask every step; the programme is read again only at a boundary.
    public struct Memo: Sendable {
        var day = Int.min, fromHour = 0.0, untilHour = 0.0
        var value: Occupancy = .reduced
        public init() {}
        init(day: Int, fromHour: Double, untilHour: Double, value: Occupancy) {
            self.day = day; self.fromHour = fromHour; self.untilHour = untilHour; self.value = value
        }
    }

    /// `occupancy(at:)` through a memo (the same answer).
    @inline(__always) public func occupancy(at m: Moment, memo: inout Memo) -> Occupancy {
        let h = m.hourOfDay
        if m.daysSinceEpoch == memo.day && h >= memo.fromHour && h < memo.untilHour { return memo.value }
        let v = occupancy(at: m)
        var lo = 0.0, hi = Double.infinity
        let bit = UInt8(1 << m.isoWeekday)
        for p in periods where p.mask & bit != 0 {
            for b in [p.fromHour, p.toHour] {
                if b <= h { lo = max(lo, b) } else { hi = min(hi, b) }
            }
        }
        memo = Memo(day: m.daysSinceEpoch, fromHour: lo, untilHour: hi, value: v)
        return v
    }

    /// Hours from `m` to the start of the next comfort period within `horizonH` (0 when one is
    /// in force), nil when none starts in that time. The season is taken as it stands at `m`.
    public func hoursUntilComfort(from m: Moment, horizonH: Double = 24) -> Double? {
        if let s = season, !s.contains(m.date) { return nil }
        var best: Double? = nil
        let wd = m.isoWeekday, h = m.hourOfDay
        for d in 0...Int((horizonH / 24).rounded(.up)) {
            let day = (wd - 1 + d) % 7 + 1
            let bit = UInt8(1 << day)
            for p in periods where p.mask & bit != 0 {
                if d == 0 && h >= p.fromHour && h < p.toHour { return 0 }
                let dt = Double(d) * 24 + p.fromHour - h
                if dt > 0 && dt <= horizonH && (best == nil || dt < best!) { best = dt }
            }
        }
        return best
    }

    /// Comfort hours per week, h (for calibration reports).
    public var comfortHoursPerWeek: Double {
        periods.reduce(0) { $0 + Double($1.weekdays.count) * ($1.toHour - $1.fromHour) }
    }
}
