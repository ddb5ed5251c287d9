import HoneSDK

/// RLPrompt's reward for few-shot classification, as in the paper and its reference code.
///
/// Per example, from the backend's distribution `p` over the labels:
/// `gap = p[correct] - max over other labels of p`; the example's reward is
/// `correctCoefficient * gap` when the gap is positive (the prediction is right) and
/// `incorrectCoefficient * gap` otherwise. A prompt's reward is the mean over the examples
/// it was scored on. Before the soft Q-learning update the rewards of the prompts sampled in
/// one step are z-scored across those prompts and multiplied by ``shapingScale``.
public struct GapReward: Sendable, Equatable {
    /// Scale of the gap for correctly classified examples (the paper's lambda_2 = 200).
    public var correctCoefficient: Double
    /// Scale of the gap for misclassified examples (the paper's lambda_1 = 180).
    public var incorrectCoefficient: Double
    /// Whether to z-score the rewards of one step's prompts (the paper does).
    public var zScore: Bool
    /// Factor applied after the z-score (the reference code's shaping to [0, 5]: x5).
    public var shapingScale: Double

    /// Creates the reward with the paper's constants unless told otherwise.
    public init(correctCoefficient: Double = 200, incorrectCoefficient: Double = 180, zScore: Bool = true, shapingScale: Double = 5) {
        self.correctCoefficient = correctCoefficient
        self.incorrectCoefficient = incorrectCoefficient
        self.zScore = zScore
        self.shapingScale = shapingScale
    }

    /// The reward of one example: the scaled gap between the gold label's probability and the
    /// largest probability of another label.
    ///
    /// Ties count as wrong (gap 0 gives reward 0 either way), as in the reference code.
    public func exampleReward(probabilities p: [Double], label: Int) -> Double {
        precondition(p.indices.contains(label), "label \(label) outside the \(p.count) probabilities")
        var other = -Double.infinity
        for (i, value) in p.enumerated() where i != label { other = max(other, value) }
        if other == -Double.infinity { other = 0 }
        let gap = p[label] - other
        return gap > 0 ? correctCoefficient * gap : incorrectCoefficient * gap
    }

    /// A prompt's reward: the mean example reward over its scored examples (0 when none).
    public func promptReward(_ outcomes: [ExampleOutcome]) -> Double {
        guard !outcomes.isEmpty else { return 0 }
        var total = 0.0
        for o in outcomes { total += exampleReward(probabilities: o.probabilities, label: o.label) }
        return total / Double(outcomes.count)
    }

    /// The rewards the learner sees: z-scored across one step's prompts (population standard
    /// deviation plus 1e-4, as the reference code computes it), then multiplied by ``shapingScale``.
    public func shaped(_ rewards: [Double]) -> [Double] {
        guard zScore, !rewards.isEmpty else { return rewards.map { $0 * shapingScale } }
        let mean = rewards.reduce(0, +) / Double(rewards.count)
        let variance = rewards.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(rewards.count)
        let std = variance.squareRoot()
        return rewards.map { ($0 - mean) / (std + 1e-4) * shapingScale }
    }
}
