/// Builds the backend a pipeline config names.
public enum BackendFactory {
    /// The backend for `config`, using `cache` for embeddings.
    public static func make(config: BackendConfig, cache: EmbeddingCache) throws -> Backend {
        switch config.type {
        case "e5":
            return try E5Backend(cache: cache, temperature: config.temperature, batchSize: config.batchSize)
        default:
            throw ConfigError(path: "$.backend.type", message: "unknown backend type \"\(config.type)\"; expected one of \(BackendConfig.types.joined(separator: ", "))")
        }
    }
}
