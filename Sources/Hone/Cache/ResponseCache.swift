import Foundation
import HoneSDK

/// A persistent cache of backend answers, keyed by the canonical request, in SQLite.
///
/// A key is the SHA-256 of the request's canonical text: sorted-key JSON of the endpoint and the
/// body, which never holds the API key (that travels only in a header). Sampling requests add
/// their sample index to the body before hashing, so asking for sample 2 never returns sample 1.
/// Only successful, validated answers are stored: an error is never cached. Values are JSON
/// (a generated text, a log-probability, a vector), kept in memory too once read.
public final class ResponseCache: @unchecked Sendable {
    private let database: SQLiteDatabase?
    private var memory: [Key: JSONValue] = [:]
    private let lock = NSLock()
    private let select: SQLiteDatabase.Statement?
    private let insert: SQLiteDatabase.Statement?

    /// A cache key: the digest of a canonical request.
    public struct Key: Hashable, Sendable {
        /// SHA-256 digest bytes.
        public let digest: [UInt8]

        /// The key of `request` (an endpoint and a body), canonicalized as sorted-key JSON.
        public init(endpoint: String, body: JSONValue) {
            let canonical: JSONValue = ["endpoint": .string(endpoint), "body": body]
            digest = SHA256.hash(Array(canonical.serialized(sortedKeys: true).utf8))
        }
    }

    /// A cache persisted at `path` (created if missing), or memory-only when `path` is nil.
    public init(path: String?) throws {
        if let path {
            let db = try SQLiteDatabase(path: path)
            try db.execute("CREATE TABLE IF NOT EXISTS responses (key BLOB PRIMARY KEY, value TEXT NOT NULL, created REAL NOT NULL) WITHOUT ROWID")
            database = db
            select = try db.prepare("SELECT value FROM responses WHERE key = ?")
            insert = try db.prepare("INSERT OR REPLACE INTO responses (key, value, created) VALUES (?, ?, ?)")
        } else {
            database = nil
            select = nil
            insert = nil
        }
    }

    /// The values found for `keys` (memory first, then disk); missing keys are absent.
    public func lookup(_ keys: [Key]) throws -> [Key: JSONValue] {
        var found: [Key: JSONValue] = [:]
        var missing: [Key] = []
        lock.withLock {
            for key in keys {
                if let v = memory[key] { found[key] = v } else { missing.append(key) }
            }
        }
        guard let database, let select, !missing.isEmpty else { return found }
        var fromDisk: [Key: JSONValue] = [:]
        try database.locked {
            for key in missing where fromDisk[key] == nil {
                select.reset()
                select.bind(1, blob: key.digest)
                if try select.step(), let value = try? JSONValue(parsing: select.text(0)) {
                    fromDisk[key] = value
                }
            }
            select.reset()
        }
        lock.withLock { for (k, v) in fromDisk { memory[k] = v } }
        found.merge(fromDisk) { a, _ in a }
        return found
    }

    /// Stores successful answers, in memory and (in one transaction) on disk.
    public func store(_ entries: [(Key, JSONValue)]) throws {
        guard !entries.isEmpty else { return }
        lock.withLock { for (k, v) in entries { memory[k] = v } }
        guard let database, let insert else { return }
        let now = Date().timeIntervalSince1970
        try database.transaction {
            for (key, value) in entries {
                insert.reset()
                insert.bind(1, blob: key.digest)
                insert.bind(2, text: value.serialized())
                insert.bind(3, double: now)
                _ = try insert.step()
            }
            insert.reset()
        }
    }

    /// Number of stored answers (on disk, or in memory for a memory-only cache).
    public func count() throws -> Int {
        guard let database else { return lock.withLock { memory.count } }
        let statement = try database.prepare("SELECT COUNT(*) FROM responses")
        return try database.locked { try statement.step() ? statement.int(0) : 0 }
    }

    /// Removes every stored answer (what `hone cache clear` does for backend answers).
    public func clear() throws {
        lock.withLock { memory.removeAll() }
        try database?.execute("DELETE FROM responses")
    }
}
