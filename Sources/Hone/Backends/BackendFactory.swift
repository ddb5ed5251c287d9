/// Builds the backend a pipeline config names.
public enum BackendFactory {
    /// The backend for `config`, using `cache` for embeddings and `responseCache` for the answers
    /// of HTTP backends (nil: answers are cached in memory for this process only).
    public static func make(config: BackendConfig, cache: EmbeddingCache, responseCache: ResponseCache? = nil) throws -> Backend {
        switch config.type {
        case "e5":
            return try E5Backend(cache: cache, temperature: config.temperature, batchSize: config.batchSize)
        case "openai":
            return try OpenAIBackend.make(settings: try ConfigObject(config.settings, path: "$.backend"), cache: try responseCache ?? ResponseCache(path: nil))
        case "extractive-e5":
            return try ExtractiveGenerator.make(settings: try ConfigObject(config.settings, path: "$.backend"), cache: cache)
        default:
            throw ConfigError(path: "$.backend.type", message: "unknown backend type \"\(config.type)\"; expected one of \(BackendConfig.types.joined(separator: ", "))")
        }
    }
}
