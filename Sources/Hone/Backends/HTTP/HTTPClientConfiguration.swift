/// How an ``HTTPClient`` talks to its servers.
struct HTTPClientConfiguration: Sendable {
    /// Server base URLs, e.g. `http://127.0.0.1:8000`; requests are spread round-robin over them.
    var baseURLs: [String]
    /// The API key sent as `Authorization: Bearer`, if any.
    var apiKey: APIKey?
    /// Transfers in flight at once, over all callers of this client.
    var maxConcurrency: Int
    /// Connect timeout, in seconds.
    var connectTimeout: Double
    /// Total timeout of one attempt (connect, send, wait, receive), in seconds.
    var timeout: Double
    /// Retries of transient failures.
    var retry: RetryPolicy
    /// The largest answer accepted, in bytes; a larger one fails the transfer.
    var maxResponseBytes: Int

    /// Creates a configuration.
    init(baseURLs: [String], apiKey: APIKey? = nil, maxConcurrency: Int = 8, connectTimeout: Double = 10, timeout: Double = 120, retry: RetryPolicy = RetryPolicy(), maxResponseBytes: Int = OpenAIConfiguration.defaultMaxResponseBytes) {
        precondition(!baseURLs.isEmpty && maxConcurrency > 0 && connectTimeout > 0 && timeout > 0)
        self.baseURLs = baseURLs
        self.apiKey = apiKey
        self.maxConcurrency = maxConcurrency
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.retry = retry
        self.maxResponseBytes = maxResponseBytes
    }
}
