import HoneSDK

/// A capability a backend may offer. Optimizers declare the ones they need; the host checks
/// them against the backend before a run starts.
public enum BackendCapability: String, CaseIterable, Codable, Sendable {
    /// Text generation (chat or completion).
    case generate
    /// Log-probability-like scores of candidate continuations after a context.
    case score
    /// Vectors for texts.
    case embed
}

/// Whether a text is embedded as a search query or as a passage (e5's `query: ` / `passage: `
/// prefixes). Backends without such roles ignore it.
public enum EmbeddingRole: String, Codable, Sendable {
    case query, passage
}

/// One request to score candidate continuations of a context.
public struct ScoreItem: Hashable, Sendable {
    /// The prompted input.
    public var context: String
    /// The candidates (verbalizers), in label order.
    public var candidates: [String]

    /// Creates a score item.
    public init(context: String, candidates: [String]) {
        self.context = context
        self.candidates = candidates
    }
}

/// One request to generate text.
public struct GenerateRequest: Hashable, Sendable {
    /// The prompt (or the single user message, for chat backends).
    public var prompt: String
    /// Optional system message for chat backends.
    public var system: String?
    /// Maximum number of tokens to generate.
    public var maxTokens: Int
    /// Sampling temperature; 0 means greedy.
    public var temperature: Double
    /// Stop sequences.
    public var stop: [String]
    /// Which sample this is: a different index asks for a fresh sample, never the cached one.
    public var sampleIndex: Int

    /// Creates a generate request.
    public init(prompt: String, system: String? = nil, maxTokens: Int = 256, temperature: Double = 0, stop: [String] = [], sampleIndex: Int = 0) {
        self.prompt = prompt
        self.system = system
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.stop = stop
        self.sampleIndex = sampleIndex
    }
}

/// Counters a backend keeps about the work it really did (cache hits are not backend calls).
public struct BackendUsage: Sendable, Equatable {
    /// Calls that reached the model (engine invocations or HTTP requests).
    public var modelCalls: Int = 0
    /// Texts or items served from the cache instead.
    public var cacheHits: Int = 0
    /// Texts or items computed by the model.
    public var itemsComputed: Int = 0
    /// Input tokens, where the backend reports them.
    public var promptTokens: Int = 0
    /// Output tokens, where the backend reports them.
    public var completionTokens: Int = 0
    /// Cost in US dollars, from the backend's price table (0 without one).
    public var costUSD: Double = 0
    /// Wall time spent in model calls, in seconds, summed over calls (concurrent calls overlap).
    public var latencySeconds: Double = 0
    /// Attempts that were retries of a failed call (429, 5xx, timeouts, dropped connections).
    public var retries: Int = 0
    /// Calls that finally failed, after their retries.
    public var failedCalls: Int = 0
    /// Candidate scores that are a stated floor rather than a model log-probability (chat
    /// `top_logprobs` scoring, for a candidate missing from the top list).
    public var flooredScores: Int = 0
    /// Inputs cut to the model's token limit before they were embedded (the e5 backend's 512
    /// tokens); counted when computed, not when served from the cache.
    public var truncatedInputs: Int = 0

    /// Creates zeroed counters.
    public init() {}
}

/// A model the host talks to. Implementations must be safe to call from several threads.
///
/// All calls are blocking: the host calls backends from the dedicated thread a stage runs on,
/// never from Swift's cooperative pool. Methods for capabilities the backend lacks throw
/// ``BackendError/unsupported(_:backend:)``; the defaults of ``embed(_:role:)``,
/// ``score(_:)`` and ``generate(_:)`` do, so a backend implements only what it offers.
public protocol Backend: AnyObject, Sendable {
    /// A short name for messages and the ledger, e.g. "e5" or "openai(http://127.0.0.1:8000)".
    var name: String { get }
    /// What this backend can do.
    var capabilities: Set<BackendCapability> { get }
    /// Work done so far.
    var usage: BackendUsage { get }

    /// One vector per text, in order.
    func embed(_ texts: [String], role: EmbeddingRole) throws -> [[Float]]
    /// For each item, one score per candidate: log-probabilities, or (for embedding backends)
    /// scaled similarities. A softmax over an item's scores gives a distribution over candidates.
    func score(_ items: [ScoreItem]) throws -> [[Double]]
    /// One generated text per request, in order.
    func generate(_ requests: [GenerateRequest]) throws -> [String]
    /// Like ``score(_:)``, but one result per item, so a failed item (after the backend's
    /// retries) fails only itself. Throws only for failures that concern the whole batch
    /// (an exhausted budget, a missing capability).
    func scoreEach(_ items: [ScoreItem]) throws -> [Result<[Double], BackendError>]
    /// Like ``generate(_:)``, but one result per request, so a failed request (after the
    /// backend's retries) fails only itself.
    func generateEach(_ requests: [GenerateRequest]) throws -> [Result<String, BackendError>]
    /// Stops enforcing the backend's own spending limits (calls, tokens, cost, time). The
    /// runner calls it once optimization is over, so the final scoring of the best prompt is
    /// always completed; backends without limits ignore it.
    func suspendBudget()
    /// The space this backend's embeddings live in (nil when it does not embed): what an
    /// `embedding_head` artifact must have been trained in to be applied here.
    var embeddingSpace: EmbeddingSpace? { get }
    /// The temperature of this backend's embedding classifier (cosine / temperature), when
    /// classification goes through embeddings; nil otherwise.
    var classifierTemperature: Double? { get }
    /// Aborts the calls in flight, from another thread: they throw soon (``RunCancelledError``,
    /// or a ``BackendError`` or per-item failure saying they were cancelled); later calls run
    /// normally. The runner calls it when a run is cancelled. The default does nothing, and
    /// calls in flight then run to their end.
    func cancel()
}

extension Backend {
    /// Throws ``BackendError/unsupported(_:backend:)``: the backend does not embed.
    public func embed(_ texts: [String], role: EmbeddingRole) throws -> [[Float]] {
        throw BackendError.unsupported(.embed, backend: name)
    }

    /// Throws ``BackendError/unsupported(_:backend:)``: the backend does not score.
    public func score(_ items: [ScoreItem]) throws -> [[Double]] {
        throw BackendError.unsupported(.score, backend: name)
    }

    /// Throws ``BackendError/unsupported(_:backend:)``: the backend does not generate.
    public func generate(_ requests: [GenerateRequest]) throws -> [String] {
        throw BackendError.unsupported(.generate, backend: name)
    }

    /// Nothing to abort: calls in flight run to their end.
    public func cancel() {}

    /// Scores the batch as a whole: local backends either score every item or fail outright.
    public func scoreEach(_ items: [ScoreItem]) throws -> [Result<[Double], BackendError>] {
        try score(items).map { .success($0) }
    }

    /// Generates the batch as a whole: local backends either answer every request or fail outright.
    public func generateEach(_ requests: [GenerateRequest]) throws -> [Result<String, BackendError>] {
        try generate(requests).map { .success($0) }
    }

    /// Local backends have no spending limits.
    public func suspendBudget() {}

    /// No embedding space unless the backend says so.
    public var embeddingSpace: EmbeddingSpace? { nil }

    /// No embedding classifier unless the backend says so.
    public var classifierTemperature: Double? { nil }

    /// What a stage's plugin is told about this backend (`RunRequest.backend`).
    public var description: BackendDescription {
        BackendDescription(
            name: name, capabilities: capabilities.map(\.rawValue).sorted(),
            embeddingSpace: embeddingSpace, temperature: classifierTemperature)
    }
}
