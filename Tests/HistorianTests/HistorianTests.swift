import CSQLite
import Foundation
import XCTest
import Logging
@testable import Historian

final class HistorianTests: XCTestCase {
    var dir: URL!
    override func setUp() {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("historian-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    let tags = [
        TagDefinition(name: "plant.outdoor_temperature", unit: "°C", kind: .analog, resolution: 0.01, deadband: 0.5),
        TagDefinition(name: "substation.a.meter.energy", unit: "kWh", kind: .counter, resolution: 1),
        TagDefinition(name: "substation.b.meter.energy", unit: "kWh", kind: .counter, resolution: 1),
    ]
    func info() -> SessionInfo {
        SessionInfo(scenarioFile: "s.yaml", scenarioName: "test", startDate: "2025-01-01", periodS: 60, command: "run", seed: 7,
                    facts: ["economics.r1": 45.63], labels: ["building.a.name": "A"])
    }

    func testRecordsReadsAndExports() throws {
        let path = dir.appendingPathComponent("h.db").path
        let r = try Recorder(path: path, session: info(), tags: tags, commitEveryS: 0.05, logger: silent)
        let (o, a, b) = (r.tagIDs[0], r.tagIDs[1], r.tagIDs[2])
        r.enqueue(samples: [Sample(t: 0, tag: o, value: -150), Sample(t: 0, tag: a, value: 100), Sample(t: 0, tag: b, value: 7)],
                  events: [HistorianEvent(t: 0, kind: "session_start")], lastT: 0)
        r.enqueue(samples: [Sample(t: 120, tag: o, value: -90), Sample(t: 3600, tag: a, value: 160)],
                  events: [HistorianEvent(t: 130, kind: "write", source: "127.0.0.1:5000", tag: "auberge.mode", value: 1)], lastT: 3600)
        let st = r.close()
        XCTAssertEqual(st.committedSamples, 5)
        XCTAssertEqual(st.lostSamples, 0)

        let h = try HistorianReader(path: path)
        XCTAssertEqual(try h.integrityCheck(), "ok")
        let s = try h.session(nil)
        XCTAssertEqual(s.lastT, 3600)
        XCTAssertTrue(s.ended)
        XCTAssertEqual(s.facts["economics.r1"], 45.63)
        XCTAssertEqual(s.labels["building.a.name"], "A")
        let series = try h.series(session: s.id, tag: "plant.outdoor_temperature")
        XCTAssertEqual(series.map(\.t), [0, 120])
        XCTAssertEqual(series[1].v, -0.9, accuracy: 1e-12)
        XCTAssertEqual(try h.value(session: s.id, tag: "plant.outdoor_temperature", at: 119), -1.5)
        let fl = try XCTUnwrap(h.firstAndLast(session: s.id, tag: "substation.a.meter.energy"))
        XCTAssertEqual(fl.last.v - fl.first.v, 60)
        let ev = try h.events(session: s.id, kind: "write")
        XCTAssertEqual(ev.first?.source, "127.0.0.1:5000")

        let matched = try h.tags(matching: ["substation.*.meter.energy"])
        XCTAssertEqual(matched.map(\.definition.name), ["substation.a.meter.energy", "substation.b.meter.energy"])
        // the analog tag is interpolated between its samples, the counter held
        var csv = ""
        try h.exportCSV(session: s, tags: try h.tags(matching: ["plant.*", "substation.a.*"]), from: 0, to: 180, stepS: 60) { csv += $0 }
        XCTAssertEqual(csv, """
        time,plant.outdoor_temperature [°C],substation.a.meter.energy [kWh]
        2025-01-01T00:00:00,-1.50,100
        2025-01-01T00:01:00,-1.20,100
        2025-01-01T00:02:00,-0.90,100
        2025-01-01T00:03:00,-0.90,100

        """)
    }

    /// A second session in the same file gets its own id; a tag keeps its unit for the file's life.
    func testSessionsAndTagConflicts() throws {
        let path = dir.appendingPathComponent("h.db").path
        let r1 = try Recorder(path: path, session: info(), tags: tags, logger: silent)
        _ = r1.close()
        let r2 = try Recorder(path: path, session: info(), tags: tags, logger: silent)
        XCTAssertEqual(r2.tagIDs, r1.tagIDs)
        XCTAssertEqual(r2.sessionID, r1.sessionID + 1)
        _ = r2.close()
        var bad = tags
        bad[0].unit = "K"
        XCTAssertThrowsError(try Recorder(path: path, session: info(), tags: bad, logger: silent)) { e in
            XCTAssertTrue("\(e)".contains("plant.outdoor_temperature is recorded there as °C"), "\(e)")
        }
        XCTAssertEqual(try HistorianReader(path: path).sessions().count, 2)
    }

    func testRefusesAFileThatIsNotAHistorian() throws {
        let path = dir.appendingPathComponent("other.db").path
        var db: OpaquePointer?
        sqlite3_open(path, &db); sqlite3_exec(db, "CREATE TABLE x(a)", nil, nil, nil); sqlite3_close(db)
        XCTAssertThrowsError(try HistorianReader(path: path)) { XCTAssertTrue("\($0)".contains("not a chaufferie historian")) }
        XCTAssertThrowsError(try Recorder(path: path, session: info(), tags: tags, logger: silent)) { XCTAssertTrue("\($0)".contains("not a chaufferie historian")) }
        XCTAssertThrowsError(try HistorianReader(path: dir.appendingPathComponent("none.db").path)) { XCTAssertTrue("\($0)".contains("no such file")) }
    }

    /// While another program holds the file locked the writer keeps the samples and logs; once
    /// the lock is released it commits them all.
    func testLockedFileHoldsSamplesThenResumes() throws {
        let path = dir.appendingPathComponent("h.db").path
        let logged = LogLines()
        let r = try Recorder(path: path, session: info(), tags: tags, commitEveryS: 0.05, logger: logged.logger)
        var other: OpaquePointer?
        sqlite3_open(path, &other)
        XCTAssertEqual(sqlite3_exec(other, "BEGIN EXCLUSIVE", nil, nil, nil), SQLITE_OK)
        r.enqueue(samples: (0..<100).map { Sample(t: Int64($0) * 60, tag: r.tagIDs[0], value: Int64($0)) }, lastT: 5940)
        let deadline = Date().addingTimeInterval(5)
        while r.statistics.failedCommits == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        XCTAssertGreaterThan(r.statistics.failedCommits, 0)
        XCTAssertEqual(r.statistics.committedSamples, 0)
        XCTAssertEqual(r.statistics.pendingSamples, 100)
        XCTAssertTrue(logged.lines.contains { $0.contains("cannot record") && $0.contains("locked") }, "\(logged.lines)")
        sqlite3_exec(other, "COMMIT", nil, nil, nil)
        sqlite3_close(other)
        let st = r.close()
        XCTAssertEqual(st.committedSamples, 100)
        XCTAssertEqual(st.lostSamples, 0)
        XCTAssertTrue(logged.lines.contains { $0.contains("recording again") })
        XCTAssertEqual(try HistorianReader(path: path).sampleCount(), 100)
    }

    /// Beyond what it may hold, the writer drops the oldest samples and counts them as lost.
    func testCountsLostSamplesWhenItCannotHoldMore() throws {
        let path = dir.appendingPathComponent("h.db").path
        let r = try Recorder(path: path, session: info(), tags: tags, commitEveryS: 0.05, maxPendingSamples: 30, logger: silent)
        var other: OpaquePointer?
        sqlite3_open(path, &other)
        sqlite3_exec(other, "BEGIN EXCLUSIVE", nil, nil, nil)
        r.enqueue(samples: (0..<100).map { Sample(t: Int64($0), tag: r.tagIDs[0], value: 1) }, lastT: 99)
        let deadline = Date().addingTimeInterval(5)
        while r.statistics.failedCommits == 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        sqlite3_exec(other, "COMMIT", nil, nil, nil)
        sqlite3_close(other)
        let st = r.close()
        XCTAssertEqual(st.lostSamples, 70)
        XCTAssertEqual(st.committedSamples, 30)
        let h = try HistorianReader(path: path)
        XCTAssertEqual(try h.session(nil).lostSamples, 70)
        XCTAssertEqual(try h.series(session: 1, tag: "plant.outdoor_temperature").first?.t, 70, "the oldest are dropped")
    }

    /// Swinging door: every value offered lies within twice the deviation of the line read back
    /// between archived points, every archived value was offered, and a ramp costs two points.
    func testSwingingDoorKeepsEveryValueWithinItsDeviation() {
        var rng: UInt64 = 12345
        func next() -> Double { rng = rng &* 6364136223846793005 &+ 1442695040888963407; return Double(rng >> 11) / Double(1 << 53) }
        var door = SwingingDoor(deviation: 0.5)
        var offered: [(Int64, Double)] = [], archived: [(Int64, Double)] = []
        var v = 50.0
        for k in 0..<5000 {
            v += (next() - 0.5) * 0.6 + (k % 700 < 350 ? 0.05 : -0.05)
            let t = Int64(k) * 60
            offered.append((t, v))
            if let p = door.offer(t: t, v: v) { archived.append(p) }
        }
        if let p = door.flush() { archived.append(p) }
        XCTAssertLessThan(archived.count, offered.count / 3, "it compresses")
        for p in archived { XCTAssertTrue(offered.contains { $0.0 == p.0 && $0.1 == p.1 }, "archived values are measured ones") }
        var j = 0
        for (t, x) in offered {
            while j + 1 < archived.count && archived[j + 1].0 <= t { j += 1 }
            let a = archived[j]
            let y = j + 1 < archived.count ? a.1 + (archived[j + 1].1 - a.1) * Double(t - a.0) / Double(archived[j + 1].0 - a.0) : a.1
            XCTAssertEqual(y, x, accuracy: 2 * 0.5 + 1e-9, "t = \(t)")
        }
        var ramp = SwingingDoor(deviation: 0.1)
        var kept = 0
        for k in 0..<1000 { if ramp.offer(t: Int64(k), v: 20 + 0.01 * Double(k)) != nil { kept += 1 } }
        if ramp.flush() != nil { kept += 1 }
        XCTAssertEqual(kept, 2, "a straight ramp: its two ends")
    }

    func testCivilTime() {
        XCTAssertEqual(CivilTime.iso(startDate: "2025-01-01", seconds: 0), "2025-01-01T00:00:00")
        XCTAssertEqual(CivilTime.iso(startDate: "2025-01-01", seconds: 59 * 86400 + 3723), "2025-03-01T01:02:03")
        XCTAssertEqual(CivilTime.iso(startDate: "2024-02-28", seconds: 86400), "2024-02-29T00:00:00")
        XCTAssertEqual(CivilTime.seconds(startDate: "2025-01-01", iso: "2025-03-01T01:02:03"), 59 * 86400 + 3723)
        XCTAssertEqual(CivilTime.seconds(startDate: "2025-01-01", iso: "2025-01-02"), 86400)
        XCTAssertNil(CivilTime.seconds(startDate: "2025-01-01", iso: "2025-13-02"))
        XCTAssertNil(CivilTime.seconds(startDate: "2025-01-01", iso: "2025-01-02T25:00"))
    }
}

/// What a component logged through swift-log, level and message, for the test to read.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var _lines: [String] = []
    func add(_ s: String) { lock.lock(); _lines.append(s); lock.unlock() }
    var lines: [String] { lock.lock(); defer { lock.unlock() }; return _lines }
    var logger: Logger { Logger(label: "test") { _ in Handler(sink: self) } }

    struct Handler: LogHandler {
        let sink: LogLines
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? { get { metadata[key] } set { metadata[key] = newValue } }
        func log(event: LogEvent) { sink.add("\(event.level) \(event.message)") }
    }
}

/// A logger that drops everything.
let silent = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
