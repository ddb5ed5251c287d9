/// What one backend call over HTTP did, for the run ledger: reported to the backend's observer
/// after every call that reached a server (cache hits are not calls).
public struct HTTPCallRecord: Sendable {
    /// The endpoint, e.g. `/v1/chat/completions`.
    public var endpoint: String
    /// Hex SHA-256 of the canonical request (the cache key).
    public var requestHash: String
    /// Whether it finally succeeded.
    public var succeeded: Bool
    /// Attempts made (retries + 1).
    public var attempts: Int
    /// Wall time of all attempts, in seconds.
    public var latency: Double
    /// Input tokens the server reported.
    public var promptTokens: Int
    /// Output tokens the server reported.
    public var completionTokens: Int
    /// Cost from the price table, in US dollars.
    public var costUSD: Double
    /// The failure message, for a failed call (never holds the API key).
    public var error: String?
}
