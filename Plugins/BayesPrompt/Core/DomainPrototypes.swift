import Foundation

/// Class prototypes re-estimated on the unlabeled domain by a label-anchored mixture: one
/// component per label, on the unit sphere (the e5 classifier's cosine geometry), fitted by
/// semi-supervised EM to the pool with the labelled anchors (the k-shot examples and the
/// labelled domain particles, ``DomainParticles/labels(shotLabels:prototypes:)``) clamped to
/// their labels' components.
///
/// Component c's mean starts at the mean of label c's anchors (a label without anchors starts
/// at `fallback`'s row). An E-step gives every pool point the responsibilities
/// `r_xc ∝ pi_c exp(kappa cos(x, m_c))` (log-sum-exp); the M-step sets
/// `m_c = unit(sum_{anchors of c} a + poolWeight sum_x r_xc unit(x))` and
/// `pi_c = (anchors of c + poolWeight sum_x r_xc) / total`. This is semi-supervised EM for a
/// mixture of von Mises-Fisher components with one shared concentration `kappa` (Nigam et al.
/// 2000's labelled/unlabelled EM, on the sphere), where the anchors decide which component is
/// which label. Deterministic (no randomness).
public struct DomainPrototypes: Sendable, Equatable {
    /// Per label, the weighted sum of its anchors and its pool points (unnormalized), one row
    /// per label: the prototype's direction, kept as a sum so one anchor can be left out.
    public var sums: FeatureMatrix
    /// Per label, the total weight in ``sums`` (anchors count 1 each).
    public var weights: [Double]
    /// The mixture weights pi_c after the last M-step.
    public var priors: [Double]
    /// EM iterations run.
    public var iterations: Int

    /// The unit mean direction of label `c`.
    public func mean(_ c: Int) -> [Double] { VectorMath.normalized(sums.row(c)) }

    /// Fits the label-anchored mixture.
    ///
    /// - Parameters:
    ///   - pool: unlabeled domain points, one per row (normalized here).
    ///   - anchors: labelled points, clamped to their labels' components (used as given).
    ///   - anchorLabels: each anchor's label, in `0..<fallback.rows`.
    ///   - fallback: one row per label: the starting mean of a label without anchors.
    ///   - concentration: kappa, the components' shared concentration (the host classifier's
    ///     1 / temperature makes the E-step the classifier's own posterior).
    ///   - iterations: EM iterations (0: the anchors' means, no pool).
    ///   - poolWeight: weight of the pool's responsibilities against the anchors (1: every pool
    ///     point counts as much as an anchor).
    public static func fit(pool: FeatureMatrix, anchors: FeatureMatrix, anchorLabels: [Int], fallback: FeatureMatrix,
                           concentration: Double, iterations: Int, poolWeight: Double = 1) -> DomainPrototypes {
        let labels = fallback.rows, d = fallback.columns
        precondition(anchors.rows == anchorLabels.count && anchors.columns == d && (pool.rows == 0 || pool.columns == d))
        precondition(anchorLabels.allSatisfy { (0..<labels).contains($0) } && concentration >= 0 && poolWeight >= 0)
        var anchorSums = FeatureMatrix(rows: labels, columns: d)
        var anchorCounts = [Double](repeating: 0, count: labels)
        for (i, label) in anchorLabels.enumerated() {
            anchorCounts[label] += 1
            for j in 0..<d { anchorSums.values[label * d + j] += anchors.values[i * d + j] }
        }
        var means = FeatureMatrix(rows: labels, columns: d)
        for c in 0..<labels {
            let start = anchorCounts[c] > 0 ? anchorSums.row(c) : fallback.row(c)
            means.values.replaceSubrange(c * d ..< (c + 1) * d, with: VectorMath.normalized(start))
        }
        var units = pool
        for i in 0..<pool.rows {
            units.values.replaceSubrange(i * d ..< (i + 1) * d, with: VectorMath.normalized(pool.row(i)))
        }
        var priors = [Double](repeating: 1 / Double(labels), count: labels)
        var sums = anchorSums, weights = anchorCounts
        let rounds = pool.rows > 0 ? iterations : 0
        var logits = [Double](repeating: 0, count: labels)
        for _ in 0..<rounds {
            var poolSums = FeatureMatrix(rows: labels, columns: d)
            var poolMass = [Double](repeating: 0, count: labels)
            let logPriors = priors.map { log(max($0, 1e-300)) }
            units.values.withUnsafeBufferPointer { xs in
                means.values.withUnsafeBufferPointer { ms in
                    poolSums.values.withUnsafeMutableBufferPointer { out in
                        logits.withUnsafeMutableBufferPointer { l in
                            for i in 0..<units.rows {
                                let x = UnsafeBufferPointer(rebasing: xs[i * d ..< (i + 1) * d])
                                for c in 0..<labels {
                                    l[c] = concentration * VectorMath.dot(x, UnsafeBufferPointer(rebasing: ms[c * d ..< (c + 1) * d])) + logPriors[c]
                                }
                                let normalizer = VectorMath.logSumExp(UnsafeBufferPointer(l))
                                for c in 0..<labels {
                                    let r = exp(l[c] - normalizer)
                                    guard r > 1e-12 else { continue }
                                    poolMass[c] += r
                                    let o = out.baseAddress! + c * d
                                    for j in 0..<d { o[j] += r * x[j] }
                                }
                            }
                        }
                    }
                }
            }
            var total = 0.0
            for c in 0..<labels {
                weights[c] = anchorCounts[c] + poolWeight * poolMass[c]
                total += weights[c]
                for j in 0..<d { sums.values[c * d + j] = anchorSums.values[c * d + j] + poolWeight * poolSums.values[c * d + j] }
                let direction = weights[c] > 0 ? sums.row(c) : fallback.row(c)
                means.values.replaceSubrange(c * d ..< (c + 1) * d, with: VectorMath.normalized(direction))
            }
            priors = weights.map { total > 0 ? $0 / total : 1 / Double(labels) }
        }
        // A label that ended with no mass keeps its starting direction.
        for c in 0..<labels where weights[c] == 0 {
            sums.values.replaceSubrange(c * d ..< (c + 1) * d, with: fallback.row(c))
        }
        return DomainPrototypes(sums: sums, weights: weights, priors: priors, iterations: rounds)
    }
}
