import HoneSDK
import Foundation

/// The offline generator: answers a prompt with sentences *copied from its input document*,
/// chosen by e5 similarity to the instruction and hint keywords, with maximal marginal relevance
/// against redundancy, returned in document order.
///
/// It is extractive, not abstractive: it never writes a word that is not in the input. It is
/// Hone's offline default for summarization-style tasks when no LLM server is configured; an LLM
/// server (the `openai` backend) gives abstractive output.
///
/// For each request: the prompt is parsed by `ExtractivePrompt`; the document is split by
/// `SentenceSplitter`; the query (instruction + keywords) is embedded as an e5 query and the
/// sentences as passages; `MaximalMarginalRelevance` picks up to ``sentences`` of them
/// (stopping early when the next one would pass the request's `maxTokens`, estimated as 4/3
/// tokens a word); the picks are joined in document order. With no instruction and no
/// keywords, the query is the document's centroid (the most central sentences win). It is
/// deterministic: temperature and sample index do not change the answer.
///
/// Capabilities: `generate`, plus `embed` and `score` of the underlying embedding backend.
public final class ExtractiveGenerator: Backend, Sendable {
    /// Sentences per answer, at most.
    public let sentences: Int
    /// MMR's relevance weight λ in `[0, 1]` (1: relevance only).
    public let diversity: Double
    /// The backend whose `embed` this uses (the embedded e5 model by default).
    public let embedder: Backend

    /// E.g. `extractive(e5)`.
    public var name: String { "extractive(\(embedder.name))" }
    /// `generate`, plus what the embedder offers.
    public var capabilities: Set<BackendCapability> { embedder.capabilities.union([.generate]) }
    /// The embedder's space.
    public var embeddingSpace: EmbeddingSpace? { embedder.embeddingSpace }
    /// The embedder's classifier temperature.
    public var classifierTemperature: Double? { embedder.classifierTemperature }
    /// The embedder's usage (extraction itself calls no model beyond it).
    public var usage: BackendUsage { embedder.usage }

    /// Creates a generator over an embedding backend.
    public init(embedder: Backend, sentences: Int = 3, diversity: Double = 0.7) {
        precondition(sentences > 0 && (0...1).contains(diversity))
        self.embedder = embedder
        self.sentences = sentences
        self.diversity = diversity
    }

    /// The embedder's vectors.
    public func embed(_ texts: [String], role: EmbeddingRole) throws -> [[Float]] {
        try embedder.embed(texts, role: role)
    }

    /// The embedder's scores.
    public func score(_ items: [ScoreItem]) throws -> [[Double]] {
        try embedder.score(items)
    }

    /// One extract per request: input sentences, in document order (see the type's description).
    public func generate(_ requests: [GenerateRequest]) throws -> [String] {
        guard !requests.isEmpty else { return [] }
        let prompts = requests.map { ExtractivePrompt(prompt: $0.prompt, system: $0.system) }
        let split = prompts.map { SentenceSplitter.split($0.document) }
        // One embedding call for every sentence of the batch, one for every query.
        let allSentences = Array(Set(split.flatMap { $0 }))
        let sentenceVectors = Dictionary(uniqueKeysWithValues: zip(allSentences, try embedder.embed(allSentences, role: .passage)))
        let queries = prompts.map(\.query)
        let queryTexts = Array(Set(queries.filter { !$0.isEmpty }))
        let queryVectors = Dictionary(uniqueKeysWithValues: zip(queryTexts, try embedder.embed(queryTexts, role: .query)))
        return zip(requests, zip(queries, split)).map { request, pair in
            let (query, sentences) = pair
            guard !sentences.isEmpty else { return "" }
            let vectors = sentences.map { sentenceVectors[$0]! }
            let q = query.isEmpty ? ExtractiveGenerator.centroid(vectors) : queryVectors[query]!
            let picked = pick(vectors: vectors, query: q, sentences: sentences, maxTokens: request.maxTokens)
            return picked.sorted().map { sentences[$0] }.joined(separator: " ")
        }
    }

    /// The MMR picks among `vectors` for `query`, within the token budget.
    func pick(vectors: [[Float]], query: [Float], sentences: [String], maxTokens: Int) -> [Int] {
        let relevance = vectors.map { Double(ExtractiveGenerator.cosine($0, query)) }
        let tokens = sentences.map { Int((Double($0.split(whereSeparator: \.isWhitespace).count) * 4 / 3).rounded(.up)) }
        return MaximalMarginalRelevance.select(
            k: self.sentences, relevance: relevance, lambda: diversity,
            similarity: { Double(ExtractiveGenerator.cosine(vectors[$0], vectors[$1])) },
            accept: { candidate, picked in picked.reduce(tokens[candidate]) { $0 + tokens[$1] } <= maxTokens })
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        var dot: Float = 0, na: Float = 0, nb: Float = 0
        for i in 0..<min(a.count, b.count) {
            dot += a[i] * b[i]
            na += a[i] * a[i]
            nb += b[i] * b[i]
        }
        return na > 0 && nb > 0 ? dot / (na.squareRoot() * nb.squareRoot()) : 0
    }

    static func centroid(_ vectors: [[Float]]) -> [Float] {
        guard let first = vectors.first else { return [] }
        var sum = [Float](repeating: 0, count: first.count)
        for v in vectors { for i in 0..<min(v.count, sum.count) { sum[i] += v[i] } }
        return sum
    }
}
