import CSQLite
import Foundation

/// A thin, thread-safe wrapper over one SQLite connection: the only place Hone calls SQLite.
///
/// `@unchecked Sendable`: it owns the SQLite connection (a C handle, opened with
/// `SQLITE_OPEN_FULLMUTEX`), and every use of it and of its prepared statements holds `lock`
/// (recursive, so a transaction can run statements).
final class SQLiteDatabase: @unchecked Sendable {
    private var db: OpaquePointer?
    private let lock = NSRecursiveLock()
    /// The database file.
    let path: String

    /// Opens (creating if needed) the database at `path`, in WAL mode. `purpose` names the file
    /// in the error thrown when it cannot be opened ("cache database", "run ledger").
    ///
    /// With `readOnly`, the file is opened with `SQLITE_OPEN_READONLY` and nothing is created or
    /// written (no journal-mode change): what `hone report` and `hone export` use, so they work
    /// on a read-only mount and never write into a file. When the WAL index cannot be created
    /// there (a read-only directory), the file is read as immutable instead.
    init(path: String, purpose: String = "cache database", readOnly: Bool = false) throws {
        self.path = path
        if readOnly {
            try openReadOnly(purpose: purpose)
            return
        }
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CacheError("cannot create the folder \(directory) for the \(purpose) \(path): \(FileSystemReason.describe(error))")
        }
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nil) == SQLITE_OK else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            let reason = db.map { sqlite3_system_errno($0) }.flatMap { $0 != 0 ? FileSystemReason.errno($0) : nil }
            sqlite3_close(db)
            throw CacheError("cannot open the \(purpose) \(path): \(message)\(reason.map { " (\($0))" } ?? ""); check the directory is writable" + (purpose == "cache database" ? " or set another cache path" : ""))
        }
        sqlite3_busy_timeout(db, 5000)
        try execute("PRAGMA journal_mode=WAL")
        try execute("PRAGMA synchronous=NORMAL")
    }

    private func openReadOnly(purpose: String) throws {
        func attempt(_ name: String, flags: Int32) -> String? {
            guard sqlite3_open_v2(name, &db, flags | SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX, nil) == SQLITE_OK else {
                let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
                sqlite3_close(db)
                db = nil
                return message
            }
            sqlite3_busy_timeout(db, 5000)
            // Reading the schema is what needs the WAL index; fail here rather than later.
            var error: UnsafeMutablePointer<CChar>?
            if sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", nil, nil, &error) != SQLITE_OK {
                let message = error.map { String(cString: $0) } ?? "unknown error"
                sqlite3_free(error)
                sqlite3_close(db)
                db = nil
                return message
            }
            return nil
        }
        guard let first = attempt(path, flags: 0) else { return }
        let directory = (path as NSString).deletingLastPathComponent
        if access(directory.isEmpty ? "." : directory, W_OK) != 0,
           attempt("file:" + (path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path) + "?immutable=1", flags: SQLITE_OPEN_URI) == nil {
            return
        }
        throw CacheError("cannot read the \(purpose) \(path): \(first)")
    }

    /// Closes the connection once its last statement is finalized (`sqlite3_close_v2`), so the
    /// order in which an owner releases the database and its statements does not matter.
    deinit { sqlite3_close_v2(db) }

    /// " (the OS reason)" of the connection's last failed system call, or "".
    static func osReason(_ db: OpaquePointer?) -> String {
        guard let db else { return "" }
        let code = sqlite3_system_errno(db)
        return code != 0 ? " (\(FileSystemReason.errno(code)))" : ""
    }

    /// Runs SQL with no results.
    func execute(_ sql: String) throws {
        try lock.withLock {
            var error: UnsafeMutablePointer<CChar>?
            if sqlite3_exec(db, sql, nil, nil, &error) != SQLITE_OK {
                let message = error.map { String(cString: $0) } ?? "unknown error"
                sqlite3_free(error)
                throw CacheError("SQLite error in \(path): \(message)\(SQLiteDatabase.osReason(db))")
            }
        }
    }

    /// A compiled statement; finalize it when done.
    final class Statement {
        let raw: OpaquePointer
        init(raw: OpaquePointer) { self.raw = raw }
        deinit { sqlite3_finalize(raw) }

        func reset() { sqlite3_reset(raw); sqlite3_clear_bindings(raw) }
        func bind(_ index: Int32, blob: [UInt8]) {
            blob.withUnsafeBytes { _ = sqlite3_bind_blob(raw, index, $0.baseAddress, Int32($0.count), unsafeBitCast(-1, to: sqlite3_destructor_type.self)) }
        }
        func bind(_ index: Int32, text: String) {
            _ = sqlite3_bind_text(raw, index, text, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
        }
        func bind(_ index: Int32, int: Int) { sqlite3_bind_int64(raw, index, Int64(int)) }
        func bind(_ index: Int32, double: Double) { sqlite3_bind_double(raw, index, double) }
        func bindNull(_ index: Int32) { sqlite3_bind_null(raw, index) }
        func bind(_ index: Int32, text: String?) { if let text { bind(index, text: text) } else { bindNull(index) } }
        func bind(_ index: Int32, int: Int?) { if let int { bind(index, int: int) } else { bindNull(index) } }
        func bind(_ index: Int32, double: Double?) { if let double { bind(index, double: double) } else { bindNull(index) } }
        /// Steps once; true when a row is available.
        func step() throws -> Bool {
            let rc = sqlite3_step(raw)
            if rc == SQLITE_ROW { return true }
            if rc == SQLITE_DONE { return false }
            let db = sqlite3_db_handle(raw)
            let file = db.flatMap { sqlite3_db_filename($0, "main") }.map { String(cString: $0) } ?? "database"
            throw CacheError("SQLite could not write or read \(file): \(String(cString: sqlite3_errstr(rc)))\(SQLiteDatabase.osReason(db))")
        }
        func blob(_ column: Int32) -> [UInt8] {
            let count = Int(sqlite3_column_bytes(raw, column))
            guard count > 0, let p = sqlite3_column_blob(raw, column) else { return [] }
            return Array(UnsafeRawBufferPointer(start: p, count: count))
        }
        func text(_ column: Int32) -> String {
            guard let p = sqlite3_column_text(raw, column) else { return "" }
            return String(cString: p)
        }
        func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(raw, column)) }
        func double(_ column: Int32) -> Double { sqlite3_column_double(raw, column) }
        func isNull(_ column: Int32) -> Bool { sqlite3_column_type(raw, column) == SQLITE_NULL }
        func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }
        func optionalInt(_ column: Int32) -> Int? { isNull(column) ? nil : int(column) }
        func optionalDouble(_ column: Int32) -> Double? { isNull(column) ? nil : double(column) }
    }

    /// Compiles a statement.
    func prepare(_ sql: String) throws -> Statement {
        try lock.withLock {
            var statement: OpaquePointer?
            guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
                throw CacheError("SQLite could not prepare \(sql): \(String(cString: sqlite3_errmsg(db)))")
            }
            return Statement(raw: statement)
        }
    }

    /// Runs `body` inside a transaction, holding the connection's lock.
    func transaction<R>(_ body: () throws -> R) throws -> R {
        try lock.withLock {
            try execute("BEGIN IMMEDIATE")
            do {
                let result = try body()
                try execute("COMMIT")
                return result
            } catch {
                try? execute("ROLLBACK")
                throw error
            }
        }
    }

    /// The rowid of the last row this connection inserted (read it under the lock, e.g. inside
    /// ``transaction(_:)``).
    var lastInsertRowID: Int { lock.withLock { Int(sqlite3_last_insert_rowid(db)) } }

    /// Runs `body` holding the connection's lock.
    func locked<R>(_ body: () throws -> R) rethrows -> R {
        try lock.withLock(body)
    }
}

/// The cache could not be opened, read or written.
public struct CacheError: Error, CustomStringConvertible, Sendable {
    /// What went wrong and what to do.
    public var message: String
    /// Creates a cache error.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension CacheError: LocalizedError {
    /// The same message as `description`, so `localizedDescription` reads as the CLI prints it.
    public var errorDescription: String? { description }
}
