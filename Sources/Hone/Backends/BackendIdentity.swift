import HoneSDK

/// A backend that can say what produces its answers, so the cache never serves an answer of
/// another producer and the run ledger records what produced a run's numbers.
///
/// ``cacheIdentity`` holds everything that changes an answer and is not in a request itself:
/// for the embedded e5 model the engine build, the weights, the C library the engine's math
/// comes from, the token limit and the pooling; for a server its address. Cache keys are
/// derived from it (``cacheNamespace``), so when any part changes, earlier entries are simply
/// never found again.
public protocol BackendIdentifying {
    /// What produces this backend's answers, as JSON (recorded in the run ledger).
    var cacheIdentity: JSONValue { get }
}

extension BackendIdentifying {
    /// The hex SHA-256 of ``cacheIdentity``'s canonical (sorted-key) text: the namespace of this
    /// backend's cache keys.
    public var cacheNamespace: String {
        SHA256.hex(Array(cacheIdentity.serialized(sortedKeys: true).utf8))
    }
}
