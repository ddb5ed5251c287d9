import HoneSDK
import XCTest
@testable import HonePluginRLPrompt

final class TrainingMechanicsTests: XCTestCase {
    func testClippingScalesToTheMaximumNorm() {
        var g: [Double] = [3, 4]
        let norm = GradientClipping.clip(&g, maxNorm: 1)
        XCTAssertEqual(norm, 5)
        XCTAssertEqual(g[0], 0.6, accuracy: 1e-6)
        XCTAssertEqual(g[1], 0.8, accuracy: 1e-6)
        var small: [Double] = [0.3, 0.4]
        GradientClipping.clip(&small, maxNorm: 1)
        XCTAssertEqual(small, [0.3, 0.4])
    }

    func testAdamFirstStepMovesEachWeightByTheLearningRate() {
        var adam = Adam(parameterCount: 2, learningRate: 0.1)
        var p: [Double] = [1, 1]
        adam.update(&p, gradient: [2, -0.001])
        XCTAssertEqual(p[0], 0.9, accuracy: 1e-6)
        XCTAssertEqual(p[1], 1.1, accuracy: 1e-4)
    }

    func testPolyakAveragingMovesTheTargetByTheRate() {
        let shape = PolicyShape(vocabularySize: 2, promptLength: 1, embeddingSize: 1, hiddenSize: 1)
        var target = PromptPolicy(shape: shape, parameters: [Double](repeating: 0, count: shape.parameterCount))
        let online = PromptPolicy(shape: shape, parameters: [Double](repeating: 10, count: shape.parameterCount))
        target.polyakUpdate(toward: online, rate: 0.001)
        XCTAssertTrue(target.parameters.allSatisfy { abs($0 - 0.01) < 1e-12 })
    }

    func testCheckpointRoundTripRestoresNetworkOptimizerAndRandomState() throws {
        var config = RLPromptConfig()
        config.embeddingSize = 4
        config.hiddenSize = 5
        config.promptsPerStep = 4
        let vocabulary = Vocabulary(tokens: (0..<20).map { "t\($0)" })
        let trainer = SoftQTrainer(config: config, vocabularySize: 20, seed: 3)
        let samples = trainer.samplePrompts()
        trainer.update(samples: samples, rawRewards: [1, 2, 3, 4])
        var progress = RunProgress()
        progress.best = .init(actions: [1, 2, 3, 4, 5], text: "t1 t2 t3 t4 t5", devScore: 0.5, devReward: 3, step: 1)
        progress.devResults["t1 t2 t3 t4 t5"] = progress.best
        progress.curve = [["step": 1, "mean_reward": 2.5]]
        let fingerprint = TrainingCheckpoint.fingerprint(config: config, vocabulary: vocabulary, seed: 3)
        let document = try JSONValue(parsing: TrainingCheckpoint.encode(trainer: trainer, progress: progress, fingerprint: fingerprint).serialized())

        let restored = SoftQTrainer(config: config, vocabularySize: 20, seed: 99)
        let restoredProgress = try TrainingCheckpoint.restore(document, into: restored, fingerprint: fingerprint)
        XCTAssertEqual(restored.policy.parameters, trainer.policy.parameters)
        XCTAssertEqual(restored.target.parameters, trainer.target.parameters)
        XCTAssertEqual(restored.adam.secondMoment, trainer.adam.secondMoment)
        XCTAssertEqual(restored.step, 1)
        XCTAssertEqual(restored.samplePrompts().map(\.actions), trainer.samplePrompts().map(\.actions))
        XCTAssertEqual(restoredProgress.best, progress.best)
        XCTAssertEqual(restoredProgress.curve, progress.curve)
    }

    func testCheckpointOfOtherSettingsIsRefused() throws {
        let config = RLPromptConfig()
        let vocabulary = Vocabulary(tokens: ["a", "b", "c"])
        let trainer = SoftQTrainer(config: config, vocabularySize: 3, seed: 1)
        let document = TrainingCheckpoint.encode(trainer: trainer, progress: RunProgress(),
                                                 fingerprint: TrainingCheckpoint.fingerprint(config: config, vocabulary: vocabulary, seed: 1))
        let other = TrainingCheckpoint.fingerprint(config: config, vocabulary: vocabulary, seed: 2)
        XCTAssertThrowsError(try TrainingCheckpoint.restore(document, into: trainer, fingerprint: other))
    }
}
