import HoneSDK
import Foundation
import XCTest
@testable import HonePluginDirectionalStimulus

/// A short REINFORCE run on real articles with a synthetic generator: the "generation reward"
/// is 10 x the fraction of the reference's content words the hint's keywords cover, and
/// phrase embeddings are fixed pseudo-random vectors (no model), so the test is fast and exact.
final class ReinforceTests: XCTestCase {
    private func articles(_ count: Int) throws -> [(article: String, reference: String)] {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples/data/cnndm/cnndm_val60.json")
        let records = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as! [String: [String: String]]
        return (0..<count).map { (records["\($0)"]!["article"]!, records["\($0)"]!["reference"]!) }
    }

    private func pseudoEmbedding(_ text: String) -> [Float] {
        var rng = SeededGenerator(seed: HintArtifact.fnv1a(text))
        return (0..<8).map { _ in Float(rng.nextUnit() * 2 - 1) }
    }

    private func syntheticGeneration(_ keywords: [[String]], reference: String) -> Double {
        let content = Set(PhraseTokenizer.keys(reference).filter(TextRank.isContentWord))
        let hit = Set(keywords.flatMap { $0 }).intersection(content)
        return 10 * Double(hit.count) / Double(max(content.count, 1))
    }

    func testShortReinforceRunRaisesTrainingReward() throws {
        let data = try articles(6)
        let featurizer = HintFeaturizer(extractor: CandidateExtractor(), limit: 30) { texts, _ in texts.map(self.pseudoEmbedding) }
        let features = try featurizer.features(data.map(\.article))
        let trainer = HintTrainer(policy: HintPolicy(embeddingDimension: 8, maxKeywords: 8), features: features,
                                  references: data.map(\.reference), reward: HintReward(klCoefficient: 0.01),
                                  hintsPerInput: 4, learningRate: 0.05, weightDecay: 0, seed: 5)
        trainer.fitSupervised(epochs: 0, learningRate: 0) // the KL anchor is the initial policy
        var means: [Double] = []
        for _ in 0..<60 {
            let rollouts = trainer.reinforceStep(batch: Array(0..<6)) { groups in
                groups.enumerated().map { b, hints in
                    hints.map { e in self.syntheticGeneration(e.chosen.map { features[b].candidates[$0].keys }, reference: data[b].reference) }
                }
            }
            means.append(rollouts.reduce(0) { $0 + $1.generation + $1.keywords } / Double(rollouts.count))
        }
        let first = means.prefix(10).reduce(0, +) / 10, last = means.suffix(10).reduce(0, +) / 10
        XCTAssertGreaterThan(last, first + 0.5, "mean reward of the first 10 steps \(first), of the last 10 \(last)")
    }

    func testSupervisedStageMakesTheGreedyHintTheOracleKeywords() throws {
        let data = try articles(4)
        let featurizer = HintFeaturizer(extractor: CandidateExtractor(), limit: 30) { texts, _ in texts.map(self.pseudoEmbedding) }
        let features = try featurizer.features(data.map(\.article))
        let trainer = HintTrainer(policy: HintPolicy(embeddingDimension: 8, maxKeywords: 8), features: features,
                                  references: data.map(\.reference), reward: HintReward(), hintsPerInput: 2,
                                  learningRate: 0.05, weightDecay: 0, seed: 1)
        let before = zip(features, trainer.targets).map { trainer.policy.logProbabilities(of: $1, $0).reduce(0, +) }
        let ll = trainer.fitSupervised(epochs: 300, learningRate: 0.05)
        let after = zip(features, trainer.targets).map { trainer.policy.logProbabilities(of: $1, $0).reduce(0, +) }
        for (b, a) in zip(before, after) { XCTAssertGreaterThan(a, b) }
        XCTAssertGreaterThan(ll, -1.0, "mean log-likelihood per decision after fitting 4 inputs")
    }
}
