import HoneSDK

extension OpenAIBackend {
    /// One vector per text, from `/v1/embeddings`, `embed_batch_size` texts per request, with the
    /// requests in flight concurrently. Each text is cached on its own (keyed by the request that
    /// would embed it alone), so a text is never sent twice.
    public func embed(_ texts: [String], role: EmbeddingRole) throws -> [[Float]] {
        try valuesOrFirstFailure(try embedEach(texts, role: role), plural: "texts sent for embedding", singular: "embeddings request")
    }

    /// Like ``embed(_:role:)``, but one result per text: a text fails only when the request
    /// carrying it failed (after its retries). Throws only for the whole batch (a missing
    /// capability, an exhausted budget, a cache failure).
    func embedEach(_ texts: [String], role: EmbeddingRole) throws -> [Result<[Float], BackendError>] {
        guard capabilities.contains(.embed) else { throw BackendError.unsupported(.embed, backend: name) }
        guard !texts.isEmpty else { return [] }
        let inputs = texts.map { text -> String in
            configuration.embeddingRole == .prefix ? "\(role.rawValue): \(text)" : text
        }
        let keys = inputs.map { ResponseCache.Key(endpoint: OpenAIBackend.embeddingsPath, body: embeddingBody([.string($0)], role: role, single: true)) }
        var vectors: [ResponseCache.Key: Result<[Float], BackendError>] = [:]
        if let cache {
            var refused: [ResponseCache.Key] = []
            for (key, value) in try cache.lookup(keys) {
                if let v = OpenAIBackend.vector(from: value), AnswerValidation.isValid(v, dimension: embeddingDimension(observing: v.count)) {
                    vectors[key] = .success(v)
                } else {
                    refused.append(key)
                }
            }
            try cache.remove(refused)
        }
        var missing: [(ResponseCache.Key, String)] = []
        var queued = Set<ResponseCache.Key>()
        for (key, input) in zip(keys, inputs) where vectors[key] == nil && queued.insert(key).inserted {
            missing.append((key, input))
        }
        recordCacheHits(texts.count - missing.count)
        if !missing.isEmpty {
            let size = configuration.embedBatchSize
            let chunks = stride(from: 0, to: missing.count, by: size).map { Array(missing[$0..<min($0 + size, missing.count)]) }
            let calls = chunks.map { chunk -> PlannedCall in
                let body = embeddingBody(chunk.map { .string($0.1) }, role: role, single: false)
                let count = chunk.count
                return PlannedCall(key: ResponseCache.Key(endpoint: OpenAIBackend.embeddingsPath, body: body), endpoint: OpenAIBackend.embeddingsPath, body: body, extract: { json in
                    let decoded = try OpenAIResponseDecoder.embeddings(json, count: count, dimension: self.embeddingDimension())
                    _ = self.embeddingDimension(observing: decoded.first?.count)
                    return .array(decoded.map { v in .array(v.map { .number(Double($0)) }) })
                }, cacheable: false)
            }
            let answers = try execute(calls)
            var fresh: [(ResponseCache.Key, JSONValue)] = []
            for (chunk, answer) in zip(chunks, answers) {
                switch answer {
                case .success(let value):
                    let rows = value.arrayValue ?? []
                    for (i, (key, _)) in chunk.enumerated() {
                        guard i < rows.count, let v = OpenAIBackend.vector(from: rows[i]) else {
                            vectors[key] = .failure(BackendError("\(name) returned fewer embeddings than texts", isTransient: false))
                            continue
                        }
                        vectors[key] = .success(v)
                        fresh.append((key, rows[i]))
                    }
                case .failure(let error):
                    for (key, _) in chunk { vectors[key] = .failure(error) }
                }
            }
            try cache?.store(fresh)
        }
        return keys.map { vectors[$0]! }
    }

    static let embeddingsPath = "/v1/embeddings"

    private func embeddingBody(_ input: [JSONValue], role: EmbeddingRole, single: Bool) -> JSONValue {
        var body: [String: JSONValue] = [
            "model": .string(configuration.model),
            "input": single ? input[0] : .array(input),
            "encoding_format": "float",
        ]
        if configuration.embeddingRole == .inputType { body["input_type"] = .string(role.rawValue) }
        return .object(body)
    }

    private static func vector(from value: JSONValue) -> [Float]? {
        guard let array = value.arrayValue else { return nil }
        let v = array.compactMap { $0.doubleValue.map(Float.init) }
        return v.count == array.count ? v : nil
    }
}
