import Foundation

/// A content-addressed, persistent cache of embeddings, in SQLite, with an in-memory layer.
///
/// Keys are SHA-256 of (model id, role, text), so a text is never embedded twice, within a
/// run or across runs, and two models never share vectors. Vectors are stored as float32 blobs.
public final class EmbeddingCache: @unchecked Sendable {
    private let database: SQLiteDatabase?
    private var memory: [Key: [Float]] = [:]
    private let lock = NSLock()
    private let select: SQLiteDatabase.Statement?
    private let insert: SQLiteDatabase.Statement?

    /// A cache key: the digest of model, role and text.
    public struct Key: Hashable, Sendable {
        /// SHA-256 digest bytes.
        public let digest: [UInt8]
        /// Derives the key of `text` embedded by `model` in `role`.
        public init(model: String, role: String, text: String) {
            digest = SHA256.hash(Array(model.utf8) + [0] + Array(role.utf8) + [0] + Array(text.utf8))
        }
    }

    /// A cache persisted at `path` (created if missing), or memory-only when `path` is nil.
    public init(path: String?) throws {
        if let path {
            let db = try SQLiteDatabase(path: path)
            try db.execute("CREATE TABLE IF NOT EXISTS embeddings (key BLOB PRIMARY KEY, vector BLOB NOT NULL) WITHOUT ROWID")
            database = db
            select = try db.prepare("SELECT vector FROM embeddings WHERE key = ?")
            insert = try db.prepare("INSERT OR REPLACE INTO embeddings (key, vector) VALUES (?, ?)")
        } else {
            database = nil
            select = nil
            insert = nil
        }
    }

    /// The vectors found for `keys` (memory first, then disk); missing keys are absent.
    public func lookup(_ keys: [Key]) throws -> [Key: [Float]] {
        var found: [Key: [Float]] = [:]
        var missing: [Key] = []
        lock.withLock {
            for key in keys {
                if let v = memory[key] { found[key] = v } else { missing.append(key) }
            }
        }
        guard let database, let select, !missing.isEmpty else { return found }
        var fromDisk: [Key: [Float]] = [:]
        try database.locked {
            for key in missing {
                select.reset()
                select.bind(1, blob: key.digest)
                if try select.step() {
                    let bytes = select.blob(0)
                    fromDisk[key] = bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
                }
            }
            select.reset()
        }
        lock.withLock { for (k, v) in fromDisk { memory[k] = v } }
        found.merge(fromDisk) { a, _ in a }
        return found
    }

    /// Stores vectors, in memory and (in one transaction) on disk.
    public func store(_ entries: [(Key, [Float])]) throws {
        lock.withLock { for (k, v) in entries { memory[k] = v } }
        guard let database, let insert, !entries.isEmpty else { return }
        try database.transaction {
            for (key, vector) in entries {
                insert.reset()
                insert.bind(1, blob: key.digest)
                insert.bind(2, blob: vector.withUnsafeBytes { Array($0) })
                _ = try insert.step()
            }
            insert.reset()
        }
    }

    /// Number of vectors on disk (or in memory for a memory-only cache).
    public func count() throws -> Int {
        guard let database else { return lock.withLock { memory.count } }
        let statement = try database.prepare("SELECT COUNT(*) FROM embeddings")
        return try database.locked { try statement.step() ? statement.int(0) : 0 }
    }

    /// Deletes every vector, in memory and on disk.
    public func clear() throws {
        lock.withLock { memory.removeAll() }
        try database?.execute("DELETE FROM embeddings")
    }

    /// The default cache file: `$HONE_CACHE_DIR/cache.sqlite`, else `~/.cache/hone/cache.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let dir = environment["HONE_CACHE_DIR"], !dir.isEmpty { return dir + "/cache.sqlite" }
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty { return xdg + "/hone/cache.sqlite" }
        return NSHomeDirectory() + "/.cache/hone/cache.sqlite"
    }
}
