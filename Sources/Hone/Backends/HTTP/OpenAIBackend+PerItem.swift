import HoneSDK

extension OpenAIBackend {
    /// Like ``generate(_:)``, but one result per request: a failed request (after its retries)
    /// fails only itself, so an evaluator can count failures against a limit instead of
    /// aborting a run. Throws only ``BudgetExhaustedError``.
    public func generateEach(_ requests: [GenerateRequest]) throws -> [Result<String, BackendError>] {
        guard capabilities.contains(.generate) else { throw BackendError.unsupported(.generate, backend: name) }
        return try execute(generateCalls(requests)).map { $0.map { $0.stringValue ?? "" } }
    }

    /// Like ``score(_:)``, but one result per item: an item fails when any of its requests failed.
    /// Throws only ``BudgetExhaustedError``.
    public func scoreEach(_ items: [ScoreItem]) throws -> [Result<[Double], BackendError>] {
        guard capabilities.contains(.score) else { throw BackendError.unsupported(.score, backend: name) }
        switch configuration.scoreMode {
        case .completionsEcho:
            let results = try execute(echoCalls(items))
            var offset = 0
            return items.map { item in
                defer { offset += item.candidates.count }
                var scores: [Double] = []
                for r in results[offset..<(offset + item.candidates.count)] {
                    switch r {
                    case .success(let v): scores.append(v.doubleValue ?? -.infinity)
                    case .failure(let e): return .failure(e)
                    }
                }
                return .success(scores)
            }
        case .chatTopLogprobs:
            let results = try execute(topLogprobCalls(items))
            var floored = 0
            let scored = zip(items, results).map { item, r -> Result<[Double], BackendError> in
                r.map { value in
                    let s = OpenAIBackend.topLogprobScores(item, value)
                    floored += s.floored
                    return s.scores
                }
            }
            recordFloors(floored)
            return scored
        case .embeddingSimilarity:
            return try scoreEachByEmbedding(items)
        }
    }

    /// `embedding-similarity` scoring, one result per item: an item fails when its context's or
    /// one of its candidates' embedding failed.
    private func scoreEachByEmbedding(_ items: [ScoreItem]) throws -> [Result<[Double], BackendError>] {
        guard !items.isEmpty else { return [] }
        let queries = try embedEach(items.map(\.context), role: .query)
        let candidates = EmbeddingScorer.distinctCandidates(items)
        var vectors: [String: [Float]] = [:]
        var failed: [String: BackendError] = [:]
        for (candidate, result) in zip(candidates, try embedEach(candidates, role: .passage)) {
            switch result {
            case .success(let v): vectors[candidate] = v
            case .failure(let e): failed[candidate] = e
            }
        }
        let scorer = embeddingScorer
        return zip(items, queries).map { item, query in
            if let error = item.candidates.lazy.compactMap({ failed[$0] }).first { return .failure(error) }
            return query.map { scorer.scores(item, query: $0, candidateVectors: vectors) }
        }
    }
}
