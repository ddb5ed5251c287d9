extension ExtractiveGenerator {
    /// Builds the generator from the `backend` object of a pipeline config
    /// (`"type": "extractive-e5"`): `sentences` (default 3), `diversity` (MMR λ, default 0.7),
    /// and the e5 keys `temperature` and `batch_size`. Unknown keys are errors.
    public static func make(settings o: ConfigObject, cache: EmbeddingCache, location: E5Engine.Location? = nil) throws -> ExtractiveGenerator {
        _ = o.value("type")
        let sentences = try o.optionalInt("sentences", in: 1...1000) ?? 3
        let diversity = try o.optionalDouble("diversity", in: 0...1) ?? 0.7
        let temperature = try o.optionalDouble("temperature", in: 1e-6...100) ?? 0.01
        let batchSize = try o.optionalInt("batch_size", in: 1...4096) ?? 64
        try o.finish()
        let e5 = try E5Backend(cache: cache, temperature: temperature, batchSize: batchSize, location: location)
        return ExtractiveGenerator(embedder: e5, sentences: sentences, diversity: diversity)
    }
}
