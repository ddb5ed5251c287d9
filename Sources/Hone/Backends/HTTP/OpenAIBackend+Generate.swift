import HoneSDK

extension OpenAIBackend {
    /// One text per request, from `/v1/chat/completions` (the prompt as the user message, the
    /// system text as the system message) or `/v1/completions` (system text, blank line, prompt).
    ///
    /// A sampling request (temperature > 0) is cached per sample index and, when `seed` is set,
    /// sent with `seed + sampleIndex`: a new index always asks the server for a fresh sample.
    /// With `sample_with_n`, samples of one prompt are asked for in one request with `n`.
    public func generate(_ requests: [GenerateRequest]) throws -> [String] {
        guard capabilities.contains(.generate) else { throw BackendError.unsupported(.generate, backend: name) }
        guard !requests.isEmpty else { return [] }
        if configuration.sampleWithN {
            return try generateWithN(requests)
        }
        return try executeAll(generateCalls(requests), what: "generate").map { $0.stringValue ?? "" }
    }

    /// One request per generate request (one sample each).
    func generateCalls(_ requests: [GenerateRequest]) -> [PlannedCall] {
        let chat = configuration.generateEndpoint == .chat
        return requests.map { request -> PlannedCall in
            let (endpoint, body) = generateBody(request, n: 1, seedOffset: request.sampleIndex)
            return PlannedCall(key: OpenAIBackend.sampleKey(endpoint: endpoint, body: body, request: request), endpoint: endpoint, body: body) { json in
                .string(try (chat ? OpenAIResponseDecoder.chatTexts(json) : OpenAIResponseDecoder.completionTexts(json))[0])
            }
        }
    }

    /// The request body of `request` for the configured endpoint.
    func generateBody(_ request: GenerateRequest, n: Int, seedOffset: Int) -> (String, JSONValue) {
        var body: [String: JSONValue] = [
            "model": .string(configuration.model),
            "max_tokens": .number(Double(request.maxTokens)),
            "temperature": .number(request.temperature),
        ]
        if !request.stop.isEmpty { body["stop"] = .array(request.stop.map { .string($0) }) }
        if request.temperature > 0 {
            if let topP = configuration.topP { body["top_p"] = .number(topP) }
            if let seed = configuration.seed { body["seed"] = .number(Double(seed + seedOffset)) }
        } else if let seed = configuration.seed {
            body["seed"] = .number(Double(seed))
        }
        if n > 1 { body["n"] = .number(Double(n)) }
        switch configuration.generateEndpoint {
        case .chat:
            var messages: [JSONValue] = []
            if let system = request.system { messages.append(["role": "system", "content": .string(system)]) }
            messages.append(["role": "user", "content": .string(request.prompt)])
            body["messages"] = .array(messages)
            return (OpenAIBackend.chatPath, .object(body))
        case .completions:
            body["prompt"] = .string(request.system.map { $0 + "\n\n" + request.prompt } ?? request.prompt)
            return (OpenAIBackend.completionsPath, .object(body))
        }
    }

    /// The cache key of one sample: the request plus, for sampling requests, the sample index.
    static func sampleKey(endpoint: String, body: JSONValue, request: GenerateRequest) -> ResponseCache.Key {
        guard request.temperature > 0, case .object(var members) = body else {
            return ResponseCache.Key(endpoint: endpoint, body: body)
        }
        members.removeValue(forKey: "n")
        members.removeValue(forKey: "seed")
        members["sample_index"] = .number(Double(request.sampleIndex))
        return ResponseCache.Key(endpoint: endpoint, body: .object(members))
    }

    /// Groups sampling requests that differ only in their sample index into one request with `n`.
    private func generateWithN(_ requests: [GenerateRequest]) throws -> [String] {
        struct Group { var representative: GenerateRequest; var members: [Int] }
        var groups: [GenerateRequest: Int] = [:]
        var list: [Group] = []
        var texts = [String?](repeating: nil, count: requests.count)
        // Cached samples first.
        let keys = requests.map { r -> ResponseCache.Key in
            let (endpoint, body) = generateBody(r, n: 1, seedOffset: r.sampleIndex)
            return OpenAIBackend.sampleKey(endpoint: endpoint, body: body, request: r)
        }
        let cached = try cache?.lookup(keys) ?? [:]
        var hits = 0
        for (i, r) in requests.enumerated() {
            if let text = cached[keys[i]]?.stringValue { texts[i] = text; hits += 1; continue }
            var shape = r
            shape.sampleIndex = 0
            if r.temperature > 0, let g = groups[shape] {
                list[g].members.append(i)
            } else {
                groups[shape] = list.count
                list.append(Group(representative: r, members: [i]))
            }
        }
        recordCacheHits(hits)
        let chat = configuration.generateEndpoint == .chat
        let calls = list.map { group -> PlannedCall in
            let n = group.members.count
            let (endpoint, body) = generateBody(group.representative, n: n, seedOffset: group.representative.sampleIndex)
            return PlannedCall(key: ResponseCache.Key(endpoint: endpoint, body: body), endpoint: endpoint, body: body, extract: { json in
                let all = try chat ? OpenAIResponseDecoder.chatTexts(json) : OpenAIResponseDecoder.completionTexts(json)
                guard all.count >= n else {
                    throw OpenAIResponseDecoder.DecodeError("\(all.count) choices for n=\(n): the server ignores \"n\"; set sample_with_n to false")
                }
                return .array(all.prefix(n).map { .string($0) })
            }, cacheable: false)
        }
        let answers = try executeAll(calls, what: "generate")
        var fresh: [(ResponseCache.Key, JSONValue)] = []
        for (group, answer) in zip(list, answers) {
            for (i, text) in zip(group.members, answer.arrayValue ?? []) {
                texts[i] = text.stringValue
                fresh.append((keys[i], text))
            }
        }
        try cache?.store(fresh)
        return texts.map { $0 ?? "" }
    }
}
