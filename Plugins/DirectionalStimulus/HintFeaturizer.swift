import HoneSDK

/// Turns inputs into the policy's ``CandidateFeatures``: TextRank candidates, then one e5 call
/// for every candidate phrase (as queries, the role the extractive generator embeds hints in)
/// and every input (as passages).
public struct HintFeaturizer {
    /// The candidate extractor.
    public var extractor: CandidateExtractor
    /// Candidates per input.
    public var limit: Int
    /// The embedder: texts and a role (`"query"` or `"passage"`) to one vector per text.
    public var embed: ([String], String) throws -> [[Float]]
    /// Texts per embed call.
    public var chunk = 512

    /// Creates a featurizer.
    public init(extractor: CandidateExtractor, limit: Int, embed: @escaping ([String], String) throws -> [[Float]]) {
        self.extractor = extractor
        self.limit = limit
        self.embed = embed
    }

    /// The features of each input, in order.
    public func features(_ inputs: [String]) throws -> [CandidateFeatures] {
        let candidates = inputs.map { extractor.candidates($0, limit: limit) }
        let phrases = Array(Set(candidates.flatMap { $0.map(\.text) })).sorted()
        let phraseVectors = Dictionary(uniqueKeysWithValues: zip(phrases, try embedChunked(phrases, role: "query")))
        let inputVectors = try embedChunked(inputs, role: "passage")
        return zip(candidates, inputVectors).map { c, v in
            CandidateFeatures(candidates: c, embeddings: c.map { phraseVectors[$0.text]! }, inputEmbedding: v)
        }
    }

    private func embedChunked(_ texts: [String], role: String) throws -> [[Float]] {
        var out: [[Float]] = []
        var start = 0
        while start < texts.count {
            let part = Array(texts[start..<min(texts.count, start + chunk)])
            let vectors = try embed(part, role)
            guard vectors.count == part.count else {
                throw PluginError.backend("org.hone.dsp: embed returned \(vectors.count) vectors for \(part.count) texts")
            }
            out += vectors
            start += chunk
        }
        return out
    }
}
