import HoneSDK
import Foundation

/// Trains a ``HintPolicy``: the supervised stage on oracle keywords, REINFORCE with a
/// per-input leave-one-out baseline and a KL penalty to the supervised policy, and the
/// best-of-N alternative (refit on each input's best sampled hint).
///
/// The generator is reached only through the `score` callback of ``reinforceStep(batch:score:)``
/// and ``bestOfNStep(batch:score:)``: given, per input of the batch, the sampled hints
/// (candidate indices), it returns their generation rewards (``HintReward/generationReward(_:)``
/// of the host's outcomes). This keeps the trainer free of the host, for tests.
public final class HintTrainer {
    /// The policy being trained.
    public private(set) var policy: HintPolicy
    /// The supervised policy (the KL anchor); `nil` until ``fitSupervised(epochs:learningRate:)``.
    public private(set) var supervised: HintPolicy?
    /// Features of the training inputs.
    public let features: [CandidateFeatures]
    /// Word keys of each training reference.
    public let referenceKeys: [[String]]
    /// The supervised target of each training input.
    public let targets: [HintPolicy.Episode]
    /// The reward.
    public var reward: HintReward
    /// Hints sampled per input per step.
    public var hintsPerInput: Int
    /// L2 weight decay.
    public var weightDecay: Double
    private var rng: SeededGenerator
    private var adam: Adam
    /// Best sampled hint and its reward per training input (best-of-N).
    public private(set) var bestHints: [Int: (episode: HintPolicy.Episode, reward: Double)] = [:]

    /// One sampled hint with its reward parts.
    public struct Rollout: Sendable {
        /// Training input index.
        public var input: Int
        /// The hint.
        public var episode: HintPolicy.Episode
        /// `scale · mean ROUGE`.
        public var generation: Double
        /// Summed keyword step rewards.
        public var keywords: Double
        /// The KL penalty.
        public var kl: Double
        /// The total reward.
        public var total: Double { generation + keywords - kl }
    }

    /// Creates a trainer over training inputs' features and references.
    public init(policy: HintPolicy, features: [CandidateFeatures], references: [String], reward: HintReward,
                hintsPerInput: Int, learningRate: Double, weightDecay: Double, seed: UInt64) {
        self.policy = policy
        self.features = features
        self.referenceKeys = references.map(PhraseTokenizer.keys)
        self.targets = zip(features, references).map { HintTrainer.oracleEpisode($0, reference: $1, maxKeywords: policy.maxKeywords) }
        self.reward = reward
        self.hintsPerInput = hintsPerInput
        self.weightDecay = weightDecay
        self.rng = SeededGenerator(seed: seed)
        self.adam = Adam(count: policy.weights.count, learningRate: learningRate, weightDecay: weightDecay)
    }

    /// The supervised target: the oracle keywords among the candidates, without phrases sharing
    /// a word with an earlier one (the policy cannot emit those), then stop.
    public static func oracleEpisode(_ f: CandidateFeatures, reference: String, maxKeywords: Int) -> HintPolicy.Episode {
        var chosen: [Int] = []
        for phrase in OracleKeywords.extract(from: f.candidates, reference: reference) where chosen.count < maxKeywords {
            guard let i = f.candidates.firstIndex(of: phrase), !chosen.contains(where: { f.candidates[$0].overlaps(phrase) }) else { continue }
            chosen.append(i)
        }
        return HintPolicy.Episode(chosen: chosen, stoppedByChoice: chosen.count < maxKeywords, logProbabilities: [])
    }

    /// Maximum likelihood of `episodes` (one per feature set) by full-batch Adam; returns the mean
    /// log-likelihood per decision after training.
    @discardableResult
    public static func fitMaximumLikelihood(_ policy: inout HintPolicy, features: [CandidateFeatures], episodes: [HintPolicy.Episode],
                                            epochs: Int, learningRate: Double, weightDecay: Double) -> Double {
        var adam = Adam(count: policy.weights.count, learningRate: learningRate, weightDecay: weightDecay)
        let n = Double(max(features.count, 1))
        for _ in 0..<epochs {
            var gradient = [Double](repeating: 0, count: policy.weights.count)
            for (f, e) in zip(features, episodes) {
                policy.accumulateGradient(of: e, f, scales: [Double](repeating: 1 / n, count: e.chosen.count + 1), into: &gradient)
            }
            adam.ascend(&policy.weights, gradient: gradient)
        }
        var total = 0.0, decisions = 0
        for (f, e) in zip(features, episodes) {
            let lp = policy.logProbabilities(of: e, f)
            total += lp.reduce(0, +)
            decisions += lp.count
        }
        return decisions == 0 ? 0 : total / Double(decisions)
    }

    /// The supervised stage; the result becomes the KL anchor. Returns the mean log-likelihood per decision.
    @discardableResult
    public func fitSupervised(epochs: Int, learningRate: Double) -> Double {
        let ll = HintTrainer.fitMaximumLikelihood(&policy, features: features, episodes: targets, epochs: epochs,
                                                  learningRate: learningRate, weightDecay: weightDecay)
        supervised = policy
        return ll
    }

    /// Samples ``hintsPerInput`` hints for each input of `batch` from the current policy.
    public func sample(_ batch: [Int]) -> [[HintPolicy.Episode]] {
        batch.map { i in (0..<hintsPerInput).map { _ in policy.sample(features[i], using: &rng) } }
    }

    /// Completes rollouts: keyword rewards and KL penalty for sampled hints with their generation rewards.
    public func rollouts(_ batch: [Int], _ episodes: [[HintPolicy.Episode]], generation: [[Double]]) -> [Rollout] {
        var out: [Rollout] = []
        for (b, i) in batch.enumerated() {
            for (e, g) in zip(episodes[b], generation[b]) {
                let keys = e.chosen.map { features[i].candidates[$0].keys }
                let anchor = (supervised ?? policy).logProbabilities(of: e, features[i])
                out.append(Rollout(input: i, episode: e, generation: g,
                                   keywords: reward.keywordRewards(keys, referenceKeys: referenceKeys[i]),
                                   kl: reward.klPenalty(policy: e.logProbabilities, supervised: anchor)))
            }
        }
        return out
    }

    /// One REINFORCE step on `batch`: sample, score through `score`, and ascend
    /// `Σ (R_k − mean_{j≠k} R_j) ∇ log π(hint_k)` over each input's group. Returns the rollouts.
    public func reinforceStep(batch: [Int], score: ([[HintPolicy.Episode]]) throws -> [[Double]]) rethrows -> [Rollout] {
        let episodes = sample(batch)
        let done = rollouts(batch, episodes, generation: try score(episodes))
        var gradient = [Double](repeating: 0, count: policy.weights.count)
        let k = hintsPerInput
        let norm = 1 / Double(done.count)
        for start in stride(from: 0, to: done.count, by: k) {
            let group = done[start..<(start + k)]
            let sum = group.reduce(0) { $0 + $1.total }
            for r in group {
                let advantage = r.total - (sum - r.total) / Double(k - 1)
                let decisions = r.episode.logProbabilities.count
                policy.accumulateGradient(of: r.episode, features[r.input], scales: [Double](repeating: advantage * norm, count: decisions), into: &gradient)
            }
        }
        adam.ascend(&policy.weights, gradient: gradient)
        return done
    }

    /// One best-of-N step: sample N hints per input, score them, remember each input's best (by
    /// generation + keyword reward), and refit the supervised policy on the best hints so far
    /// (inputs without one keep their oracle target). Returns the rollouts.
    public func bestOfNStep(batch: [Int], epochs: Int, learningRate: Double, score: ([[HintPolicy.Episode]]) throws -> [[Double]]) rethrows -> [Rollout] {
        let episodes = sample(batch)
        let done = rollouts(batch, episodes, generation: try score(episodes))
        for r in done where (bestHints[r.input]?.reward ?? -.infinity) < r.generation + r.keywords {
            bestHints[r.input] = (r.episode, r.generation + r.keywords)
        }
        var refit = supervised ?? policy
        let chosen = features.indices.map { bestHints[$0]?.episode ?? targets[$0] }
        HintTrainer.fitMaximumLikelihood(&refit, features: features, episodes: chosen, epochs: epochs, learningRate: learningRate, weightDecay: weightDecay)
        policy = refit
        return done
    }
}
