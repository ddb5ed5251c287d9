import Foundation

/// A map from SHA-256 digests to values, kept in memory and, when a file is given, in one SQLite
/// table (`key BLOB PRIMARY KEY, value BLOB, created REAL`). The one mechanism behind the
/// embedding cache and the backend-answer cache: each supplies its table and how its values
/// become bytes.
///
/// `@unchecked Sendable`: it owns two prepared SQLite statements (C handles), which run only inside
/// the database's lock; the in-memory map is guarded by `lock`.
final class DigestStore<Value>: @unchecked Sendable {
    private let database: SQLiteDatabase?
    private let table: String
    private var memory: [[UInt8]: Value] = [:]
    private let lock = NSLock()
    private let select: SQLiteDatabase.Statement?
    private let insert: SQLiteDatabase.Statement?
    private let encode: (Value) -> [UInt8]
    private let decode: ([UInt8]) -> Value?

    /// A store in `table` of the SQLite file at `path` (created if missing), or memory-only.
    init(path: String?, table: String, encode: @escaping (Value) -> [UInt8], decode: @escaping ([UInt8]) -> Value?) throws {
        self.table = table
        self.encode = encode
        self.decode = decode
        if let path {
            let db = try SQLiteDatabase(path: path)
            try db.execute("CREATE TABLE IF NOT EXISTS \(table) (key BLOB PRIMARY KEY, value BLOB NOT NULL, created REAL NOT NULL) WITHOUT ROWID")
            database = db
            select = try db.prepare("SELECT value FROM \(table) WHERE key = ?")
            insert = try db.prepare("INSERT OR REPLACE INTO \(table) (key, value, created) VALUES (?, ?, ?)")
        } else {
            database = nil
            select = nil
            insert = nil
        }
    }

    /// The values found for `digests` (memory first, then disk); missing ones are absent.
    func lookup(_ digests: [[UInt8]]) throws -> [[UInt8]: Value] {
        var found: [[UInt8]: Value] = [:]
        var missing: [[UInt8]] = []
        lock.withLock {
            for digest in digests {
                if let v = memory[digest] { found[digest] = v } else { missing.append(digest) }
            }
        }
        guard let database, let select, !missing.isEmpty else { return found }
        var fromDisk: [[UInt8]: Value] = [:]
        try database.locked {
            for digest in missing where fromDisk[digest] == nil {
                select.reset()
                select.bind(1, blob: digest)
                if try select.step(), let value = decode(select.blob(0)) { fromDisk[digest] = value }
            }
            select.reset()
        }
        lock.withLock { for (k, v) in fromDisk { memory[k] = v } }
        found.merge(fromDisk) { a, _ in a }
        return found
    }

    /// Stores values, in memory and (in one transaction) on disk.
    func store(_ entries: [([UInt8], Value)]) throws {
        guard !entries.isEmpty else { return }
        lock.withLock { for (k, v) in entries { memory[k] = v } }
        guard let database, let insert else { return }
        let now = Date().timeIntervalSince1970
        try database.transaction {
            for (digest, value) in entries {
                insert.reset()
                insert.bind(1, blob: digest)
                insert.bind(2, blob: encode(value))
                insert.bind(3, double: now)
                _ = try insert.step()
            }
            insert.reset()
        }
    }

    /// Removes the values of `digests`, in memory and on disk (a cache entry that failed its
    /// check when read).
    func remove(_ digests: [[UInt8]]) throws {
        guard !digests.isEmpty else { return }
        lock.withLock { for d in digests { memory[d] = nil } }
        guard let database else { return }
        let delete = try database.prepare("DELETE FROM \(table) WHERE key = ?")
        try database.transaction {
            for digest in digests {
                delete.reset()
                delete.bind(1, blob: digest)
                _ = try delete.step()
            }
            delete.reset()
        }
    }

    /// Number of stored values (on disk, or in memory for a memory-only store).
    func count() throws -> Int {
        guard let database else { return lock.withLock { memory.count } }
        let statement = try database.prepare("SELECT COUNT(*) FROM \(table)")
        return try database.locked { try statement.step() ? statement.int(0) : 0 }
    }

    /// Removes every value, in memory and on disk.
    func clear() throws {
        lock.withLock { memory.removeAll() }
        try database?.execute("DELETE FROM \(table)")
    }
}
