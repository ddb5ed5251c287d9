import HoneSDK
import XCTest
@testable import HonePluginRLPrompt

/// The per-position value offset (config `value_offset`) on a reward with a known answer.
///
/// The reward is additive over tokens: each word of the default list has a utility along one
/// direction of its shipped e5 features (standardized over the list), a prompt's reward is
/// 20 x its total utility + Gaussian noise of sd 40 (about the spread of the gap reward). With
/// 16 prompts a step, 40 steps is what a 6,000-scoring run on the embedded model affords.
final class ValueOffsetLearningTests: XCTestCase {
    private struct AdditiveTask {
        let utility: [Double]
        let features: (values: [Double], dimension: Int)

        init() throws {
            let vocabulary = Vocabulary(tokens: DefaultWordList.text.split(whereSeparator: \.isWhitespace).map(String.init))
            let features = try TokenFeatures.shipped(for: vocabulary)
            self.features = features
            let d = features.dimension, n = vocabulary.count
            var generator = SeededGenerator(seed: 77)
            let direction = (0..<d).map { _ in generator.nextGaussian() }
            let raw = (0..<n).map { i in (0..<d).reduce(0.0) { $0 + features.values[i * d + $1] * direction[$1] } }
            let mean = raw.reduce(0, +) / Double(n)
            let sd = (raw.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)).squareRoot()
            utility = raw.map { ($0 - mean) / sd }
        }

        /// Trains for `steps` steps and returns the total utility of the final greedy prompt and
        /// the mean utility of the last step's samples.
        func train(offset: RLPromptConfig.ValueOffset, steps: Int) -> (greedy: Double, sampled: Double) {
            var config = RLPromptConfig()
            config.valueOffset = offset
            let trainer = SoftQTrainer(config: config, vocabularySize: utility.count, seed: 5, tokenFeatures: features)
            var noise = SeededGenerator(seed: 9)
            var sampled = 0.0
            for _ in 0..<steps {
                let samples = trainer.samplePrompts()
                let truth = samples.map { $0.actions.reduce(0.0) { $0 + utility[$1] } }
                trainer.update(samples: samples, rawRewards: truth.map { 50 + 20 * $0 + 40 * noise.nextGaussian() })
                sampled = truth.reduce(0, +) / Double(truth.count)
            }
            return (trainer.greedyPrompt().reduce(0.0) { $0 + utility[$1] }, sampled)
        }
    }

    func testUniformOffsetLearnsAnAdditiveRewardWithinFortySteps() throws {
        let task = try AdditiveTask()
        let offset = task.train(offset: .uniform, steps: 40)
        let reference = task.train(offset: .none, steps: 40)
        // A uniform prompt has utility 0 in expectation and sd sqrt(5) = 2.2; the best is about 19.
        XCTAssertGreaterThan(offset.greedy, 10, "greedy prompt with the offset")
        XCTAssertGreaterThan(offset.sampled, 4, "mean sampled prompt with the offset")
        XCTAssertGreaterThan(offset.greedy, reference.greedy + 5, "the offset learns faster than the reference loss")
    }
}
