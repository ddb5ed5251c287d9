import HoneSDK
import XCTest

@testable import Hone

/// A test fixture backend: scores "good"/"bad" by keyword and fails on items whose context
/// contains "FAIL", as an HTTP backend does on an example whose requests failed after retries.
private final class KeywordFixtureBackend: Backend, Sendable {
    let name = "keyword-fixture"
    let capabilities: Set<BackendCapability> = [.score]
    var usage: BackendUsage { BackendUsage() }
    func embed(_ texts: [String], role: EmbeddingRole) throws -> [[Float]] { throw BackendError.unsupported(.embed, backend: name) }
    func generate(_ requests: [GenerateRequest]) throws -> [String] { throw BackendError.unsupported(.generate, backend: name) }
    func score(_ items: [ScoreItem]) throws -> [[Double]] {
        try scoreEach(items).map { try $0.get() }
    }
    func scoreEach(_ items: [ScoreItem]) throws -> [Result<[Double], BackendError>] {
        items.map { item in
            if item.context.contains("FAIL") { return .failure(BackendError("HTTP 503 after 3 retries")) }
            return .success(item.candidates.map { item.context.contains($0) ? 0 : -2 })
        }
    }
}

/// The classification evaluator: rendering, distributions, metrics and failed examples.
final class ClassificationEvaluatorTests: XCTestCase {
    private let labels = [TaskLabel(name: "0", verbalizer: "bad"), TaskLabel(name: "1", verbalizer: "good")]

    private func examples(_ rows: [(String, String)]) -> [(index: Int, example: LabeledExample)] {
        rows.enumerated().map { (index: $0, example: LabeledExample(input: $1.0, label: $1.1)) }
    }

    func testTemplateRenderingCollapsesTheSpaceOfAnEmptyPrompt() {
        let renderer = TemplateRenderer(template: "{prompt} {input} It was")
        XCTAssertEqual(renderer.render(prompt: "", input: "a film"), "a film It was")
        XCTAssertEqual(renderer.render(prompt: "Review:", input: "a {prompt} film"), "Review: a {prompt} film It was")
    }

    func testPredictionsAreTheMostProbableLabelAndProbabilitiesSumToOne() throws {
        let evaluator = ClassificationEvaluator(backend: KeywordFixtureBackend(), template: "{prompt} {input}", labels: labels, metric: "accuracy")
        let result = try evaluator.evaluate([PromptArtifact(text: "")], on: examples([("good", "1"), ("bad", "0"), ("bad", "1")]), details: true)[0]
        XCTAssertEqual(result.score, 2.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(result.examples?.map(\.predicted), [1, 0, 0])
        XCTAssertEqual(result.examples?[0].probabilities.reduce(0, +) ?? 0, 1, accuracy: 1e-12)
        XCTAssertEqual(result.examples?[0].probabilities[1] ?? 0, 1 / (1 + exp(-2)), accuracy: 1e-12)
        XCTAssertNil(result.failed)
    }

    func testFailedExamplesAreLeftOutAndCountedWithinTheLimit() throws {
        let evaluator = ClassificationEvaluator(backend: KeywordFixtureBackend(), template: "{prompt} {input}", labels: labels, metric: "accuracy", maxFailureRate: 0.5)
        let result = try evaluator.evaluate([PromptArtifact(text: "")], on: examples([("good", "1"), ("FAIL", "0"), ("bad", "0"), ("bad", "1")]), details: true)[0]
        XCTAssertEqual(result.failed, 1)
        XCTAssertEqual(result.score, 2.0 / 3.0, accuracy: 1e-12, "the failed example is not scored as right or wrong")
        XCTAssertEqual(result.examples?.map(\.index), [0, 2, 3])
    }

    func testTooManyFailuresFailTheEvaluationWithTheBackendsMessage() {
        let evaluator = ClassificationEvaluator(backend: KeywordFixtureBackend(), template: "{prompt} {input}", labels: labels, metric: "accuracy", maxFailureRate: 0.2)
        XCTAssertThrowsError(try evaluator.evaluate([PromptArtifact(text: "")], on: examples([("FAIL", "1"), ("FAIL", "0"), ("bad", "0")]), details: false)) { error in
            XCTAssertTrue("\(error)".contains("failed on 2 of 3 items"), "\(error)")
            XCTAssertTrue("\(error)".contains("HTTP 503 after 3 retries"), "\(error)")
        }
    }

    func testMacroF1CountsEveryLabel() {
        XCTAssertEqual(ClassificationMetrics.macroF1(gold: [0, 0, 1, 1], predicted: [0, 0, 0, 1], labelCount: 2), (0.8 + 2.0 / 3.0) / 2, accuracy: 1e-12)
    }
}

import Foundation
