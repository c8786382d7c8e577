import CSQLite
import Foundation

/// An SQLite error: the result code, its extended code and SQLite's message.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    public let code: Int32
    public let message: String
    public var description: String { "SQLite error \(code): \(message)" }
    /// The database or the disk is full (SQLITE_FULL), or a write failed (SQLITE_IOERR).
    public var isFull: Bool { code & 0xFF == SQLITE_FULL || code & 0xFF == SQLITE_IOERR }
    /// Another connection holds the lock (SQLITE_BUSY, SQLITE_LOCKED).
    public var isBusy: Bool { code & 0xFF == SQLITE_BUSY || code & 0xFF == SQLITE_LOCKED }
}

/// SQLITE_TRANSIENT: SQLite copies bound text at once.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One connection to an SQLite file. Not shared between threads: each thread opens its own.
final class SQLiteConnection {
    let db: OpaquePointer
    let path: String

    init(path: String, readOnly: Bool = false, busyTimeoutMS: Int32 = 200) throws {
        var p: OpaquePointer?
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let rc = sqlite3_open_v2(path, &p, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db = p else {
            let msg = p.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let p { sqlite3_close_v2(p) }
            throw SQLiteError(code: rc, message: "\(path): \(msg)")
        }
        self.db = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, busyTimeoutMS)
    }

    deinit { sqlite3_close_v2(db) }

    private func error(_ rc: Int32) -> SQLiteError {
        SQLiteError(code: rc, message: "\(path): \(String(cString: sqlite3_errmsg(db)))")
    }

    func exec(_ sql: String) throws {
        let rc = sqlite3_exec(db, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw error(rc) }
    }

    func prepare(_ sql: String) throws -> Statement {
        var s: OpaquePointer?
        let rc = sqlite3_prepare_v2(db, sql, -1, &s, nil)
        guard rc == SQLITE_OK, let stmt = s else { throw error(rc) }
        return Statement(stmt: stmt, connection: self)
    }

    /// Runs `sql` with `bindings` and returns every row as an array of values.
    func rows(_ sql: String, _ bindings: [SQLValue] = []) throws -> [[SQLValue]] {
        let s = try prepare(sql)
        try s.bind(bindings)
        var out: [[SQLValue]] = []
        while try s.step() { out.append((0..<s.columnCount).map { s.value($0) }) }
        return out
    }

    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(db) }

    final class Statement {
        let stmt: OpaquePointer
        unowned let connection: SQLiteConnection
        init(stmt: OpaquePointer, connection: SQLiteConnection) { self.stmt = stmt; self.connection = connection }
        deinit { sqlite3_finalize(stmt) }

        func bind(_ values: [SQLValue]) throws {
            sqlite3_reset(stmt)
            sqlite3_clear_bindings(stmt)
            for (i, v) in values.enumerated() {
                let k = Int32(i + 1)
                let rc: Int32
                switch v {
                case .null: rc = sqlite3_bind_null(stmt, k)
                case let .int(x): rc = sqlite3_bind_int64(stmt, k, x)
                case let .real(x): rc = sqlite3_bind_double(stmt, k, x)
                case let .text(x): rc = sqlite3_bind_text(stmt, k, x, -1, transient)
                }
                guard rc == SQLITE_OK else { throw connection.error(rc) }
            }
        }

        /// Binds three integers and runs the statement (the hot path of recording samples).
        func run(_ a: Int64, _ b: Int64, _ c: Int64, _ d: Int64) throws {
            sqlite3_reset(stmt)
            sqlite3_bind_int64(stmt, 1, a); sqlite3_bind_int64(stmt, 2, b)
            sqlite3_bind_int64(stmt, 3, c); sqlite3_bind_int64(stmt, 4, d)
            let rc = sqlite3_step(stmt)
            guard rc == SQLITE_DONE else { throw connection.error(rc) }
        }

        /// Steps once: true while a row is available.
        func step() throws -> Bool {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_ROW { return true }
            if rc == SQLITE_DONE { return false }
            throw connection.error(rc)
        }

        func run(_ values: [SQLValue]) throws {
            try bind(values)
            while try step() {}
        }

        var columnCount: Int { Int(sqlite3_column_count(stmt)) }

        func value(_ i: Int) -> SQLValue {
            let k = Int32(i)
            switch sqlite3_column_type(stmt, k) {
            case SQLITE_INTEGER: return .int(sqlite3_column_int64(stmt, k))
            case SQLITE_FLOAT: return .real(sqlite3_column_double(stmt, k))
            case SQLITE_TEXT: return .text(String(cString: sqlite3_column_text(stmt, k)))
            default: return .null
            }
        }
        func int(_ i: Int) -> Int64 { sqlite3_column_int64(stmt, Int32(i)) }
        func double(_ i: Int) -> Double { sqlite3_column_double(stmt, Int32(i)) }
    }
}

/// A value read from or bound to SQLite.
public enum SQLValue: Sendable, Equatable {
    case null
    case int(Int64)
    case real(Double)
    case text(String)

    public var double: Double? {
        switch self {
        case let .int(x): return Double(x)
        case let .real(x): return x
        case let .text(s): return Double(s)
        case .null: return nil
        }
    }
    public var string: String? {
        switch self {
        case let .text(s): return s
        case let .int(x): return String(x)
        case let .real(x): return String(x)
        case .null: return nil
        }
    }
}
