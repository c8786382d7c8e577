/// A civil date (proleptic Gregorian), used for the scenario's start and for schedules.
public struct CivilDate: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var year: Int, month: Int, day: Int
    public init(year: Int, month: Int, day: Int) { self.year = year; self.month = month; self.day = day }

    /// Parses `YYYY-MM-DD`; nil when malformed or not a real date.
    public init?(iso: String) {
        let parts = iso.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), d >= 1, d <= CivilDate.daysInMonth(year: y, month: m) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }
    public static func daysInMonth(year: Int, month: Int) -> Int {
        [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public init(daysSinceEpoch z0: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }

    /// ISO weekday, 1 = Monday … 7 = Sunday.
    public var isoWeekday: Int { ((daysSinceEpoch % 7 + 7 + 3) % 7) + 1 }
    /// Day of the year, 1-based.
    public var dayOfYear: Int { daysSinceEpoch - CivilDate(year: year, month: 1, day: 1).daysSinceEpoch + 1 }

    public static func < (a: CivilDate, b: CivilDate) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }
    public var description: String {
        func pad(_ v: Int, _ n: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, n - s.count)) + s }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}

/// Simulation time: seconds since the scenario's start, laid on the scenario's calendar.
public struct SimCalendar: Sendable {
    /// The scenario's first day, starting at 00:00 local time.
    public let start: CivilDate
    private let startDays: Int
    public init(start: CivilDate) { self.start = start; self.startDays = start.daysSinceEpoch }

    /// Calendar position of simulation time `t` (seconds since start).
    @inline(__always) public func moment(_ t: Double) -> Moment {
        let dayIndex = Int((t / 86_400).rounded(.down))
        let secondOfDay = t - Double(dayIndex) * 86_400
        return Moment(daysSinceEpoch: startDays + dayIndex, hourOfDay: secondOfDay / 3600)
    }

    /// Seconds since start at which `date` begins.
    public func seconds(at date: CivilDate) -> Double { Double(date.daysSinceEpoch - startDays) * 86_400 }
}

/// A point on the calendar: the day and the hour of day (0 ≤ hour < 24, fractional).
///
/// The date and weekday are worked out once, when the moment is made: the controllers and the
/// substations ask for them several times per substation and step.
public struct Moment: Sendable {
    public let daysSinceEpoch: Int
    public let hourOfDay: Double
    public let date: CivilDate
    /// ISO weekday, 1 = Monday … 7 = Sunday.
    public let isoWeekday: Int
    public var isWeekend: Bool { isoWeekday >= 6 }
    public init(daysSinceEpoch: Int, hourOfDay: Double) {
        self.daysSinceEpoch = daysSinceEpoch; self.hourOfDay = hourOfDay
        date = CivilDate(daysSinceEpoch: daysSinceEpoch)
        isoWeekday = ((daysSinceEpoch % 7 + 7 + 3) % 7) + 1
    }
}
