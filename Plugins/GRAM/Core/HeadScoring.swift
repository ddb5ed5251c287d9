import Foundation
import HoneSDK

/// The host's `embedding_head` formula (docs: ABI 1.1 spec), computed by the plugin on an
/// artifact's head: for each query embedding q (e5 `query:` of the rendered input),
///
///     q' = normalize(q + query_shift)
///     logit_c = cos(q', normalize(class_vectors[c])) / temperature + logit_bias[c]
///     p = softmax(logit)
///
/// The plugin trains and selects with ``SoftPromptHead``, which computes the same numbers from
/// θ; this type reads only the artifact, so a test can hold the host's scoring of an artifact
/// against the plugin's own, and benchmarks can score test sets the way the host will.
public enum HeadScoring {
    /// The distribution over the head's classes for each query embedding.
    ///
    /// - Parameters:
    ///   - head: the artifact's head (its `temperature`, or `defaultTemperature` when nil).
    ///   - queries: e5 query embeddings of the rendered inputs, each of the head's dimension.
    public static func probabilities(head: EmbeddingHead, queries: [[Double]], defaultTemperature: Double = 0.01) -> [[Double]] {
        let temperature = head.temperature ?? defaultTemperature
        let classes = head.classVectors.map(normalized)
        return queries.map { q in
            var shifted = q
            if let shift = head.queryShift { for i in shifted.indices { shifted[i] += shift[i] } }
            let unit = normalized(shifted)
            let logits = classes.enumerated().map { c, w in
                zip(unit, w).reduce(0) { $0 + $1.0 * $1.1 } / temperature + (head.logitBias?[c] ?? 0)
            }
            let top = logits.max() ?? 0
            let e = logits.map { exp($0 - top) }
            let sum = e.reduce(0, +)
            return e.map { $0 / sum }
        }
    }

    /// The most probable class for each query embedding (ties: the lowest index, as argmax).
    public static func predictions(head: EmbeddingHead, queries: [[Double]], defaultTemperature: Double = 0.01) -> [Int] {
        probabilities(head: head, queries: queries, defaultTemperature: defaultTemperature).map { p in
            p.indices.max { p[$0] < p[$1] || (p[$0] == p[$1] && $0 > $1) } ?? 0
        }
    }

    private static func normalized(_ v: [Double]) -> [Double] {
        let n = max(v.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
        return v.map { $0 / n }
    }
}
