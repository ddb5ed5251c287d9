import HoneSDK

/// Builds the embedding-mode heads BayesPrompt chooses among, and scores them the way the
/// host's classifier will, with leave-one-out on the k-shot examples.
///
/// A head for shift s (a scale times the mean of sampled domain particles) and prototype
/// weight b has, for each label c,
/// `class_vectors[c] = b * unit(prototype_c + s) + (1 - b) * unit(verbalizer_c)`, where
/// prototype_c is the mean of the query embeddings of the label's k-shot examples, and
/// `query_shift = s`: queries and prototypes are moved by the same domain vector, the embedding
/// counterpart of the paper injecting the particles' mean into every input's prompt.
public struct PrototypeHeads: Sendable {
    /// Query embeddings of the k-shot examples (rendered with the template).
    public let shots: FeatureMatrix
    /// Each shot's label.
    public let shotLabels: [Int]
    /// Passage embeddings of the labels' verbalizers, one row per label.
    public let verbalizers: FeatureMatrix
    private let sums: FeatureMatrix
    private let counts: [Double]

    /// Prepares the per-label sums of the shots.
    public init(shots: FeatureMatrix, shotLabels: [Int], verbalizers: FeatureMatrix) {
        precondition(shots.rows == shotLabels.count && shots.columns == verbalizers.columns)
        var sums = FeatureMatrix(rows: verbalizers.rows, columns: shots.columns)
        var counts = [Double](repeating: 0, count: verbalizers.rows)
        let d = shots.columns
        for (i, label) in shotLabels.enumerated() {
            counts[label] += 1
            for j in 0..<d { sums.values[label * d + j] += shots.values[i * d + j] }
        }
        self.init(shots: shots, shotLabels: shotLabels, verbalizers: verbalizers, sums: sums, weights: counts)
    }

    /// Heads whose prototypes are given as per-label sums and their total weights (e.g. the
    /// label-anchored domain mixture's, ``DomainPrototypes``), each containing its label's
    /// `shots` with weight 1, so leave-one-out can subtract a shot from its own label's sum.
    public init(shots: FeatureMatrix, shotLabels: [Int], verbalizers: FeatureMatrix, sums: FeatureMatrix, weights: [Double]) {
        precondition(shots.rows == shotLabels.count && shots.columns == verbalizers.columns)
        precondition(sums.rows == verbalizers.rows && sums.columns == shots.columns && weights.count == verbalizers.rows)
        self.shots = shots
        self.shotLabels = shotLabels
        self.verbalizers = verbalizers
        self.sums = sums
        self.counts = weights
    }

    /// The class vector of `label` for `shift` and prototype weight `weight`, leaving the shot
    /// `excluding` out of the prototype (a label without shots keeps its verbalizer).
    public func classVector(_ label: Int, shift: [Double], weight: Double, excluding: Int? = nil) -> [Double] {
        let d = shots.columns
        var count = counts[label]
        var prototype = Array(sums.values[label * d ..< (label + 1) * d])
        if let i = excluding, shotLabels[i] == label {
            count -= 1
            for j in 0..<d { prototype[j] -= shots.values[i * d + j] }
        }
        let verbalizer = VectorMath.normalized(verbalizers.row(label))
        guard count > 1e-9, weight > 0 else { return verbalizer }
        for j in 0..<d { prototype[j] = prototype[j] / count + shift[j] }
        let unit = VectorMath.normalized(prototype)
        return (0..<d).map { weight * unit[$0] + (1 - weight) * verbalizer[$0] }
    }

    /// The head for a shift and weight.
    public func head(shift: [Double], weight: Double, space: EmbeddingSpace, temperature: Double) -> EmbeddingHead {
        let vectors = (0..<verbalizers.rows).map { VectorMath.normalized(classVector($0, shift: shift, weight: weight)) }
        return EmbeddingHead(space: space, dimension: shots.columns, classVectors: vectors,
                             queryShift: shift.allSatisfy { $0 == 0 } ? nil : shift, logitBias: nil, temperature: temperature)
    }

    /// Predictions of the head (shift, weight) on the k-shot examples, each classified with
    /// its own label's prototype built without its row (leave-one-out), and on `others`.
    /// `queries` are the k-shot examples' query embeddings when they differ from the rows the
    /// prototypes are built from (transported particles); by default those rows themselves.
    ///
    /// `shiftSource`, when the shift is `scale` times the mean of particles of which particle i
    /// started at shot i (SVGD's), makes leave-one-out cover the shift too: a shot whose own
    /// particle is among `indices` is classified with the shift recomputed without that
    /// particle (zero when it was the only one), in its query and in every class vector.
    public func predictions(shift: [Double], weight: Double, others: FeatureMatrix, queries: FeatureMatrix? = nil,
                            shiftSource: (particles: FeatureMatrix, indices: [Int], scale: Double)? = nil) -> (shots: [Int], others: [Int]) {
        let queries = queries ?? shots
        precondition(queries.rows == shots.rows && queries.columns == shots.columns)
        let space = EmbeddingSpace(backend: "", model: "")
        let full = HeadClassifier(head: head(shift: shift, weight: weight, space: space, temperature: 1), fallbackTemperature: 1)
        let shotLogits = full.logits(queries)
        let c = verbalizers.rows, d = shots.columns
        var ownParticle: [Int: Int] = [:]
        if let source = shiftSource, source.scale != 0 {
            precondition(source.particles.rows == shots.rows && source.particles.columns == d)
            for i in source.indices { ownParticle[i] = i }
        }
        var shotPredictions: [Int] = []
        var shifted = [Double](repeating: 0, count: d)
        for i in 0..<shots.rows {
            var row = Array(shotLogits[i * c ..< (i + 1) * c])
            let label = shotLabels[i]
            if let source = shiftSource, ownParticle[i] != nil {
                // The shift without this shot's particle: n * mean - p_i over n - 1.
                let n = Double(source.indices.count)
                var own = [Double](repeating: 0, count: d)
                if n > 1 {
                    for j in 0..<d {
                        let mean = shift[j] / source.scale
                        own[j] = source.scale * (n * mean - source.particles.values[i * d + j]) / (n - 1)
                    }
                }
                for j in 0..<d { shifted[j] = queries.values[i * d + j] + own[j] }
                let q = VectorMath.normalized(shifted)
                for k in 0..<c {
                    let vector = VectorMath.normalized(classVector(k, shift: own, weight: weight, excluding: k == label ? i : nil))
                    row[k] = zip(q, vector).reduce(0) { $0 + $1.0 * $1.1 }
                }
            } else if weight > 0 {
                let own = VectorMath.normalized(classVector(label, shift: shift, weight: weight, excluding: i))
                for j in 0..<d { shifted[j] = queries.values[i * d + j] + shift[j] }
                let q = VectorMath.normalized(shifted)
                row[label] = zip(q, own).reduce(0) { $0 + $1.0 * $1.1 }
            }
            shotPredictions.append(HeadClassifier.argmax(row[...]))
        }
        return (shotPredictions, others.rows > 0 ? full.predict(others) : [])
    }
}
