import HoneSDK

/// Embeds texts through the host's `embed` in batches, counting the calls, and renders task
/// inputs exactly as the host renders queries (`PromptTemplate`), so features of the pool, the
/// k-shot examples and the queries the host will classify live in one space.
struct EmbeddingSession {
    let host: HostConnection
    let batch: Int
    let template: PromptTemplate
    /// The text in the template's `{prompt}` slot (the seed prompt's).
    let prompt: String
    /// Calls used by the stage so far (as the host counts them: one per embedded text).
    var usedCalls: Int

    /// Query embeddings of task inputs rendered with the template.
    mutating func embedInputs(_ inputs: [String]) throws -> FeatureMatrix {
        try embed(inputs.map { template.render(prompt: prompt, input: $0) }, role: "query")
    }

    /// Embeddings of `texts` with `role`, as rows.
    mutating func embed(_ texts: [String], role: String) throws -> FeatureMatrix {
        var values: [Double] = []
        var dimension = 0
        for start in stride(from: 0, to: texts.count, by: batch) {
            if host.isCancelled { throw PluginError.cancelled("bayesprompt: cancelled while embedding") }
            let chunk = Array(texts[start ..< min(start + batch, texts.count)])
            let vectors = try host.embed(chunk, role: role)
            guard vectors.count == chunk.count else {
                throw PluginError.backend("the host's embed returned \(vectors.count) vectors for \(chunk.count) texts")
            }
            for v in vectors {
                if dimension == 0 { dimension = v.count }
                guard v.count == dimension, dimension > 0 else {
                    throw PluginError.backend("the host's embed returned vectors of \(v.count) and \(dimension) numbers")
                }
                values.append(contentsOf: v.lazy.map(Double.init))
            }
            usedCalls += chunk.count
        }
        return FeatureMatrix(rows: texts.count, columns: dimension, values: values)
    }
}
