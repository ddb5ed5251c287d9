import Foundation
import HonePluginBayesPromptCore
import HoneSDK
import XCTest

/// Turning particles into prompt parts and heads.
final class PromptBuildingTests: XCTestCase {
    /// A pool of 40 2-D "sentences" in two clusters, and four k-shot examples.
    func fixture() throws -> (pool: FeatureMatrix, texts: [String], shots: FeatureMatrix, mixture: GaussianMixture) {
        var random = StageRandom(seed: 9)
        var values: [Double] = [], texts: [String] = []
        for i in 0..<40 {
            let center: [Double] = i % 2 == 0 ? [-2, 0] : [2, 1]
            values += center.map { $0 + random.unit() - 0.5 }
            texts.append("sentence \(i)")
        }
        let pool = FeatureMatrix(rows: 40, columns: 2, values: values)
        let shots = FeatureMatrix(rows: 4, columns: 2, values: [-1, 1, -0.5, 0.5, 1, -1, 0.5, 2])
        let mixture = try GaussianMixture.fit(pool, components: 2, ridge: 1e-3, seed: 1).mixture
        return (pool, texts, shots, mixture)
    }

    func parts(seed: UInt64) throws -> [PromptParts] {
        let f = try fixture()
        var random = StageRandom(seed: seed)
        let particles = DomainParticles.make(.svgd, shots: f.shots, pool: f.pool, mixture: f.mixture,
                                             transport: SteinTransport(iterations: 50, stepSize: 0.05), random: &random)
        let builder = TextPromptBuilder(poolTexts: f.texts, pool: f.pool)
        let train = [TaskExample(index: 0, input: "a", label: 0), TaskExample(index: 1, input: "b", label: 0),
                     TaskExample(index: 2, input: "c", label: 1), TaskExample(index: 3, input: "d", label: 1)]
        let labels = [TaskLabel(name: "0", verbalizer: "bad"), TaskLabel(name: "1", verbalizer: "good")]
        return particles.draws(3, count: 2, random: &random).map { draw in
            let context = builder.nearestSentences(to: particles.points.selecting(rows: draw.indices)).map { f.texts[$0] }
            let demonstrations = TextPromptBuilder.demonstrations(from: train, labels: labels, perClass: 1, random: &random)
            return PromptParts(instruction: "Classify.", context: context, demonstrations: demonstrations)
        }
    }

    func testPromptBuildingIsDeterministicUnderTheSeed() throws {
        let first = try parts(seed: 21), second = try parts(seed: 21)
        XCTAssertEqual(first, second)
        XCTAssertEqual(first.map(TextPromptBuilder.text(of:)), second.map(TextPromptBuilder.text(of:)))
        let other = try parts(seed: 22)
        XCTAssertNotEqual(first, other)
    }

    func testContextSentencesAreDistinctRealPoolSentencesNearestToTheParticles() throws {
        let f = try fixture()
        let builder = TextPromptBuilder(poolTexts: f.texts, pool: f.pool)
        // Two particles on the same spot still get two different sentences.
        let chosen = builder.nearestSentences(to: FeatureMatrix(rows: 2, columns: 2, values: [-2, 0, -2, 0]))
        XCTAssertEqual(Set(chosen).count, 2)
        XCTAssertTrue(chosen.allSatisfy { $0 % 2 == 0 }, "both from the cluster at (-2, 0): \(chosen)")
    }

    func testTextLaysOutInstructionContextAndDemonstrations() {
        let parts = PromptParts(instruction: "Pick the relation.", context: ["One.", "Two."],
                                demonstrations: [.init(input: "x y", output: "cause")])
        XCTAssertEqual(TextPromptBuilder.text(of: parts), "Pick the relation.\nContext: One. Two.\nx y => cause")
        XCTAssertEqual(TextPromptBuilder.text(of: PromptParts()), "")
    }

    func testRandomUnlabeledParticlesAreRowsOfThePool() throws {
        let f = try fixture()
        var random = StageRandom(seed: 4)
        let particles = DomainParticles.make(.randomUnlabeled, shots: f.shots, pool: f.pool, mixture: nil,
                                             transport: SteinTransport(iterations: 1, stepSize: 1), random: &random)
        XCTAssertEqual(particles.points.rows, f.shots.rows)
        let builder = TextPromptBuilder(poolTexts: f.texts, pool: f.pool)
        for row in builder.nearestSentences(to: particles.points) {
            XCTAssertTrue((0..<particles.points.rows).contains { particles.points.row($0) == f.pool.row(row) })
        }
    }
}
