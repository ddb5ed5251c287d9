/// DSP's reward for one sampled hint on one input (Li et al., 2023, §3.2):
/// `scale · mean(ROUGE-1, ROUGE-2, ROUGE-L F)` of the generator's output (averaged over its
/// samples by the host), plus a step reward per keyword (`keywordReward` when the keyword occurs
/// in the reference, `-keywordPenalty` otherwise), minus `klCoefficient` times the sampled KL
/// estimate `Σ_t (log π(a_t) − log π_sup(a_t))` to the supervised policy.
public struct HintReward: Sendable, Equatable {
    /// Factor on the mean ROUGE F (paper: 10).
    public var scale: Double
    /// Step reward of a keyword found in the reference (paper: 1).
    public var keywordReward: Double
    /// Penalty of a keyword not in the reference (paper: 0.2).
    public var keywordPenalty: Double
    /// Weight of the KL penalty to the supervised policy.
    public var klCoefficient: Double

    /// Creates the reward.
    public init(scale: Double = 10, keywordReward: Double = 1, keywordPenalty: Double = 0.2, klCoefficient: Double = 0.05) {
        self.scale = scale
        self.keywordReward = keywordReward
        self.keywordPenalty = keywordPenalty
        self.klCoefficient = klCoefficient
    }

    /// `scale · mean(rouge1, rouge2, rougeL)` from an evaluate outcome's `scores`.
    /// - Throws: ``PluginError`` when a score is missing (the host's evaluator is not ROUGE's).
    public func generationReward(_ scores: [String: Double]) throws -> Double {
        let names = ["rouge1", "rouge2", "rougeL"]
        let values = names.compactMap { scores[$0] }
        guard values.count == names.count else {
            throw PluginError.invalidArgument("org.hone.dsp: the evaluate outcome has no \(names.filter { scores[$0] == nil }.joined(separator: ", ")) score; DSP needs a generation task (its outcomes carry ROUGE scores)")
        }
        return scale * values.reduce(0, +) / Double(values.count)
    }

    /// The summed step rewards of `keywords` (their word keys) against the reference's word keys.
    public func keywordRewards(_ keywords: [[String]], referenceKeys: [String]) -> Double {
        keywords.reduce(0) { $0 + (OracleKeywords.occurs($1, in: referenceKeys) ? keywordReward : -keywordPenalty) }
    }

    /// The KL penalty of one episode from its log-probabilities under the sampling policy and
    /// under the supervised policy.
    public func klPenalty(policy: [Double], supervised: [Double]) -> Double {
        klCoefficient * zip(policy, supervised).reduce(0) { $0 + ($1.0 - $1.1) }
    }
}

import HoneSDK
