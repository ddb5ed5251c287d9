import XCTest
@testable import HonePluginDirectionalStimulus

/// The greedy hint stops when stopping is more likely than continuing, not when stop beats the
/// single most likely candidate.
final class GreedyHintTests: XCTestCase {
    /// Ten one-word candidates with identical features (so equal probabilities) and orthogonal
    /// 10-dimensional embeddings (no redundancy between them).
    private func tenEqualCandidates() -> CandidateFeatures {
        let candidates = (0..<10).map { i in
            CandidatePhrase(text: "word\(i)", keys: ["word\(i)"], score: 1, frequency: 1, position: 0.5,
                            capitalized: 0, inLead: false, hasNumber: false)
        }
        let embeddings = (0..<10).map { i in (0..<10).map { $0 == i ? Float(1) : 0 } }
        return CandidateFeatures(candidates: candidates, embeddings: embeddings, inputEmbedding: [Float](repeating: 1, count: 10))
    }

    /// A policy whose candidate logits are all 0 and whose stop logit is `stop` at every step.
    private func policy(stopLogit stop: Double) -> HintPolicy {
        var weights = [Double](repeating: 0, count: CandidateFeatures.width(embeddingDimension: 10) + 3)
        weights[weights.count - 3] = stop
        return HintPolicy(weights: weights, maxKeywords: 4)
    }

    func testGreedyHintContinuesWhileStopIsLessLikelyThanAllCandidatesTogether() throws {
        // Stop logit log(3) against ten candidates at logit 0: π(stop) = 3/13 ≈ 0.23 at the first
        // step, above each candidate's 1/13 but below continuing's 10/13, so the greedy hint
        // continues; it stops only at the cap of 4 keywords (π(stop) = 3/9 at the last step).
        let features = tenEqualCandidates()
        let p = policy(stopLogit: log(3))
        let first = try XCTUnwrap(p.decision(features, staticLogits: p.staticLogits(features), chosen: []))
        XCTAssertEqual(first.probabilities.last!, 3.0 / 13, accuracy: 1e-12)
        XCTAssertGreaterThan(first.probabilities.last!, first.probabilities.dropLast().max()!)
        let greedy = p.greedy(features)
        XCTAssertEqual(greedy.chosen.count, 4)
        XCTAssertFalse(greedy.stoppedByChoice)
    }

    func testGreedyHintStopsWhenStopIsAtLeastHalfTheMass() {
        // Stop logit log(10) against ten candidates at logit 0: π(stop) = 1/2 at the first step.
        let greedy = policy(stopLogit: log(10)).greedy(tenEqualCandidates())
        XCTAssertEqual(greedy.chosen, [])
        XCTAssertTrue(greedy.stoppedByChoice)
        XCTAssertEqual(greedy.logProbabilities.count, 1)
        XCTAssertEqual(greedy.logProbabilities[0], log(0.5), accuracy: 1e-12)
    }
}
