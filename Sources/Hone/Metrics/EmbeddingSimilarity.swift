/// Cosine similarity between embedding vectors (e.g. of a generated text and its reference,
/// both embedded by the backend).
public enum EmbeddingSimilarity {
    /// a·b / (|a| |b|); 0 if either vector is all zeros. The vectors must have the same length.
    public static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        precondition(a.count == b.count, "vectors of different lengths (\(a.count) and \(b.count))")
        var dot = 0.0, na = 0.0, nb = 0.0
        for k in a.indices {
            let x = Double(a[k]), y = Double(b[k])
            dot += x * y
            na += x * x
            nb += y * y
        }
        guard na > 0, nb > 0 else { return 0 }
        return dot / (na.squareRoot() * nb.squareRoot())
    }

    /// Mean cosine over pairs; 0 for no pairs.
    public static func mean(_ predictions: [[Float]], _ references: [[Float]]) -> Double {
        precondition(predictions.count == references.count, "one reference per prediction")
        guard !predictions.isEmpty else { return 0 }
        return zip(predictions, references).reduce(0) { $0 + cosine($1.0, $1.1) } / Double(predictions.count)
    }
}
