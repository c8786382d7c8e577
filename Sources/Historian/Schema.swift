/// How a tag is recorded.
public enum TagKind: String, Sendable {
    /// Sampled at the recording period and compressed by swinging-door trending with the tag's
    /// deadband as deviation (`SwingingDoor`): readers interpolate linearly between samples.
    case analog
    /// Discrete: stored on every change (looked at every few simulated seconds).
    case state
    /// A totaliser (meter index, run hours, fuel burned): stored every hour (a meter's load
    /// profile) or every day when it changed, and at the start and end of a session.
    case counter
}

/// A tag as the historian records it: a dotted name (`substation.auberge.meter.energy`), its unit,
/// how it is recorded, the resolution it is stored at (values are stored as integers of this
/// step) and the deadband of an analog tag.
public struct TagDefinition: Sendable, Equatable {
    public var name: String
    public var unit: String
    public var kind: TagKind
    public var resolution: Double
    public var deadband: Double
    public var description: String
    public init(name: String, unit: String, kind: TagKind, resolution: Double, deadband: Double = 0, description: String = "") {
        self.name = name; self.unit = unit; self.kind = kind; self.resolution = resolution
        self.deadband = deadband; self.description = description
    }
}

/// One stored sample: simulated time (s since the scenario's start), the tag's id in the
/// database, the value as an integer number of the tag's resolution.
public struct Sample: Sendable, Equatable {
    public var t: Int64
    public var tag: Int64
    public var value: Int64
    public init(t: Int64, tag: Int64, value: Int64) { self.t = t; self.tag = tag; self.value = value }
}

/// Something that happened: a delivery, a fault, a mode change, a client's write (with its
/// address in `source`), the start or end of a session.
public struct HistorianEvent: Sendable, Equatable {
    public var t: Double
    public var kind: String
    public var source: String
    public var tag: String
    public var value: Double?
    public var text: String
    /// What `chaufferie replay` needs to do it again (a JSON object: the step it was carried out
    /// before and its exact arguments), kept in `replay_log` beside the event; nil for events
    /// that only report.
    public var replay: String?
    public init(t: Double, kind: String, source: String = "", tag: String = "", value: Double? = nil, text: String = "", replay: String? = nil) {
        self.t = t; self.kind = kind; self.source = source; self.tag = tag; self.value = value; self.text = text; self.replay = replay
    }
}

/// What a session records about itself: the scenario, where its clock starts, the period, and
/// the figures the report needs without the scenario file (economic inputs, the study's
/// reference figures, the plant's fixed facts), as dotted keys.
public struct SessionInfo: Sendable, Equatable {
    public var scenarioFile: String
    public var scenarioName: String
    /// The scenario's first day, ISO `YYYY-MM-DD` (simulated time 0 is its midnight).
    public var startDate: String
    public var periodS: Double
    public var command: String
    public var seed: UInt64
    public var facts: [String: Double]
    public var labels: [String: String]
    public init(scenarioFile: String, scenarioName: String, startDate: String, periodS: Double, command: String, seed: UInt64,
                facts: [String: Double] = [:], labels: [String: String] = [:]) {
        self.scenarioFile = scenarioFile; self.scenarioName = scenarioName; self.startDate = startDate
        self.periodS = periodS; self.command = command; self.seed = seed; self.facts = facts; self.labels = labels
    }
}

enum Schema {
    static let version = 1
    static let create = """
    PRAGMA journal_mode=WAL;
    PRAGMA synchronous=NORMAL;
    CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT OR IGNORE INTO meta(key, value) VALUES ('application', 'chaufferie historian'), ('schema_version', '\(version)');
    CREATE TABLE IF NOT EXISTS sessions(
        id INTEGER PRIMARY KEY,
        scenario_file TEXT NOT NULL, scenario_name TEXT NOT NULL, start_date TEXT NOT NULL,
        period_s REAL NOT NULL, command TEXT NOT NULL, seed INTEGER NOT NULL,
        started_wall TEXT NOT NULL,
        last_t INTEGER NOT NULL DEFAULT 0, committed_samples INTEGER NOT NULL DEFAULT 0,
        lost_samples INTEGER NOT NULL DEFAULT 0, ended INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE IF NOT EXISTS session_facts(session INTEGER NOT NULL, key TEXT NOT NULL, value REAL, label TEXT,
        PRIMARY KEY(session, key)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS tags(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, unit TEXT NOT NULL, kind TEXT NOT NULL,
        resolution REAL NOT NULL, deadband REAL NOT NULL, description TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS samples(session INTEGER NOT NULL, t INTEGER NOT NULL, tag INTEGER NOT NULL, v INTEGER NOT NULL,
        PRIMARY KEY(session, t, tag)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS events(id INTEGER PRIMARY KEY, session INTEGER NOT NULL, t REAL NOT NULL, kind TEXT NOT NULL,
        source TEXT NOT NULL, tag TEXT NOT NULL, value REAL, text TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS events_by_session ON events(session, t);
    CREATE TABLE IF NOT EXISTS replay_log(session INTEGER NOT NULL, event INTEGER NOT NULL, payload TEXT NOT NULL,
        PRIMARY KEY(session, event)) WITHOUT ROWID;
    CREATE VIEW IF NOT EXISTS samples_decoded AS
        SELECT s.session, s.t, g.name AS tag, s.v * g.resolution AS value, g.unit
        FROM samples s JOIN tags g ON g.id = s.tag;
    """
}

/// Civil date arithmetic (proleptic Gregorian), after H. Hinnant, "chrono-compatible low-level
/// date algorithms": enough to print a sample's time without importing the simulation's calendar.
public enum CivilTime {
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Parses `YYYY-MM-DD` into days since 1970-01-01.
    public static func days(ofISODate s: String) -> Int? {
        let p = s.split(separator: "-")
        guard p.count == 3, let y = Int(p[0]), let m = Int(p[1]), let d = Int(p[2]), (1...12).contains(m), (1...31).contains(d) else { return nil }
        return daysFromCivil(y, m, d)
    }

    /// `YYYY-MM-DDTHH:MM:SS` of `seconds` after midnight of `startDate`.
    public static func iso(startDate: String, seconds: Int64) -> String {
        let d0 = days(ofISODate: startDate) ?? 0
        let dd = Int(seconds.quotientAndRemainder(dividingBy: 86400).quotient) - (seconds < 0 && seconds % 86400 != 0 ? 1 : 0)
        let rest = Int(seconds) - dd * 86400
        let (y, m, d) = civilFromDays(d0 + dd)
        func two(_ x: Int) -> String { x < 10 ? "0\(x)" : "\(x)" }
        return "\(y)-\(two(m))-\(two(d))T\(two(rest / 3600)):\(two(rest % 3600 / 60)):\(two(rest % 60))"
    }

    /// Seconds after midnight of `startDate` of `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM[:SS]`.
    public static func seconds(startDate: String, iso s: String) -> Int64? {
        guard let d0 = days(ofISODate: startDate) else { return nil }
        let parts = s.split(separator: "T", omittingEmptySubsequences: false)
        guard parts.count <= 2, let d = days(ofISODate: String(parts[0])) else { return nil }
        var secs = 0
        if parts.count == 2 {
            let hms = parts[1].split(separator: ":").map { Int($0) }
            guard (2...3).contains(hms.count), hms.allSatisfy({ $0 != nil }) else { return nil }
            let h = hms[0]!, m = hms[1]!, sec = hms.count == 3 ? hms[2]! : 0
            guard (0...23).contains(h), (0...59).contains(m), (0...59).contains(sec) else { return nil }
            secs = h * 3600 + m * 60 + sec
        }
        return Int64((d - d0) * 86400 + secs)
    }
}
