import HoneSDK

/// What a run has learned about its prompts so far, apart from the network: the best prompt
/// on dev, the learning curve, and the dev scores already paid for.
public struct RunProgress: Sendable, Equatable {
    /// A prompt scored on dev.
    public struct Candidate: Sendable, Equatable {
        /// Its tokens (vocabulary indices).
        public var actions: [Int]
        /// Its text.
        public var text: String
        /// The task metric on dev.
        public var devScore: Double
        /// Mean gap reward on dev: breaks ties of ``devScore`` (small dev sets tie often).
        public var devReward: Double
        /// The training step after which it was the greedy prompt.
        public var step: Int

        /// Whether this candidate should replace `other` as the best: higher dev score, then higher dev reward.
        public func beats(_ other: Candidate?) -> Bool {
            guard let other else { return true }
            if devScore != other.devScore { return devScore > other.devScore }
            return devReward > other.devReward
        }
    }

    /// The best prompt on dev so far.
    public var best: Candidate?
    /// The best sampled training prompt by raw reward: the fallback when no dev evaluation happened.
    public var bestTrain: (actions: [Int], reward: Double)?
    /// The best sampled training prompt since the last selection evaluation (a dev candidate
    /// with `select_from` = greedy_and_best_sampled).
    public var recentBestSample: (actions: [Int], reward: Double)?
    /// One point per training step: `{"step", "mean_reward", "max_reward", "best_dev", "calls_used"}`.
    public var curve: [JSONValue] = []
    /// Dev results by prompt text, so a greedy prompt seen before is not paid for twice.
    public var devResults: [String: Candidate] = [:]

    /// Creates an empty progress record.
    public init() {}

    /// Records a sampled training prompt's raw reward.
    public mutating func noteTraining(actions: [Int], reward: Double) {
        if bestTrain == nil || reward > bestTrain!.reward { bestTrain = (actions, reward) }
        if recentBestSample == nil || reward > recentBestSample!.reward { recentBestSample = (actions, reward) }
    }

    /// Whether two records hold the same prompts, scores and curve.
    public static func == (lhs: RunProgress, rhs: RunProgress) -> Bool {
        lhs.best == rhs.best && lhs.curve == rhs.curve && lhs.devResults == rhs.devResults
            && lhs.bestTrain?.actions == rhs.bestTrain?.actions && lhs.bestTrain?.reward == rhs.bestTrain?.reward
            && lhs.recentBestSample?.actions == rhs.recentBestSample?.actions && lhs.recentBestSample?.reward == rhs.recentBestSample?.reward
    }
}
