/// The inputs of the policy for one input text: its candidate phrases with their static feature
/// vectors and the pairwise similarity of their e5 embeddings (for the redundancy feature).
///
/// Static features of a candidate, in order (``scalarCount`` of them), then its e5 embedding:
/// TextRank score (divided by the input's best), cosine of the phrase (e5 query) to the input
/// (e5 passage), `1 - position`, `log(1 + frequency)` (divided by the input's largest), one-hot
/// length 1/2/3+ words, fraction capitalized, in the first sentence, contains a number.
/// The dynamic feature (``redundancyIndex``) is the largest cosine to a phrase already chosen.
public struct CandidateFeatures: Sendable {
    /// Scalar features before the embedding (the dynamic one included, as 0).
    public static let scalarCount = 11
    /// Index of the dynamic redundancy feature.
    public static let redundancyIndex = 10
    /// Names of the scalar features, for reports.
    public static let scalarNames = ["textrank", "input_similarity", "earliness", "frequency", "one_word", "two_words",
                                     "three_words", "capitalized", "in_lead", "has_number", "redundancy"]

    /// The candidates.
    public let candidates: [CandidatePhrase]
    /// One static feature vector per candidate (``scalarCount`` + embedding width).
    public let vectors: [[Double]]
    /// `similarity[i][j]`: cosine of candidates `i` and `j`.
    public let similarity: [[Double]]

    /// Width of a feature vector for embeddings of width `dimension`.
    public static func width(embeddingDimension dimension: Int) -> Int { scalarCount + dimension }

    /// Computes the features from the candidates, their e5 query embeddings and the input's
    /// e5 passage embedding (all normalized here).
    public init(candidates: [CandidatePhrase], embeddings: [[Float]], inputEmbedding: [Float]) {
        precondition(candidates.count == embeddings.count)
        self.candidates = candidates
        let units = embeddings.map(CandidateFeatures.normalized)
        let input = CandidateFeatures.normalized(inputEmbedding)
        let best = candidates.map(\.score).max() ?? 1
        let mostFrequent = log(1 + Double(candidates.map(\.frequency).max() ?? 1))
        vectors = zip(candidates, units).map { c, e in
            var v: [Double] = [
                best > 0 ? c.score / best : 0,
                CandidateFeatures.dot(e, input),
                1 - c.position,
                log(1 + Double(c.frequency)) / max(mostFrequent, 1e-9),
                c.keys.count == 1 ? 1 : 0, c.keys.count == 2 ? 1 : 0, c.keys.count >= 3 ? 1 : 0,
                c.capitalized, c.inLead ? 1 : 0, c.hasNumber ? 1 : 0,
                0,
            ]
            v.append(contentsOf: e.map(Double.init))
            return v
        }
        similarity = units.map { a in units.map { b in CandidateFeatures.dot(a, b) } }
    }

    static func normalized(_ v: [Float]) -> [Float] {
        let norm = v.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? v.map { $0 / norm } : v
    }

    static func dot(_ a: [Float], _ b: [Float]) -> Double {
        var s: Float = 0
        for i in 0..<min(a.count, b.count) { s += a[i] * b[i] }
        return Double(s)
    }
}

import Foundation
