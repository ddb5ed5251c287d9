import HoneSDK

/// Totals over the backend calls a ledger records (stage evaluations, direct backend calls
/// and the host's own baseline and final scorings).
public struct BackendCallTotals: Sendable, Equatable {
    /// Recorded calls (one per evaluate request, direct backend call or host scoring).
    public var calls = 0
    /// Items asked for: (prompt, example) pairs, texts, score items or generate requests.
    public var items = 0
    /// Items the cache answered.
    public var cacheHits = 0
    /// Items the model computed.
    public var itemsComputed = 0
    /// Calls whose every item came from the cache.
    public var cachedCalls = 0
    /// Calls that reached the model (engine invocations or HTTP requests).
    public var modelCalls = 0
    /// Calls that failed (the error is recorded with each).
    public var failures = 0
    /// Input tokens, where the backend reports them.
    public var promptTokens = 0
    /// Output tokens, where the backend reports them.
    public var completionTokens = 0
    /// Cost in US dollars, from the backend's price table.
    public var costUSD = 0.0
    /// Sum of the calls' latencies, in seconds.
    public var latencySeconds = 0.0

    /// Mean latency per call in seconds (0 without calls).
    public var meanLatencySeconds: Double { calls == 0 ? 0 : latencySeconds / Double(calls) }

    /// Creates zero totals.
    public init() {}

    /// The totals as JSON (snake_case keys, numbers).
    public var json: JSONValue {
        [
            "calls": .number(Double(calls)), "items": .number(Double(items)),
            "cache_hits": .number(Double(cacheHits)), "items_computed": .number(Double(itemsComputed)),
            "cached_calls": .number(Double(cachedCalls)), "uncached_calls": .number(Double(calls - cachedCalls)),
            "model_calls": .number(Double(modelCalls)), "failures": .number(Double(failures)),
            "prompt_tokens": .number(Double(promptTokens)), "completion_tokens": .number(Double(completionTokens)),
            "cost_usd": .number(costUSD), "mean_latency_seconds": .number(meanLatencySeconds),
        ]
    }
}
