/// The settings of an ``ExtractiveGenerator``: the `backend` object of a pipeline config with
/// `"type": "extractive-e5"`.
public struct ExtractiveConfiguration: Sendable, Equatable {
    /// Sentences per answer, at most (`sentences`, default 3).
    public var sentences: Int
    /// MMR's relevance weight λ (`diversity`, default 0.7; 1 means no redundancy control).
    public var diversity: Double
    /// e5 similarity temperature for `score` (`temperature`, default 0.01).
    public var temperature: Double
    /// Texts per e5 engine call (`batch_size`, default 256).
    public var batchSize: Int

    /// Reads the settings; unknown keys are errors, and every error names its JSON path.
    public init(settings o: ConfigObject) throws {
        _ = o.value("type")
        sentences = try o.optionalInt("sentences", in: 1...1000) ?? 3
        diversity = try o.optionalDouble("diversity", in: 0...1) ?? 0.7
        temperature = try o.optionalDouble("temperature", in: 1e-6...100) ?? 0.01
        batchSize = try o.optionalInt("batch_size", in: 1...4096) ?? 256
        try o.finish()
    }
}

extension ExtractiveGenerator {
    /// Builds the generator over the embedded e5 backend from the `backend` object of a pipeline
    /// config (`"type": "extractive-e5"`).
    public static func make(settings o: ConfigObject, cache: EmbeddingCache, location: E5Engine.Location? = nil) throws -> ExtractiveGenerator {
        let configuration = try ExtractiveConfiguration(settings: o)
        let e5 = try E5Backend(cache: cache, temperature: configuration.temperature, batchSize: configuration.batchSize, location: location)
        return ExtractiveGenerator(embedder: e5, sentences: configuration.sentences, diversity: configuration.diversity)
    }
}
