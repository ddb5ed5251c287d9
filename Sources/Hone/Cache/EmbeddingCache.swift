import Foundation

/// A content-addressed, persistent cache of embeddings, in SQLite, with an in-memory layer.
///
/// Keys are SHA-256 of (model id, role, text), so a text is never embedded twice, within a
/// run or across runs, and two models never share vectors. Vectors are stored as float32 blobs.
public final class EmbeddingCache: Sendable {
    private let values: DigestStore<[Float]>

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
        values = try DigestStore(
            path: path, table: "embedding_vectors",
            encode: { vector in vector.withUnsafeBytes { Array($0) } },
            decode: { bytes in bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) } })
    }

    /// The vectors found for `keys` (memory first, then disk); missing keys are absent.
    public func lookup(_ keys: [Key]) throws -> [Key: [Float]] {
        let found = try values.lookup(keys.map(\.digest))
        var result: [Key: [Float]] = [:]
        for key in keys { if let v = found[key.digest] { result[key] = v } }
        return result
    }

    /// Stores vectors, in memory and (in one transaction) on disk.
    public func store(_ entries: [(Key, [Float])]) throws {
        try values.store(entries.map { ($0.0.digest, $0.1) })
    }

    /// Drops the entries of `keys` (vectors that failed their check when read), in memory and on disk.
    public func remove(_ keys: [Key]) throws {
        try values.remove(keys.map(\.digest))
    }

    /// Number of vectors on disk (or in memory for a memory-only cache).
    public func count() throws -> Int { try values.count() }

    /// Deletes every vector, in memory and on disk.
    public func clear() throws { try values.clear() }

    /// The default cache file: `$HONE_CACHE_DIR/cache.sqlite`, else `~/.cache/hone/cache.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let dir = environment["HONE_CACHE_DIR"], !dir.isEmpty { return dir + "/cache.sqlite" }
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty { return xdg + "/hone/cache.sqlite" }
        return NSHomeDirectory() + "/.cache/hone/cache.sqlite"
    }
}
