import HoneSDK

extension BackendUsage {
    /// The counters as JSON members for `result.json` (snake_case keys, all numbers):
    /// `model_calls`, `cache_hits`, `items_computed`, `prompt_tokens`, `completion_tokens`,
    /// `cost_usd`, `latency_seconds`, `retries`, `failed_calls`, `floored_scores`, `truncated_inputs`.
    public var json: JSONValue {
        [
            "model_calls": .number(Double(modelCalls)),
            "cache_hits": .number(Double(cacheHits)),
            "items_computed": .number(Double(itemsComputed)),
            "prompt_tokens": .number(Double(promptTokens)),
            "completion_tokens": .number(Double(completionTokens)),
            "cost_usd": .number(costUSD),
            "latency_seconds": .number(latencySeconds),
            "retries": .number(Double(retries)),
            "failed_calls": .number(Double(failedCalls)),
            "floored_scores": .number(Double(flooredScores)),
            "truncated_inputs": .number(Double(truncatedInputs)),
        ]
    }
}
