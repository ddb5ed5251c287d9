import HoneSDK
import XCTest

@testable import Hone
@testable import HonePluginBayesPromptCore

/// The plugin picks heads with its own copy of the host's embedding classifier; the host must
/// score a returned head exactly as the plugin did.
final class HostHeadAgreementTests: XCTestCase {
    func testThePluginsHeadClassifierGivesTheHostsLogits() throws {
        var generator = SeededGenerator(seed: 7)
        func vector(_ d: Int) -> [Double] { (0..<d).map { _ in Double.random(in: -1...1, using: &generator) } }
        let d = 16
        let head = EmbeddingHead(
            space: EmbeddingSpace(backend: "e5", model: "multilingual-e5-small"), dimension: d,
            classVectors: (0..<4).map { _ in vector(d) }, queryShift: vector(d).map { $0 * 0.3 },
            logitBias: [0.1, -0.2, 0, 0.05], temperature: 0.05)
        let queries = (0..<9).map { _ in vector(d).map(Float.init) }
        let host = try EmbeddingHeadScorer.logits(head, queries: queries, defaultTemperature: 0.01)
        let plugin = HeadClassifier(head: head, fallbackTemperature: 0.01).logits(FeatureMatrix(vectors: queries, dimension: d))
        for i in queries.indices {
            for c in 0..<4 { XCTAssertEqual(host[i][c], plugin[i * 4 + c], accuracy: 1e-9, "query \(i), label \(c)") }
        }
    }
}
