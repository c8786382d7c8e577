import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a historian file: its sessions, tags, series and events, and exports them as CSV.
public final class HistorianReader {
    public struct Session: Sendable, Equatable {
        public var id: Int64
        public var scenarioFile: String, scenarioName: String, startDate: String
        public var periodS: Double
        public var command: String
        public var lastT: Int64
        public var committedSamples: Int64, lostSamples: Int64
        public var ended: Bool
        public var facts: [String: Double]
        public var labels: [String: String]
    }
    public struct Tag: Sendable, Equatable {
        public var id: Int64
        public var definition: TagDefinition
    }

    let db: SQLiteConnection
    public let path: String

    public init(path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw SQLiteError(code: 14, message: "\(path): no such file") }
        db = try SQLiteConnection(path: path, readOnly: true, busyTimeoutMS: 2000)
        self.path = path
        let app = try? db.rows("SELECT value FROM meta WHERE key = 'application'")
        guard app?.first?.first?.string == "chaufferie historian" else {
            throw SQLiteError(code: 26, message: "\(path): not a chaufferie historian")
        }
    }

    public func sessions() throws -> [Session] {
        try db.rows("SELECT id, scenario_file, scenario_name, start_date, period_s, command, last_t, committed_samples, lost_samples, ended FROM sessions ORDER BY id").map { r in
            let id = Int64(r[0].double ?? 0)
            var facts: [String: Double] = [:], labels: [String: String] = [:]
            for f in try db.rows("SELECT key, value, label FROM session_facts WHERE session = ?", [.int(id)]) {
                if let v = f[1].double { facts[f[0].string ?? ""] = v }
                if let l = f[2].string, case .text = f[2] { labels[f[0].string ?? ""] = l }
            }
            return Session(id: id, scenarioFile: r[1].string ?? "", scenarioName: r[2].string ?? "", startDate: r[3].string ?? "",
                           periodS: r[4].double ?? 60, command: r[5].string ?? "", lastT: Int64(r[6].double ?? 0),
                           committedSamples: Int64(r[7].double ?? 0), lostSamples: Int64(r[8].double ?? 0),
                           ended: (r[9].double ?? 0) != 0, facts: facts, labels: labels)
        }
    }

    /// The session `id`, or the last one.
    public func session(_ id: Int64?) throws -> Session {
        let all = try sessions()
        if let id {
            guard let s = all.first(where: { $0.id == id }) else { throw SQLiteError(code: 12, message: "\(path): no session \(id) (sessions: \(all.map(\.id)))") }
            return s
        }
        guard let s = all.last else { throw SQLiteError(code: 12, message: "\(path): no session recorded") }
        return s
    }

    public func tags() throws -> [Tag] {
        try db.rows("SELECT id, name, unit, kind, resolution, deadband, description FROM tags ORDER BY id").map { r in
            Tag(id: Int64(r[0].double ?? 0), definition: TagDefinition(name: r[1].string ?? "", unit: r[2].string ?? "",
                kind: TagKind(rawValue: r[3].string ?? "") ?? .analog, resolution: r[4].double ?? 1, deadband: r[5].double ?? 0,
                description: r[6].string ?? ""))
        }
    }

    /// Stored samples of `tag` in `session` between `from` and `to` (inclusive), in time order,
    /// as (s, value in the tag's unit).
    public func series(session: Int64, tag: String, from: Int64 = .min, to: Int64 = .max) throws -> [(t: Int64, v: Double)] {
        let s = try db.prepare("SELECT s.t, s.v * g.resolution FROM samples s JOIN tags g ON g.id = s.tag WHERE s.session = ? AND g.name = ? AND s.t BETWEEN ? AND ? ORDER BY s.t")
        try s.bind([.int(session), .text(tag), .int(from), .int(to)])
        var out: [(Int64, Double)] = []
        while try s.step() { out.append((s.int(0), s.double(1))) }
        return out
    }

    /// Value of `tag` held at `t` (the last sample at or before it), nil before the first.
    public func value(session: Int64, tag: String, at t: Int64) throws -> Double? {
        try db.rows("SELECT s.v * g.resolution FROM samples s JOIN tags g ON g.id = s.tag WHERE s.session = ? AND g.name = ? AND s.t <= ? ORDER BY s.t DESC LIMIT 1",
                    [.int(session), .text(tag), .int(t)]).first?.first?.double
    }

    /// Value of an analog tag at `t`, interpolated linearly between the samples around it (held
    /// after the last one), nil before the first.
    public func interpolated(session: Int64, tag: String, at t: Int64) throws -> Double? {
        let q = "SELECT s.t, s.v * g.resolution FROM samples s JOIN tags g ON g.id = s.tag WHERE s.session = ? AND g.name = ? AND s.t "
        guard let a = try db.rows(q + "<= ? ORDER BY s.t DESC LIMIT 1", [.int(session), .text(tag), .int(t)]).first,
              let ta = a[0].double, let va = a[1].double else { return nil }
        guard let b = try db.rows(q + "> ? ORDER BY s.t ASC LIMIT 1", [.int(session), .text(tag), .int(t)]).first,
              let tb = b[0].double, let vb = b[1].double else { return va }
        return va + (vb - va) * (Double(t) - ta) / (tb - ta)
    }

    /// First and last stored sample of `tag` (a counter's first and last index).
    public func firstAndLast(session: Int64, tag: String) throws -> (first: (t: Int64, v: Double), last: (t: Int64, v: Double))? {
        let q = "SELECT s.t, s.v * g.resolution FROM samples s JOIN tags g ON g.id = s.tag WHERE s.session = ? AND g.name = ? ORDER BY s.t "
        guard let a = try db.rows(q + "ASC LIMIT 1", [.int(session), .text(tag)]).first,
              let b = try db.rows(q + "DESC LIMIT 1", [.int(session), .text(tag)]).first else { return nil }
        return ((Int64(a[0].double!), a[1].double!), (Int64(b[0].double!), b[1].double!))
    }

    public func events(session: Int64, kind: String? = nil) throws -> [HistorianEvent] {
        var sql = "SELECT t, kind, source, tag, value, text FROM events WHERE session = ?"
        var b: [SQLValue] = [.int(session)]
        if let k = kind { sql += " AND kind = ?"; b.append(.text(k)) }
        return try db.rows(sql + " ORDER BY t, id", b).map {
            HistorianEvent(t: $0[0].double ?? 0, kind: $0[1].string ?? "", source: $0[2].string ?? "", tag: $0[3].string ?? "",
                           value: $0[4].double, text: $0[5].string ?? "")
        }
    }

    /// What a session recorded for its replay, in the order it happened: each event's kind,
    /// source (the client) and replay payload (JSON). Empty for a file recorded before replay
    /// was kept.
    public func replayLog(session: Int64) throws -> [(kind: String, source: String, payload: String)] {
        let has = try db.rows("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'replay_log'")
        guard !has.isEmpty else { return [] }
        return try db.rows("SELECT e.kind, e.source, r.payload FROM replay_log r JOIN events e ON e.id = r.event WHERE r.session = ? ORDER BY r.event",
                           [.int(session)]).map { ($0[0].string ?? "", $0[1].string ?? "", $0[2].string ?? "") }
    }

    /// Time of the first sample of a session.
    public func firstRecordedTime(session: Int64) throws -> Int64? {
        try db.rows("SELECT min(t) FROM samples WHERE session = ?", [.int(session)]).first?.first?.double.map { Int64($0) }
    }

    public func sampleCount(session: Int64? = nil) throws -> Int64 {
        if let s = session { return Int64(try db.rows("SELECT count(*) FROM samples WHERE session = ?", [.int(s)])[0][0].double ?? 0) }
        return Int64(try db.rows("SELECT count(*) FROM samples")[0][0].double ?? 0)
    }

    /// Tags whose name matches one of the shell-style `globs` (`*`, `?`, `[...]`), in id order.
    public func tags(matching globs: [String]) throws -> [Tag] {
        try tags().filter { t in globs.contains { fnmatch($0, t.definition.name, 0) == 0 } }
    }

    /// A wide CSV: a `time` column (ISO, simulated) then one column per tag named
    /// `name [unit]`, one row every `stepS` from `from` to `to`. Each cell is the tag's value at
    /// that moment: for an analog tag interpolated linearly between its stored samples (swinging
    /// door), for a state or counter the last stored one; empty before the first sample.
    public func exportCSV(session s: Session, tags: [Tag], from: Int64, to: Int64, stepS: Int64, write: (String) -> Void) throws {
        precondition(stepS > 0)
        write((["time"] + tags.map { "\($0.definition.name) [\($0.definition.unit)]" }).joined(separator: ",") + "\n")
        let q = "SELECT s.t, s.v * g.resolution FROM samples s JOIN tags g ON g.id = s.tag WHERE s.session = ? AND s.tag = ? AND s.t "
        var series: [[(t: Int64, v: Double)]] = []
        for tag in tags {
            var pts: [(Int64, Double)] = []
            if let b = try db.rows(q + "<= ? ORDER BY s.t DESC LIMIT 1", [.int(s.id), .int(tag.id), .int(from)]).first {
                pts.append((Int64(b[0].double ?? 0), b[1].double ?? 0))
            }
            let st = try db.prepare(q + "> ? AND s.t <= ? ORDER BY s.t")
            try st.bind([.int(s.id), .int(tag.id), .int(from), .int(to)])
            while try st.step() { pts.append((st.int(0), st.double(1))) }
            if let a = try db.rows(q + "> ? ORDER BY s.t ASC LIMIT 1", [.int(s.id), .int(tag.id), .int(to)]).first {
                pts.append((Int64(a[0].double ?? 0), a[1].double ?? 0))
            }
            series.append(pts)
        }
        var cursor = [Int](repeating: 0, count: tags.count)
        var t = from
        while t <= to {
            var line = CivilTime.iso(startDate: s.startDate, seconds: t)
            for (i, pts) in series.enumerated() {
                line += ","
                while cursor[i] + 1 < pts.count && pts[cursor[i] + 1].t <= t { cursor[i] += 1 }
                guard let p = pts.indices.contains(cursor[i]) ? pts[cursor[i]] : nil, p.t <= t else { continue }
                var v = p.v
                if tags[i].definition.kind == .analog, cursor[i] + 1 < pts.count {
                    let n = pts[cursor[i] + 1]
                    v += (n.v - p.v) * Double(t - p.t) / Double(n.t - p.t)
                }
                line += Self.format(v, resolution: tags[i].definition.resolution)
            }
            write(line + "\n")
            t += stepS
        }
    }

    /// A value printed with as many decimals as its resolution carries.
    static func format(_ v: Double, resolution: Double) -> String {
        let decimals = max(0, min(6, Int((-log10(resolution)).rounded(.up))))
        return String(format: "%.\(decimals)f", v)
    }

    /// `PRAGMA integrity_check`'s verdict ("ok" when sound).
    public func integrityCheck() throws -> String {
        try db.rows("PRAGMA integrity_check").map { $0.first?.string ?? "" }.joined(separator: "; ")
    }
}
