import HoneSDK

/// The host's embedding classifier with an ``EmbeddingHead`` applied, computed in the plugin
/// so candidate heads can be compared on train+dev without a round trip per head:
/// `q' = normalize(q + query_shift)`, `logit_c = cos(q', normalize(class_vectors[c])) / T + logit_bias[c]`
/// (docs/plugins.md, ABI 1.1). The final test score is always the host's.
public struct HeadClassifier: Sendable {
    /// Unit class vectors, one row per label.
    public let classes: FeatureMatrix
    /// The query shift (zeros when the head has none).
    public let shift: [Double]
    /// Per-label logit bias (zeros when none).
    public let bias: [Double]
    /// The temperature.
    public let temperature: Double

    /// The classifier of `head`; `fallbackTemperature` when the head leaves it to the backend.
    public init(head: EmbeddingHead, fallbackTemperature: Double) {
        classes = FeatureMatrix(vectors: head.classVectors.map(VectorMath.normalized), dimension: head.dimension)
        shift = head.queryShift ?? [Double](repeating: 0, count: head.dimension)
        bias = head.logitBias ?? [Double](repeating: 0, count: head.classVectors.count)
        temperature = head.temperature ?? fallbackTemperature
    }

    /// The logits of every row of `queries` (raw query embeddings), row-major n x labels.
    public func logits(_ queries: FeatureMatrix) -> [Double] {
        let d = classes.columns, c = classes.rows
        precondition(queries.columns == d)
        var out = [Double](repeating: 0, count: queries.rows * c)
        var shifted = [Double](repeating: 0, count: d)
        queries.values.withUnsafeBufferPointer { qs in
            classes.values.withUnsafeBufferPointer { cs in
                shifted.withUnsafeMutableBufferPointer { s in
                    for i in 0..<queries.rows {
                        var norm = 0.0
                        for j in 0..<d { let v = qs[i * d + j] + shift[j]; s[j] = v; norm += v * v }
                        let inverse = norm > 0 ? 1 / norm.squareRoot() : 0
                        for k in 0..<c {
                            let cosine = VectorMath.dot(UnsafeBufferPointer(s), UnsafeBufferPointer(rebasing: cs[k * d ..< (k + 1) * d])) * inverse
                            out[i * c + k] = cosine / temperature + bias[k]
                        }
                    }
                }
            }
        }
        return out
    }

    /// The predicted label of every row of `queries` (the first maximum, as the host's argmax).
    public func predict(_ queries: FeatureMatrix) -> [Int] {
        let c = classes.rows
        let all = logits(queries)
        return (0..<queries.rows).map { i in Self.argmax(all[i * c ..< (i + 1) * c]) }
    }

    /// The index of the first maximum.
    static func argmax(_ values: ArraySlice<Double>) -> Int {
        var best = 0, bestValue = -Double.infinity
        for (k, v) in values.enumerated() where v > bestValue { best = k; bestValue = v }
        return best
    }
}
