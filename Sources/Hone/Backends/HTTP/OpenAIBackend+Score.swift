import HoneSDK

extension OpenAIBackend {
    /// For each item, one log-probability per candidate (see ``OpenAIConfiguration/ScoreMode``).
    ///
    /// In `completions-echo` mode each (context, candidate) pair is one `/v1/completions`
    /// request for `context + candidate` with `echo: true, logprobs: 1, max_tokens: 0`, and the
    /// score is the sum of the candidate tokens' log-probabilities. In `chat-top-logprobs` mode
    /// each item is one chat request for one token with `top_logprobs`, and a candidate missing
    /// from the list gets the floor described in `ChatLogprobScoring`. In `embedding-similarity`
    /// mode the texts go to `/v1/embeddings` and `EmbeddingScorer` turns the vectors into scores.
    public func score(_ items: [ScoreItem]) throws -> [[Double]] {
        guard capabilities.contains(.score) else { throw BackendError.unsupported(.score, backend: name) }
        guard !items.isEmpty else { return [] }
        switch configuration.scoreMode {
        case .completionsEcho: return try scoreByEcho(items)
        case .chatTopLogprobs: return try scoreByTopLogprobs(items)
        case .embeddingSimilarity: return try embeddingScorer.score(items) { try embed($0, role: $1) }
        }
    }

    /// The temperature of the embedding classifier (cosine / temperature) in
    /// `embedding-similarity` mode; nil when `score` uses log-probabilities.
    public var classifierTemperature: Double? {
        configuration.scoreMode == .embeddingSimilarity ? configuration.similarityTemperature : nil
    }

    /// The scorer of `embedding-similarity` mode.
    var embeddingScorer: EmbeddingScorer { EmbeddingScorer(temperature: configuration.similarityTemperature) }

    static let completionsPath = "/v1/completions"
    static let chatPath = "/v1/chat/completions"

    private func scoreByEcho(_ items: [ScoreItem]) throws -> [[Double]] {
        let values = try executeAll(echoCalls(items), what: "score")
        var offset = 0
        return items.map { item in
            defer { offset += item.candidates.count }
            return values[offset..<(offset + item.candidates.count)].map { $0.doubleValue ?? -.infinity }
        }
    }

    /// One `/v1/completions` echo request per (item, candidate), items in order.
    func echoCalls(_ items: [ScoreItem]) -> [PlannedCall] {
        var calls: [PlannedCall] = []
        for item in items {
            let contextLength = item.context.unicodeScalars.count
            for candidate in item.candidates {
                let body: JSONValue = [
                    "model": .string(configuration.model),
                    "prompt": .string(item.context + candidate),
                    "echo": true,
                    "logprobs": 1,
                    "max_tokens": .number(Double(configuration.scoreMaxTokens)),
                    "temperature": 0,
                ]
                let candidateLength = candidate.unicodeScalars.count
                calls.append(PlannedCall(key: ResponseCache.Key(endpoint: OpenAIBackend.completionsPath, body: body), endpoint: OpenAIBackend.completionsPath, body: body, extract: { json in
                    .number(try OpenAIResponseDecoder.echoedLogprob(json, contextLength: contextLength, candidateLength: candidateLength))
                }, acceptsCached: { value in
                    // A sum of log-probabilities is itself one; null stands for -infinity in JSON.
                    value.isNull || value.doubleValue.map { (try? AnswerValidation.logprob($0, "")) != nil } == true
                }))
            }
        }
        return calls
    }

    private func scoreByTopLogprobs(_ items: [ScoreItem]) throws -> [[Double]] {
        let values = try executeAll(topLogprobCalls(items), what: "score")
        var floored = 0
        let scores = zip(items, values).map { item, value -> [Double] in
            let result = OpenAIBackend.topLogprobScores(item, value)
            floored += result.floored
            return result.scores
        }
        recordFloors(floored)
        return scores
    }

    /// One chat request per item for the first token's `top_logprobs`.
    func topLogprobCalls(_ items: [ScoreItem]) -> [PlannedCall] {
        items.map { item -> PlannedCall in
            let body: JSONValue = [
                "model": .string(configuration.model),
                "messages": [["role": "user", "content": .string(item.context)]],
                "max_tokens": 1,
                "temperature": 0,
                "logprobs": true,
                "top_logprobs": .number(Double(configuration.topLogprobs)),
            ]
            return PlannedCall(key: ResponseCache.Key(endpoint: OpenAIBackend.chatPath, body: body), endpoint: OpenAIBackend.chatPath, body: body, extract: { json in
                .array(try OpenAIResponseDecoder.firstTopLogprobs(json).map { [.string($0.token), .number($0.logprob)] })
            }, acceptsCached: { value in
                guard let pairs = value.arrayValue, !pairs.isEmpty else { return false }
                let top = pairs.compactMap { pair -> (token: String, logprob: Double)? in
                    guard let token = pair.arrayValue?.first?.stringValue, let lp = pair.arrayValue?.last?.doubleValue else { return nil }
                    return (token, lp)
                }
                return top.count == pairs.count && (try? AnswerValidation.topLogprobs(top)) != nil
            })
        }
    }

    /// The candidates' scores from a cached `top_logprobs` list (`[[token, logprob], ...]`).
    static func topLogprobScores(_ item: ScoreItem, _ value: JSONValue) -> (scores: [Double], floored: Int) {
        let top = (value.arrayValue ?? []).compactMap { pair -> (token: String, logprob: Double)? in
            guard let token = pair.arrayValue?.first?.stringValue, let lp = pair.arrayValue?.last?.doubleValue else { return nil }
            return (token, lp)
        }
        return ChatLogprobScoring.scores(candidates: item.candidates, top: top)
    }
}
