/// When to try a failed request again, and how long to wait first: a pure value, no I/O.
///
/// Transient failures (429, 5xx, timeouts, dropped connections, malformed answers) are retried
/// up to ``maxRetries`` times with exponential backoff and jitter: before retry `n` (1-based)
/// the wait is drawn uniformly from `[d/2, d]` with `d = min(maxDelay, baseDelay * 2^(n-1))`
/// ("equal jitter": never a thundering herd, never much shorter than planned). A server's
/// `Retry-After` replaces the computed wait, capped at ``maxRetryAfter``. Other failures
/// (401, 403, 404, 400, ...) are never retried.
public struct RetryPolicy: Sendable, Equatable {
    /// Retries after the first attempt (0 disables retrying).
    public var maxRetries: Int
    /// The first backoff, in seconds.
    public var baseDelay: Double
    /// The largest computed backoff, in seconds.
    public var maxDelay: Double
    /// The longest `Retry-After` honoured, in seconds; a longer one is shortened to this.
    public var maxRetryAfter: Double

    /// Creates a policy.
    public init(maxRetries: Int = 4, baseDelay: Double = 0.5, maxDelay: Double = 30, maxRetryAfter: Double = 120) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// The wait before retry number `retry` (1-based) of a transient failure, or nil when the
    /// retries are used up. `unit` is a random number in `[0, 1)` (the jitter source);
    /// `retryAfter` is the server's `Retry-After` in seconds, when it sent one.
    public func delay(beforeRetry retry: Int, retryAfter: Double?, unit: Double) -> Double? {
        guard retry >= 1, retry <= maxRetries else { return nil }
        if let retryAfter, retryAfter >= 0 { return min(retryAfter, maxRetryAfter) }
        let exponent = Double(min(retry - 1, 60))
        let ceiling = min(maxDelay, baseDelay * pow2(exponent))
        return ceiling / 2 + unit * ceiling / 2
    }

    /// Whether an HTTP status is worth retrying: 408, 425, 429 and every 5xx.
    public static func isTransient(status: Int) -> Bool {
        status == 408 || status == 425 || status == 429 || (500...599).contains(status)
    }

    private func pow2(_ e: Double) -> Double {
        var r = 1.0
        var i = 0.0
        while i < e { r *= 2; i += 1 }
        return r
    }
}
