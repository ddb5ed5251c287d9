import HoneSDK
import XCTest
@testable import HonePluginRLPrompt

final class PromptPolicyTests: XCTestCase {
    /// A policy whose logits are only its output biases, so they are known exactly.
    func policy(biases: [Double], length: Int = 3) -> PromptPolicy {
        let shape = PolicyShape(vocabularySize: biases.count, promptLength: length, embeddingSize: 2, hiddenSize: 3)
        var parameters = [Double](repeating: 0, count: shape.parameterCount)
        for (i, b) in biases.enumerated() { parameters[shape.outputBiases + i] = b }
        return PromptPolicy(shape: shape, parameters: parameters)
    }

    func testSamplingNeverLeavesTheTopK() {
        let biases: [Double] = [0.1, 2.0, -1.0, 1.5, 1.9, 0.0, -3.0, 1.0]
        let p = policy(biases: biases)
        var generator = SeededGenerator(seed: 5)
        var seen = Set<Int>()
        for _ in 0..<400 { seen.formUnion(p.sample(topK: 3, generator: &generator).actions) }
        XCTAssertEqual(seen, [1, 4, 3])
    }

    func testTopOneSamplingIsGreedy() {
        let p = policy(biases: [0.3, -1, 0.9, 0.2])
        var generator = SeededGenerator(seed: 9)
        XCTAssertEqual(p.sample(topK: 1, generator: &generator).actions, [2, 2, 2])
        XCTAssertEqual(p.greedy().actions, [2, 2, 2])
    }

    func testSamplingFrequenciesFollowTheSoftmaxWithinTheTopK() {
        // Top-2 of [log 3, log 1, -5]: tokens 0 and 1 with probabilities 3/4 and 1/4.
        let p = policy(biases: [log(3), 0, -5], length: 1)
        var generator = SeededGenerator(seed: 2)
        var zeros = 0
        let n = 4000
        for _ in 0..<n where p.sample(topK: 2, generator: &generator).actions == [0] { zeros += 1 }
        XCTAssertEqual(Double(zeros) / Double(n), 0.75, accuracy: 0.03)
    }

    func testTopIndicesAreOrderedAndBreakTiesTowardLowerIndex() {
        let logits: [Double] = [1, 3, 3, 0, 2]
        logits.withUnsafeBufferPointer { buffer in
            XCTAssertEqual(PromptPolicy.topIndices(buffer, k: 3), [1, 2, 4])
            XCTAssertEqual(PromptPolicy.topIndices(buffer, k: 10), [1, 2, 4, 0, 3])
        }
    }

    func testUntrainedPolicyIsNearUniform() {
        var generator = SeededGenerator(seed: 4)
        let shape = PolicyShape(vocabularySize: 500, promptLength: 5, embeddingSize: 8, hiddenSize: 16)
        let p = PromptPolicy(shape: shape, generator: &generator)
        let logits = p.forward([0, 1, 2, 3, 4]).logits
        XCTAssertLessThan(logits.map(abs).max()!, 0.1)
    }
}
