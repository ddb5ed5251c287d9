/// The domain particles of one run and the draws taken from them: BayesPrompt's transported
/// k-shot features, or one of its controls (``BayesPromptConfig/Particles``).
///
/// A draw samples `count` particles uniformly without replacement, as the paper samples
/// min(particles, labels) of them per batch; its mean is what the prompt carries.
public struct DomainParticles: Sendable {
    /// The particles, one per row (empty for the demonstrations-only control).
    public let points: FeatureMatrix
    /// Where they came from.
    public let source: BayesPromptConfig.Particles

    /// Wraps particles.
    public init(points: FeatureMatrix, source: BayesPromptConfig.Particles) {
        self.points = points
        self.source = source
    }

    /// The particles of `source`: SVGD transports `shots` toward `mixture`; `gmm_means` takes
    /// its component means; `random_unlabeled` takes `shots.rows` random rows of `pool`;
    /// `none` has none. `shouldStop` is polled during transport.
    public static func make(
        _ source: BayesPromptConfig.Particles, shots: FeatureMatrix, pool: FeatureMatrix, mixture: GaussianMixture?,
        transport: SteinTransport, random: inout StageRandom, shouldStop: () -> Bool = { false }
    ) -> DomainParticles {
        switch source {
        case .svgd:
            guard let mixture else { return DomainParticles(points: shots, source: source) }
            let moved = transport.transport(shots, score: { mixture.scores(of: $0, into: &$1) }, shouldStop: shouldStop)
            return DomainParticles(points: moved, source: source)
        case .gmmMeans:
            guard let mixture else { return DomainParticles(points: FeatureMatrix(rows: 0, columns: shots.columns), source: source) }
            return DomainParticles(points: FeatureMatrix(rows: mixture.components, columns: mixture.dimension, values: mixture.means), source: source)
        case .randomUnlabeled:
            return DomainParticles(points: pool.selecting(rows: random.sample(shots.rows, from: pool.rows)), source: source)
        case .none:
            return DomainParticles(points: FeatureMatrix(rows: 0, columns: shots.columns), source: source)
        }
    }

    /// Each particle's label, for the label-anchored domain mixture (``DomainPrototypes``):
    /// transported particles keep the label of the k-shot example they started from; any
    /// other particle (a random pool sentence, a mixture mean) takes the label of the class
    /// vector it is nearest to by cosine among `prototypes` (one row per label: the k-shot
    /// prototypes), the only labels the demonstrations can give an unlabeled point.
    public func labels(shotLabels: [Int], prototypes: FeatureMatrix) -> [Int] {
        if source == .svgd && points.rows == shotLabels.count { return shotLabels }
        let d = points.columns
        let units = (0..<prototypes.rows).map { VectorMath.normalized(prototypes.row($0)) }
        return (0..<points.rows).map { i in
            let x = points.values[i * d ..< (i + 1) * d]
            var best = 0, bestValue = -Double.infinity
            for (c, u) in units.enumerated() {
                var dot = 0.0
                for (a, b) in zip(x, u) { dot += a * b }
                if dot > bestValue { best = c; bestValue = dot }
            }
            return best
        }
    }

    /// One draw: the sampled rows and their mean.
    public struct Draw: Sendable, Equatable {
        /// Indices of the sampled particles.
        public var indices: [Int]
        /// Their mean (zeros when nothing was sampled).
        public var mean: [Double]
    }

    /// `draws` samples of `count` particles each.
    public func draws(_ draws: Int, count: Int, random: inout StageRandom) -> [Draw] {
        (0..<draws).map { _ in
            let indices = random.sample(count, from: points.rows)
            let chosen = points.selecting(rows: indices)
            let mean = indices.isEmpty ? [Double](repeating: 0, count: points.columns) : chosen.columnMeans()
            return Draw(indices: indices, mean: mean)
        }
    }
}
