import Foundation
import Logging

/// Records one session into an SQLite file on a thread of its own, so that the simulation and
/// the Modbus server never wait on the disk. The simulation hands over samples and events with
/// `enqueue` (which only takes a lock and appends); the writer commits what has accumulated about
/// every `commitEveryS` of wall time in one transaction. A sample counts as recorded once its
/// transaction committed. When the file is locked by another program or the disk is full, the
/// writer logs the error, keeps what it holds up to `maxPendingSamples` (beyond, the oldest are
/// dropped and counted as lost) and tries again at the next round.
public final class Recorder: @unchecked Sendable {
    public struct Statistics: Sendable, Equatable {
        public var committedSamples = 0
        public var committedEvents = 0
        public var lostSamples = 0
        public var lostEvents = 0
        public var pendingSamples = 0
        public var failedCommits = 0
        public var lastError: String?
    }

    /// The session's id in the database and each tag's id, in the order of `tags`.
    public let sessionID: Int64
    public let tagIDs: [Int64]
    public let path: String

    private let lock = NSLock()
    private let wake = NSCondition()
    private var queueSamples: [Sample] = []
    private var queueEvents: [HistorianEvent] = []
    private var lastT: Int64 = 0
    private var closing = false
    private var stats = Statistics()
    private let maxPending: Int
    private let commitEveryS: Double
    private let logger: Logger
    private let commitLog: FileHandle?
    private var thread: Thread?
    private let finished = DispatchSemaphore(value: 0)

    /// Opens (or creates) the database, registers the session and its tags, and starts the
    /// writer. `commitLog`, when given, gets one line per committed transaction
    /// (`session committed_samples_total last_t`), written after the commit returned.
    public init(path: String, session: SessionInfo, tags: [TagDefinition], commitEveryS: Double = 1.0,
                maxPendingSamples: Int = 5_000_000, commitLog: String? = nil,
                logger: Logger = Logger(label: "chaufferie.historian")) throws {
        self.path = path
        self.maxPending = maxPendingSamples
        self.commitEveryS = commitEveryS
        self.logger = logger
        if let c = commitLog {
            guard FileManager.default.createFile(atPath: c, contents: nil), let h = FileHandle(forWritingAtPath: c) else {
                throw SQLiteError(code: 14, message: "\(c): cannot write the commit log")
            }
            self.commitLog = h
        } else { self.commitLog = nil }
        let db = try SQLiteConnection(path: path, busyTimeoutMS: 5000)
        // an existing SQLite file must already be a historian: never add our tables to another's
        let tables = try db.rows("SELECT name FROM sqlite_master WHERE type = 'table'").compactMap { $0.first?.string }
        if !tables.isEmpty && !tables.contains("meta") {
            throw SQLiteError(code: 26, message: "\(path): not a chaufferie historian (an SQLite file with other tables: \(tables.prefix(5).joined(separator: ", ")))")
        }
        try db.exec(Schema.create)
        let app = try db.rows("SELECT value FROM meta WHERE key = 'application'")
        guard app.first?.first?.string == "chaufferie historian" else {
            throw SQLiteError(code: 26, message: "\(path): not a chaufferie historian")
        }
        try db.exec("BEGIN IMMEDIATE")
        do {
            // the wall clock in ISO 8601 (UTC) from SQLite: Foundation's ISO8601DateFormatter
            // brought ICU's date and number formatting into the daemon's memory for this one line
            try db.prepare("INSERT INTO sessions(scenario_file, scenario_name, start_date, period_s, command, seed, started_wall) VALUES (?,?,?,?,?,?,strftime('%Y-%m-%dT%H:%M:%SZ','now'))")
                .run([.text(session.scenarioFile), .text(session.scenarioName), .text(session.startDate), .real(session.periodS),
                      .text(session.command), .int(Int64(bitPattern: session.seed))])
            sessionID = db.lastInsertRowID
            let fact = try db.prepare("INSERT INTO session_facts(session, key, value, label) VALUES (?,?,?,?)")
            for (k, v) in session.facts.sorted(by: { $0.key < $1.key }) { try fact.run([.int(sessionID), .text(k), .real(v), .null]) }
            for (k, v) in session.labels.sorted(by: { $0.key < $1.key }) { try fact.run([.int(sessionID), .text(k), .null, .text(v)]) }
            let find = try db.prepare("SELECT id, unit, kind, resolution FROM tags WHERE name = ?")
            let insert = try db.prepare("INSERT INTO tags(name, unit, kind, resolution, deadband, description) VALUES (?,?,?,?,?,?)")
            let update = try db.prepare("UPDATE tags SET deadband = ?, description = ? WHERE id = ?")
            var ids: [Int64] = []
            for t in tags {
                try find.bind([.text(t.name)])
                if try find.step() {
                    let id = find.int(0)
                    // a name keeps its unit, kind and resolution for the life of the file
                    guard find.value(1).string == t.unit, find.value(2).string == t.kind.rawValue, find.double(3) == t.resolution else {
                        throw SQLiteError(code: 1, message: "\(path): tag \(t.name) is recorded there as \(find.value(1).string ?? "") \(find.value(2).string ?? "") at \(find.double(3)); this session has \(t.unit) \(t.kind.rawValue) at \(t.resolution)")
                    }
                    try update.run([.real(t.deadband), .text(t.description), .int(id)])
                    ids.append(id)
                } else {
                    try insert.run([.text(t.name), .text(t.unit), .text(t.kind.rawValue), .real(t.resolution), .real(t.deadband), .text(t.description)])
                    ids.append(db.lastInsertRowID)
                }
            }
            tagIDs = ids
            try db.exec("COMMIT")
        } catch {
            try? db.exec("ROLLBACK")
            throw error
        }
        let t = Thread { [unowned self] in self.writerLoop() }
        t.name = "historian"
        thread = t
        t.start()
    }

    /// Hands samples and events to the writer (never blocks on the disk).
    public func enqueue(samples: [Sample], events: [HistorianEvent] = [], lastT t: Int64) {
        if samples.isEmpty && events.isEmpty && t == lastT { return }
        lock.lock()
        queueSamples.append(contentsOf: samples)
        queueEvents.append(contentsOf: events)
        lastT = max(lastT, t)
        lock.unlock()
    }

    public var statistics: Statistics {
        lock.lock(); defer { lock.unlock() }
        var s = stats
        s.pendingSamples += queueSamples.count
        return s
    }

    /// Commits what is left (trying for up to `timeoutS`), marks the session ended and stops
    /// the writer. What could not be committed is counted as lost.
    public func close(timeoutS: Double = 10) -> Statistics {
        lock.lock(); closing = true; closeDeadline = Date().addingTimeInterval(timeoutS); lock.unlock()
        wake.lock(); wake.signal(); wake.unlock()
        finished.wait()
        return statistics
    }
    private var closeDeadline = Date.distantFuture

    // MARK: the writer

    private func writerLoop() {
        var db: SQLiteConnection?
        var heldSamples: [Sample] = []
        var heldEvents: [HistorianEvent] = []
        var lastLogged: (String, Date)?
        var ended = false
        while true {
            wake.lock()
            _ = wake.wait(until: Date().addingTimeInterval(commitEveryS))
            wake.unlock()
            lock.lock()
            heldSamples.append(contentsOf: queueSamples); queueSamples.removeAll(keepingCapacity: true)
            heldEvents.append(contentsOf: queueEvents); queueEvents.removeAll(keepingCapacity: true)
            let t = lastT
            let isClosing = closing, deadline = closeDeadline
            if heldSamples.count > maxPending {
                let drop = heldSamples.count - maxPending
                heldSamples.removeFirst(drop)
                stats.lostSamples += drop
            }
            stats.pendingSamples = heldSamples.count
            lock.unlock()

            do {
                if db == nil { db = try SQLiteConnection(path: path, busyTimeoutMS: 100) }
                try commit(db!, heldSamples, heldEvents, lastT: t, end: isClosing)
                lock.lock()
                stats.committedSamples += heldSamples.count
                stats.committedEvents += heldEvents.count
                stats.pendingSamples = 0
                lock.unlock()
                if let h = commitLog, !heldSamples.isEmpty || !heldEvents.isEmpty {
                    let total = statistics.committedSamples
                    h.write(Data("\(sessionID) \(total) \(t)\n".utf8))
                }
                heldSamples.removeAll(keepingCapacity: true); heldEvents.removeAll(keepingCapacity: true)
                if lastLogged != nil { logger.notice("historian: recording again into \(path)"); lastLogged = nil }
                if isClosing { ended = true }
            } catch {
                let msg = "\(error)"
                lock.lock(); stats.failedCommits += 1; stats.lastError = msg; lock.unlock()
                // log a new error at once, the same one every 30 s
                if lastLogged == nil || lastLogged!.0 != msg || Date().timeIntervalSince(lastLogged!.1) > 30 {
                    logger.error("historian: cannot record (\(msg)); \(heldSamples.count) samples held, the simulation goes on")
                    lastLogged = (msg, Date())
                }
                if let e = error as? SQLiteError, !e.isBusy && !e.isFull { db = nil }   // reopen after other failures
            }
            if ended || (isClosing && Date() > deadline) { break }
        }
        if !ended {
            lock.lock(); stats.lostSamples += heldSamples.count; stats.lostEvents += heldEvents.count; stats.pendingSamples = 0; lock.unlock()
            logger.error("historian: \(heldSamples.count) samples and \(heldEvents.count) events could not be recorded")
        }
        db = nil
        finished.signal()
    }

    private func commit(_ db: SQLiteConnection, _ samples: [Sample], _ events: [HistorianEvent], lastT: Int64, end: Bool) throws {
        try db.exec("BEGIN IMMEDIATE")
        do {
            let ins = try db.prepare("INSERT OR REPLACE INTO samples(session, t, tag, v) VALUES (?,?,?,?)")
            for s in samples { try ins.run(sessionID, s.t, s.tag, s.value) }
            let ev = try db.prepare("INSERT INTO events(session, t, kind, source, tag, value, text) VALUES (?,?,?,?,?,?,?)")
            let rl = try db.prepare("INSERT INTO replay_log(session, event, payload) VALUES (?,?,?)")
            for e in events {
                try ev.run([.int(sessionID), .real(e.t), .text(e.kind), .text(e.source), .text(e.tag), e.value.map { .real($0) } ?? .null, .text(e.text)])
                if let r = e.replay { try rl.run([.int(sessionID), .int(db.lastInsertRowID), .text(r)]) }
            }
            lock.lock(); let lost = stats.lostSamples; lock.unlock()
            try db.prepare("UPDATE sessions SET last_t = ?, committed_samples = committed_samples + ?, lost_samples = ?, ended = ? WHERE id = ?")
                .run([.int(lastT), .int(Int64(samples.count)), .int(Int64(lost)), .int(end ? 1 : 0), .int(sessionID)])
            try db.exec("COMMIT")
        } catch {
            try? db.exec("ROLLBACK")
            throw error
        }
    }
}
