import HoneSDK
import XCTest
@testable import HonePluginRLPrompt

final class SoftQLossTests: XCTestCase {
    func testHandComputedOneStepCase() {
        // T = 1, V = 2, all logits 0, action 0, reward 1:
        // A = log 0.5, V' = log 2, v2 target = 1 - log 2, v3 target the same, so each residual is -1.
        let trace = PolicyTrace(actions: [0], hidden: [], logits: [0, 0])
        let result = SoftQLoss.evaluate(online: [trace], targetLogits: [[0, 0]], rewards: [1], vocabularySize: 2)
        XCTAssertEqual(result.loss, 1, accuracy: 1e-12)
        // dL/dA = d2 + d3 = -2; dA/dq = onehot(0) - [0.5, 0.5].
        XCTAssertEqual(result.logitGradients[0][0], -1, accuracy: 1e-12)
        XCTAssertEqual(result.logitGradients[0][1], 1, accuracy: 1e-12)
    }

    func testUniformValueOffsetLeavesOnlyTheRewardInEveryResidual() {
        // T = 3, V = 4, uniform online logits, zero target logits, offset L = log 4: A[t] = -L and
        // V'[t] = L + (2 - t) L, so the v2 residuals are [0, 0, -r] and the v3 residuals [-r, -r, -r].
        let v = 4, length = 3
        let trace = PolicyTrace(actions: [0, 3, 1], hidden: [], logits: [Double](repeating: 0.7, count: v * length))
        let target = [Double](repeating: 0, count: v * length)
        let offset = RLPromptConfig.ValueOffset.uniform.perPosition(vocabularySize: v)
        XCTAssertEqual(offset, log(4), accuracy: 1e-15)
        let r = 1.5
        let result = SoftQLoss.evaluate(online: [trace], targetLogits: [target], rewards: [r], vocabularySize: v, valueOffset: offset)
        XCTAssertEqual(result.loss, (r * r + 3 * r * r) / 2, accuracy: 1e-12)
        // dL/dA[s] = d2[s] + sum_{t<=s} d3[t] = [-r, -2r, -4r]; dA/dq = onehot - 1/4.
        for (s, dA) in [-r, -2 * r, -4 * r].enumerated() {
            for i in 0..<v {
                let expected = dA * ((i == trace.actions[s] ? 1 : 0) - 0.25)
                XCTAssertEqual(result.logitGradients[0][s * v + i], expected, accuracy: 1e-12, "position \(s) token \(i)")
            }
        }
        // With no reward nothing moves; without the offset the same uniform prompt is pushed anyway.
        let zero = SoftQLoss.evaluate(online: [trace], targetLogits: [target], rewards: [0], vocabularySize: v, valueOffset: offset)
        XCTAssertEqual(zero.loss, 0, accuracy: 1e-12)
        XCTAssertTrue(zero.logitGradients[0].allSatisfy { abs($0) < 1e-12 })
        let reference = SoftQLoss.evaluate(online: [trace], targetLogits: [target], rewards: [0], vocabularySize: v)
        XCTAssertGreaterThan(reference.loss, 1)
    }

    func testLogitGradientsMatchFiniteDifferences() {
        var generator = SeededGenerator(seed: 3)
        let v = 6, t = 3
        func randomLogits() -> [Double] { (0..<(v * t)).map { _ in generator.nextGaussian() * 2 } }
        var traces = [PolicyTrace(actions: [1, 4, 0], hidden: [], logits: randomLogits()),
                      PolicyTrace(actions: [5, 5, 2], hidden: [], logits: randomLogits())]
        let targets = [randomLogits(), randomLogits()]
        let rewards = [1.7, -0.4]
        for offset in [0, log(Double(v))] {
            let analytic = SoftQLoss.evaluate(online: traces, targetLogits: targets, rewards: rewards, vocabularySize: v, valueOffset: offset)
            let h = 1e-6
            for b in 0..<traces.count {
                for i in 0..<(v * t) {
                    let saved = traces[b].logits[i]
                    traces[b].logits[i] = saved + h
                    let up = SoftQLoss.evaluate(online: traces, targetLogits: targets, rewards: rewards, vocabularySize: v, valueOffset: offset).loss
                    traces[b].logits[i] = saved - h
                    let down = SoftQLoss.evaluate(online: traces, targetLogits: targets, rewards: rewards, vocabularySize: v, valueOffset: offset).loss
                    traces[b].logits[i] = saved
                    XCTAssertEqual(analytic.logitGradients[b][i], (up - down) / (2 * h), accuracy: 1e-6, "offset \(offset) prompt \(b) logit \(i)")
                }
            }
        }
    }

    func testParameterGradientsThroughThePolicyMatchFiniteDifferences() {
        var generator = SeededGenerator(seed: 11)
        let shape = PolicyShape(vocabularySize: 7, promptLength: 3, embeddingSize: 3, hiddenSize: 4)
        // A larger output scale than the default so that every layer gets a visible gradient.
        let policy = PromptPolicy(shape: shape, outputScale: 1, generator: &generator)
        let target = PromptPolicy(shape: shape, outputScale: 1, generator: &generator)
        checkGradientsAgainstFiniteDifferences(policy, target: target, frozen: 0..<0)
    }

    func testGradientsThroughFrozenTokenFeaturesMatchFiniteDifferencesAndLeaveTheOutputLayerFrozen() {
        var generator = SeededGenerator(seed: 12)
        let shape = PolicyShape(vocabularySize: 7, promptLength: 3, embeddingSize: 3, hiddenSize: 4, featureSize: 2)
        let features = (0..<14).map { _ in generator.nextGaussian() }
        let policy = PromptPolicy(shape: shape, outputScale: 1, features: features, generator: &generator)
        let target = PromptPolicy(shape: shape, outputScale: 1, features: features, generator: &generator)
        checkGradientsAgainstFiniteDifferences(policy, target: target, frozen: shape.outputWeights..<shape.featureProjection)
    }

    /// Checks the policy's backward pass through the soft-Q loss against central differences
    /// for every trainable parameter, and that the `frozen` ones get exactly zero gradient.
    private func checkGradientsAgainstFiniteDifferences(_ start: PromptPolicy, target: PromptPolicy, frozen: Range<Int>,
                                                        file: StaticString = #filePath, line: UInt = #line) {
        var policy = start
        let shape = policy.shape
        let prompts = [[2, 0, 6], [5, 5, 1]]
        let rewards = [2.5, -1.0]
        func loss(_ p: PromptPolicy) -> Double {
            SoftQLoss.evaluate(online: prompts.map { p.forward($0) }, targetLogits: prompts.map { target.forward($0).logits },
                               rewards: rewards, vocabularySize: shape.vocabularySize).loss
        }
        let traces = prompts.map { policy.forward($0) }
        let result = SoftQLoss.evaluate(online: traces, targetLogits: prompts.map { target.forward($0).logits },
                                        rewards: rewards, vocabularySize: shape.vocabularySize)
        var gradient = [Double](repeating: 0, count: shape.parameterCount)
        for (trace, g) in zip(traces, result.logitGradients) { policy.backward(trace, logitGradients: g, into: &gradient) }
        let h = 1e-6
        for i in 0..<shape.parameterCount {
            if frozen.contains(i) {
                XCTAssertEqual(gradient[i], 0, "frozen parameter \(i)", file: file, line: line)
                continue
            }
            let saved = policy.parameters[i]
            policy.parameters[i] = saved + h
            let up = loss(policy)
            policy.parameters[i] = saved - h
            let down = loss(policy)
            policy.parameters[i] = saved
            XCTAssertEqual(gradient[i], (up - down) / (2 * h), accuracy: 1e-5 * max(1, abs(gradient[i])), "parameter \(i)",
                           file: file, line: line)
        }
    }

    func testHigherRewardRaisesTheSampledPromptsProbability() {
        // One update with a positive shaped reward for one prompt and a negative one for another
        // moves their log-probabilities apart.
        var config = RLPromptConfig()
        config.promptLength = 2
        config.promptsPerStep = 2
        config.embeddingSize = 4
        config.hiddenSize = 8
        config.learningRate = 0.05
        let trainer = SoftQTrainer(config: config, vocabularySize: 10, seed: 1)
        let good = trainer.policy.forward([1, 2]), bad = trainer.policy.forward([7, 8])
        func logProb(_ trace: PolicyTrace) -> Double {
            var total = 0.0
            trace.logits.withUnsafeBufferPointer { q in
                for t in 0..<2 {
                    let row = UnsafeBufferPointer(rebasing: q[(t * 10)..<((t + 1) * 10)])
                    total += row[trace.actions[t]] - SoftQLoss.logSumExp(row)
                }
            }
            return total
        }
        let gapBefore = logProb(good) - logProb(bad)
        trainer.update(samples: [good, bad], rawRewards: [100, -100])
        let gapAfter = logProb(trainer.policy.forward([1, 2])) - logProb(trainer.policy.forward([7, 8]))
        XCTAssertGreaterThan(gapAfter, gapBefore + 0.05)
    }
}
