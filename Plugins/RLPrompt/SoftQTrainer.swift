import HoneSDK
/// The learning half of RLPrompt, without any I/O: samples prompts from the policy and
/// updates it from their rewards by soft Q-learning with a Polyak-averaged target network.
///
/// One training step, in the reference code's order:
/// 1. ``samplePrompts()``: `prompts_per_step` prompts by top-k sampling (on-policy);
/// 2. the caller scores them and computes each prompt's raw reward (``GapReward``);
/// 3. ``update(samples:rawRewards:)``: Polyak step of the target network, z-score and scale
///    the rewards, soft Q-learning loss (``SoftQLoss``), backward pass, gradient clipping, Adam.
public final class SoftQTrainer {
    /// The hyperparameters.
    public let config: RLPromptConfig
    /// How raw rewards become the learner's rewards.
    public let reward: GapReward
    /// The policy being trained (its logits are the online soft Q-values).
    public internal(set) var policy: PromptPolicy
    /// The slowly moving copy the loss takes its targets from.
    public internal(set) var target: PromptPolicy
    /// The optimizer state.
    public internal(set) var adam: Adam
    /// The source of every random choice after initialization.
    public internal(set) var generator: SeededGenerator
    /// Updates taken so far.
    public internal(set) var step: Int

    /// What one update did.
    public struct StepStats: Sendable {
        /// Mean raw (unshaped) reward of the step's prompts.
        public var meanReward: Double
        /// Largest raw reward of the step's prompts.
        public var maxReward: Double
        /// The soft Q-learning loss before the update.
        public var loss: Double
        /// The gradient's L2 norm before clipping.
        public var gradientNorm: Double
    }

    /// Creates a trainer with a freshly initialized policy for `vocabularySize` tokens, its
    /// logits read through `tokenFeatures` (``TokenFeatures``) when given.
    public init(config: RLPromptConfig, vocabularySize: Int, seed: UInt64, tokenFeatures: (values: [Double], dimension: Int)? = nil) {
        self.config = config
        reward = GapReward(correctCoefficient: config.correctCoefficient, incorrectCoefficient: config.incorrectCoefficient,
                           zScore: config.rewardZScore, shapingScale: config.rewardScale)
        var generator = SeededGenerator(seed: seed)
        let shape = PolicyShape(vocabularySize: vocabularySize, promptLength: config.promptLength,
                                embeddingSize: config.embeddingSize, hiddenSize: config.hiddenSize,
                                featureSize: tokenFeatures?.dimension ?? 0)
        policy = PromptPolicy(shape: shape, outputScale: config.outputInitScale, features: tokenFeatures?.values ?? [], generator: &generator)
        target = policy
        adam = Adam(parameterCount: shape.parameterCount, learningRate: config.learningRate)
        self.generator = generator
        step = 0
    }

    /// Samples `prompts_per_step` prompts with top-k sampling.
    public func samplePrompts() -> [PolicyTrace] {
        (0..<config.promptsPerStep).map { _ in policy.sample(topK: config.topK, generator: &generator) }
    }

    /// The greedy prompt of the current policy.
    public func greedyPrompt() -> [Int] {
        policy.greedy().actions
    }

    /// Draws `count` distinct indices below `total` (a training mini-batch), sorted.
    public func drawBatch(count: Int, from total: Int) -> [Int] {
        var pool = Array(0..<total)
        let n = min(count, total)
        for i in 0..<n {
            let j = i + Int(generator.next() % UInt64(total - i))
            pool.swapAt(i, j)
        }
        return Array(pool[0..<n]).sorted()
    }

    /// One soft Q-learning update from the raw rewards of `samples` (one reward per sample).
    @discardableResult
    public func update(samples: [PolicyTrace], rawRewards: [Double]) -> StepStats {
        precondition(samples.count == rawRewards.count, "one reward per sampled prompt")
        target.polyakUpdate(toward: policy, rate: config.targetUpdateRate)
        let targetLogits = samples.map { target.forward($0.actions).logits }
        let shaped = reward.shaped(rawRewards)
        let result = SoftQLoss.evaluate(online: samples, targetLogits: targetLogits, rewards: shaped,
                                        vocabularySize: policy.shape.vocabularySize,
                                        valueOffset: config.valueOffset.perPosition(vocabularySize: policy.shape.vocabularySize))
        var gradient = [Double](repeating: 0, count: policy.shape.parameterCount)
        for (trace, logitGradient) in zip(samples, result.logitGradients) {
            policy.backward(trace, logitGradients: logitGradient, into: &gradient)
        }
        let norm = GradientClipping.clip(&gradient, maxNorm: config.gradientClipNorm)
        adam.update(&policy.parameters, gradient: gradient)
        step += 1
        let mean = rawRewards.isEmpty ? 0 : rawRewards.reduce(0, +) / Double(rawRewards.count)
        return StepStats(meanReward: mean, maxReward: rawRewards.max() ?? 0, loss: result.loss, gradientNorm: norm)
    }
}
