/// Classification by embedding similarity: how a backend that can only `embed` scores
/// candidates, as the embedded e5 model does.
///
/// The prompted input (the item's context) is embedded as a **query**, each distinct candidate
/// (verbalizer) as a **passage**; a candidate's score is the cosine similarity of the two
/// vectors divided by ``temperature``, so a softmax over an item's scores is a distribution over
/// the candidates. How the query/passage role reaches the model is the backend's business (the
/// e5 engine's prefixes; for a server, ``OpenAIConfiguration/embeddingRole``).
struct EmbeddingScorer: Sendable {
    /// The divisor of cosine similarity (the e5 backend's default is 0.01).
    var temperature: Double
    /// Whether the vectors are known to be L2-normalized (the embedded engine's are), so the dot
    /// product is the cosine; otherwise each vector is normalized first (servers need not).
    var assumesUnitVectors: Bool

    /// Creates a scorer.
    init(temperature: Double, assumesUnitVectors: Bool = false) {
        precondition(temperature > 0, "the similarity temperature must be positive")
        self.temperature = temperature
        self.assumesUnitVectors = assumesUnitVectors
    }

    /// The distinct candidate texts of `items`, in first-seen order (each is embedded once).
    static func distinctCandidates(_ items: [ScoreItem]) -> [String] {
        var seen = Set<String>()
        return items.flatMap(\.candidates).filter { seen.insert($0).inserted }
    }

    /// For each item, one score per candidate: `cosine(query, candidate) / temperature`.
    /// - Parameters:
    ///   - queries: the context vectors, one per item, in order.
    ///   - candidateVectors: the vector of every candidate text the items name.
    func scores(_ items: [ScoreItem], queries: [[Float]], candidateVectors: [String: [Float]]) -> [[Double]] {
        zip(items, queries).map { item, query in scores(item, query: query, candidateVectors: candidateVectors) }
    }

    /// One score per candidate of `item`, given its context's vector.
    func scores(_ item: ScoreItem, query: [Float], candidateVectors: [String: [Float]]) -> [Double] {
        item.candidates.map { candidate in
            guard let vector = candidateVectors[candidate] else {
                preconditionFailure("no vector for candidate \"\(candidate)\"")
            }
            return Double(similarity(query, vector)) / temperature
        }
    }

    /// Scores `items` with `embed`, which returns one vector per text for a role.
    func score(_ items: [ScoreItem], embed: ([String], EmbeddingRole) throws -> [[Float]]) throws -> [[Double]] {
        guard !items.isEmpty else { return [] }
        let queries = try embed(items.map(\.context), .query)
        let candidates = EmbeddingScorer.distinctCandidates(items)
        let vectors = Dictionary(uniqueKeysWithValues: zip(candidates, try embed(candidates, .passage)))
        return scores(items, queries: queries, candidateVectors: vectors)
    }

    /// Cosine similarity (the dot product for unit vectors); 0 against a zero vector.
    func similarity(_ a: [Float], _ b: [Float]) -> Float {
        var dot: Float = 0, aa: Float = 0, bb: Float = 0
        for i in 0..<min(a.count, b.count) {
            dot += a[i] * b[i]
            aa += a[i] * a[i]
            bb += b[i] * b[i]
        }
        if assumesUnitVectors { return dot }
        let norms = (aa * bb).squareRoot()
        return norms > 0 ? dot / norms : 0
    }
}
