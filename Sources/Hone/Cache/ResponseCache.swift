import Foundation
import HoneSDK

/// A persistent cache of backend answers, keyed by the canonical request, in SQLite.
///
/// A key is the SHA-256 of the request's canonical text: sorted-key JSON of the endpoint and the
/// body, which never holds the API key (that travels only in a header). Sampling requests add
/// their sample index to the body before hashing, so asking for sample 2 never returns sample 1.
/// Only successful, validated answers are stored: an error is never cached. Values are JSON
/// (a generated text, a log-probability, a vector), kept in memory too once read.
///
/// A backend reads and writes through ``namespaced(_:)``, which mixes what produces its answers
/// (``BackendIdentifying/cacheNamespace``: e.g. the server's address) into every key, so the
/// answers of one server are never served for another.
public final class ResponseCache: Sendable {
    private let values: DigestStore<JSONValue>
    private let namespace: [UInt8]

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
        namespace = []
        values = try DigestStore(
            path: path, table: "backend_answers",
            encode: { value in Array(value.serialized().utf8) },
            decode: { bytes in try? JSONValue(parsingUTF8: bytes) })
    }

    private init(values: DigestStore<JSONValue>, namespace: [UInt8]) {
        self.values = values
        self.namespace = namespace
    }

    /// The same cache seen through `namespace`: its keys are distinct from every other
    /// namespace's (and from the plain cache's).
    public func namespaced(_ namespace: String) -> ResponseCache {
        ResponseCache(values: values, namespace: self.namespace + Array(namespace.utf8) + [0])
    }

    /// The stored digest of `key` in this namespace.
    private func digest(_ key: Key) -> [UInt8] {
        namespace.isEmpty ? key.digest : SHA256.hash(namespace + key.digest)
    }

    /// The values found for `keys` (memory first, then disk); missing keys are absent.
    public func lookup(_ keys: [Key]) throws -> [Key: JSONValue] {
        let found = try values.lookup(keys.map(digest))
        var result: [Key: JSONValue] = [:]
        for key in keys { if let v = found[digest(key)] { result[key] = v } }
        return result
    }

    /// Stores successful answers, in memory and (in one transaction) on disk.
    public func store(_ entries: [(Key, JSONValue)]) throws {
        try values.store(entries.map { (digest($0.0), $0.1) })
    }

    /// Drops the entries of `keys` (answers that failed their check when read), in memory and on disk.
    public func remove(_ keys: [Key]) throws {
        try values.remove(keys.map(digest))
    }

    /// Number of stored answers (on disk, or in memory for a memory-only cache).
    public func count() throws -> Int { try values.count() }

    /// Removes every stored answer (what `hone cache clear` does for backend answers).
    public func clear() throws { try values.clear() }
}
