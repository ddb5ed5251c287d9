/// What a stage's plugin is told about the backend (`RunRequest.backend`, ABI 1.1).
public struct BackendDescription: Codable, Hashable, Sendable {
    /// The backend's name, e.g. "e5" or "openai(http://127.0.0.1:8000)".
    public var name: String
    /// What it offers: any of "generate", "score", "embed".
    public var capabilities: [String]
    /// The space its embeddings live in, when it embeds (what an `embedding_head` must match).
    public var embeddingSpace: EmbeddingSpace?
    /// The similarity temperature its embedding classifier uses, when it has one.
    public var temperature: Double?

    /// Creates a description.
    public init(name: String, capabilities: [String], embeddingSpace: EmbeddingSpace? = nil, temperature: Double? = nil) {
        self.name = name
        self.capabilities = capabilities
        self.embeddingSpace = embeddingSpace
        self.temperature = temperature
    }

    enum CodingKeys: String, CodingKey { case name, capabilities, embeddingSpace = "embedding_space", temperature }
}
