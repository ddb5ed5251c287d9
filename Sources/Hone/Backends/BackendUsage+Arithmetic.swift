extension BackendUsage {
    /// The counters' differences from `earlier`.
    func subtracting(_ earlier: BackendUsage) -> BackendUsage {
        var d = BackendUsage()
        d.modelCalls = modelCalls - earlier.modelCalls
        d.cacheHits = cacheHits - earlier.cacheHits
        d.itemsComputed = itemsComputed - earlier.itemsComputed
        d.promptTokens = promptTokens - earlier.promptTokens
        d.completionTokens = completionTokens - earlier.completionTokens
        d.costUSD = costUSD - earlier.costUSD
        d.latencySeconds = latencySeconds - earlier.latencySeconds
        d.retries = retries - earlier.retries
        d.failedCalls = failedCalls - earlier.failedCalls
        d.flooredScores = flooredScores - earlier.flooredScores
        d.truncatedInputs = truncatedInputs - earlier.truncatedInputs
        return d
    }

    /// The counters' sums with `other`.
    func adding(_ other: BackendUsage) -> BackendUsage {
        var s = self
        s.modelCalls += other.modelCalls
        s.cacheHits += other.cacheHits
        s.itemsComputed += other.itemsComputed
        s.promptTokens += other.promptTokens
        s.completionTokens += other.completionTokens
        s.costUSD += other.costUSD
        s.latencySeconds += other.latencySeconds
        s.retries += other.retries
        s.failedCalls += other.failedCalls
        s.flooredScores += other.flooredScores
        s.truncatedInputs += other.truncatedInputs
        return s
    }
}
