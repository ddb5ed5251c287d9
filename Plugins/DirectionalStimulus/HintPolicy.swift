import Foundation

/// The hint policy: a linear scorer over candidate features with a stop action, emitting an
/// ordered keyword list one phrase at a time.
///
/// At step `t` (``Decision``), with the phrases chosen so far, the actions are the candidates
/// not chosen and sharing no word with a chosen one, plus *stop*. A candidate's logit is
/// `w · φ_i(t)` (static features, with the redundancy feature set to its largest similarity to
/// a chosen phrase); the stop logit is `u · (1, k/K, (k/K)²)` for `k` chosen of at most `K`.
/// The policy is a softmax over these; at `K` phrases, or with no candidate left, it stops
/// without a decision.
public struct HintPolicy: Equatable, Sendable {
    /// Candidate weights `w` (``CandidateFeatures/width(embeddingDimension:)``), then the 3 stop weights `u`.
    public var weights: [Double]
    /// Most keywords per hint (`K`).
    public var maxKeywords: Int

    /// Width of the candidate part of ``weights``.
    public var featureWidth: Int { weights.count - 3 }

    /// A policy that starts as TextRank's ranking (weight 1 on the TextRank score) and stops
    /// after about `maxKeywords / 2` phrases.
    public init(embeddingDimension: Int, maxKeywords: Int) {
        let width = CandidateFeatures.width(embeddingDimension: embeddingDimension)
        weights = [Double](repeating: 0, count: width + 3)
        weights[0] = 4
        weights[CandidateFeatures.redundancyIndex] = -2
        weights[width] = -1
        weights[width + 2] = 6
        self.maxKeywords = maxKeywords
    }

    /// A policy with the given weights.
    public init(weights: [Double], maxKeywords: Int) {
        self.weights = weights
        self.maxKeywords = maxKeywords
    }

    /// The choice at one step: the allowed actions and their probabilities.
    public struct Decision {
        /// Allowed candidate indices.
        public var allowed: [Int]
        /// Redundancy feature of each allowed candidate.
        public var redundancy: [Double]
        /// Probabilities of the allowed candidates, then of stop (last).
        public var probabilities: [Double]
        /// Number of phrases chosen before this step.
        public var chosenCount: Int
    }

    /// One sampled or greedy hint: the chosen candidate indices in order, and whether each
    /// decision (the chosen ones, then stop when it was a decision) was taken.
    public struct Episode: Equatable, Sendable {
        /// Chosen candidates, in order.
        public var chosen: [Int]
        /// Whether the episode ended by a stop decision (false when forced at `K` or no candidates).
        public var stoppedByChoice: Bool
        /// Log-probability of each decision under the policy that made it (chosen..., stop).
        public var logProbabilities: [Double]
    }

    /// The decision after `chosen`, or `nil` when the policy must stop.
    public func decision(_ features: CandidateFeatures, staticLogits: [Double], chosen: [Int]) -> Decision? {
        guard chosen.count < maxKeywords else { return nil }
        var allowed: [Int] = []
        var redundancy: [Double] = []
        var logits: [Double] = []
        let r = weights[CandidateFeatures.redundancyIndex]
        for i in features.candidates.indices where !chosen.contains(i) {
            if chosen.contains(where: { features.candidates[$0].overlaps(features.candidates[i]) }) { continue }
            let red = chosen.map { features.similarity[i][$0] }.max() ?? 0
            allowed.append(i)
            redundancy.append(red)
            logits.append(staticLogits[i] + r * red)
        }
        guard !allowed.isEmpty else { return nil }
        logits.append(stopLogit(chosen.count))
        return Decision(allowed: allowed, redundancy: redundancy, probabilities: HintPolicy.softmax(logits), chosenCount: chosen.count)
    }

    /// `w · φ_i` for every candidate (the redundancy feature is 0 in the static vectors).
    public func staticLogits(_ features: CandidateFeatures) -> [Double] {
        features.vectors.map { v in
            var s = 0.0
            for j in 0..<min(v.count, featureWidth) { s += weights[j] * v[j] }
            return s
        }
    }

    /// The most likely hint.
    public func greedy(_ features: CandidateFeatures) -> Episode {
        run(features) { d in d.probabilities.indices.max { d.probabilities[$0] < d.probabilities[$1] }! }
    }

    /// A hint sampled from the policy.
    public func sample<R: RandomNumberGenerator>(_ features: CandidateFeatures, using rng: inout R) -> Episode {
        run(features) { d in
            var u = Double.random(in: 0..<1, using: &rng)
            for (a, p) in d.probabilities.enumerated() {
                u -= p
                if u < 0 { return a }
            }
            return d.probabilities.count - 1
        }
    }

    /// Runs one episode, `pick` choosing an action index into the decision's probabilities.
    private func run(_ features: CandidateFeatures, pick: (Decision) -> Int) -> Episode {
        let logits = staticLogits(features)
        var episode = Episode(chosen: [], stoppedByChoice: false, logProbabilities: [])
        while let d = decision(features, staticLogits: logits, chosen: episode.chosen) {
            let a = pick(d)
            episode.logProbabilities.append(log(max(d.probabilities[a], 1e-300)))
            if a == d.allowed.count {
                episode.stoppedByChoice = true
                break
            }
            episode.chosen.append(d.allowed[a])
        }
        return episode
    }

    /// Log-probabilities of an episode's decisions under this policy (for the KL penalty and
    /// importance checks): one per chosen phrase, then the stop when it was a decision.
    public func logProbabilities(of episode: Episode, _ features: CandidateFeatures) -> [Double] {
        var out: [Double] = []
        walk(episode, features) { d, a in out.append(log(max(d.probabilities[a], 1e-300))) }
        return out
    }

    /// Adds `scales[t] · ∇ log π(a_t)` for each decision `t` of the episode to `gradient`.
    public func accumulateGradient(of episode: Episode, _ features: CandidateFeatures, scales: [Double], into gradient: inout [Double]) {
        let width = featureWidth
        var t = 0
        walk(episode, features) { d, a in
            let scale = scales[t]
            t += 1
            guard scale != 0 else { return }
            // ∇ = φ_a − Σ_i π_i φ_i, over the candidate block and the stop block.
            for (slot, i) in d.allowed.enumerated() {
                let coefficient = scale * ((slot == a ? 1 : 0) - d.probabilities[slot])
                guard coefficient != 0 else { continue }
                let v = features.vectors[i]
                for j in 0..<width { gradient[j] += coefficient * v[j] }
                gradient[CandidateFeatures.redundancyIndex] += coefficient * d.redundancy[slot]
            }
            let stopCoefficient = scale * ((a == d.allowed.count ? 1 : 0) - d.probabilities[d.allowed.count])
            let k = Double(d.chosenCount) / Double(maxKeywords)
            gradient[width] += stopCoefficient
            gradient[width + 1] += stopCoefficient * k
            gradient[width + 2] += stopCoefficient * k * k
        }
    }

    /// Calls `visit(decision, action)` for each decision of `episode` under this policy.
    private func walk(_ episode: Episode, _ features: CandidateFeatures, _ visit: (Decision, Int) -> Void) {
        let logits = staticLogits(features)
        var chosen: [Int] = []
        for next in episode.chosen + (episode.stoppedByChoice ? [-1] : []) {
            guard let d = decision(features, staticLogits: logits, chosen: chosen) else { return }
            let a = next == -1 ? d.allowed.count : (d.allowed.firstIndex(of: next) ?? d.allowed.count)
            visit(d, a)
            if next == -1 { return }
            chosen.append(next)
        }
    }

    private func stopLogit(_ chosenCount: Int) -> Double {
        let width = featureWidth
        let k = Double(chosenCount) / Double(maxKeywords)
        return weights[width] + weights[width + 1] * k + weights[width + 2] * k * k
    }

    static func softmax(_ logits: [Double]) -> [Double] {
        let top = logits.max() ?? 0
        let e = logits.map { exp($0 - top) }
        let sum = e.reduce(0, +)
        return e.map { $0 / sum }
    }
}
