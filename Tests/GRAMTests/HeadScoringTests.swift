import HoneSDK
import XCTest
@testable import HonePluginGRAMCore

/// The plugin's head scoring is the host's formula, and an artifact scores as the plugin did.
final class HeadScoringTests: XCTestCase {
    func testHeadScoringEqualsTheFormulaOnHandMadeVectors() {
        // q = (1, 0), shift (0, 1): q' = (1, 1)/√2. Class vectors (2, 0) and (0, 3) normalize to
        // (1, 0) and (0, 1): both cosines are 1/√2. T = 0.5, bias (0, 1):
        // logits (√2, √2 + 1), p = softmax = (1/(1+e), e/(1+e)).
        let head = EmbeddingHead(space: GRAMOptimizer.defaultSpace, dimension: 2, classVectors: [[2, 0], [0, 3]],
                                 queryShift: [0, 1], logitBias: [0, 1], temperature: 0.5)
        let p = HeadScoring.probabilities(head: head, queries: [[1, 0]])
        let e = exp(1.0)
        XCTAssertEqual(p[0][0], 1 / (1 + e), accuracy: 1e-12)
        XCTAssertEqual(p[0][1], e / (1 + e), accuracy: 1e-12)
        // Without shift, bias or temperature (the default 0.01): q = (0.6, 0.8) against the same
        // classes: logits (60, 80), p[1] = 1/(1 + e^-20).
        let plain = EmbeddingHead(space: GRAMOptimizer.defaultSpace, dimension: 2, classVectors: [[2, 0], [0, 3]])
        let q = HeadScoring.probabilities(head: plain, queries: [[0.6, 0.8]])
        XCTAssertEqual(q[0][1], 1 / (1 + exp(-20.0)), accuracy: 1e-12)
        XCTAssertEqual(HeadScoring.predictions(head: plain, queries: [[0.6, 0.8], [0.9, 0.1]]), [1, 0])
    }

    func testTheArtifactScoresExactlyAsThePluginsOwnHeadDoes() throws {
        var family = SyntheticFamily(dimension: 10, seed: 17)
        let problem = family.task(classes: 5, perClass: 3)
        let layout = ParameterLayout(dimension: 10, rank: 3)
        let head = SoftPromptHead(layout: layout, temperature: 0.01)
        var g = SeededGenerator(seed: 4)
        let theta = (0..<layout.count).map { _ in 0.1 * g.nextGaussian() }
        let artifact = GRAMOptimizer.artifact(theta: theta, head: head, classBase: problem.classBase,
                                              space: EmbeddingSpace(backend: "e5", model: "multilingual-e5-small"), text: "Topic:")
        // Through the wire, as the host will read it.
        let decoded = try Wire.decode(PromptArtifact.self, from: try Wire.encode(artifact))
        XCTAssertEqual(decoded.kind, .embeddingHead)
        XCTAssertEqual(decoded.method, "org.hone.gram")
        let embeddingHead = try XCTUnwrap(decoded.head)
        XCTAssertNil(embeddingHead.problem(labelCount: 5))
        let hostSide = HeadScoring.probabilities(head: embeddingHead, queries: problem.queries)
        let pluginSide = head.evaluate(theta, on: problem, gradient: false).probabilities
        for (a, b) in zip(hostSide, pluginSide) {
            for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: 1e-9) }
        }
    }
}
