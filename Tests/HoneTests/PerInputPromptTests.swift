import CHoneABI
import Foundation
import HoneSDK
import XCTest

@testable import Hone

/// A plugin may send per-input prompts in `evaluate` during search: each example is scored
/// with its own `{prompt}` text, exactly as if each were a text prompt of its own.
final class PerInputPromptTests: XCTestCase {
    func testPerInputTextsScoreEachExampleWithItsOwnPrompt() throws {
        let stage = HashStage(pluginID: "org.hone.test")
        let texts = ["alpha", "beta", "gamma", "delta"]
        let rendered = PromptArtifact(kind: .rendered, text: "x", method: "org.hone.test", methodVersion: "1.0.0", perInput: texts)
        let response = try stage.context.evaluate(EvaluateRequest(prompts: [rendered], split: .dev, details: true))
        XCTAssertEqual(response.budget.usedCalls, 4)
        for (k, text) in texts.enumerated() {
            let single = try stage.evaluator.evaluate([PromptArtifact(text: text)], on: [(index: k, example: TinyReviewTask.dev[k])], details: true)[0]
            XCTAssertEqual(response.results[0].examples?[k].probabilities, single.examples?[0].probabilities, "example \(k)")
        }
    }

    func testPerInputTextsOfTheWrongCountAreRefusedBeforeAnythingIsCharged() throws {
        let stage = HashStage(pluginID: "org.hone.test")
        let rendered = PromptArtifact(kind: .rendered, text: "x", method: "org.hone.test", methodVersion: "1.0.0", perInput: ["only one"])
        XCTAssertThrowsError(try stage.context.evaluate(EvaluateRequest(prompts: [rendered], split: .dev, indices: [0, 1]))) { error in
            XCTAssertEqual((error as? PluginError)?.status, Int32(HONE_ERR_INVALID_ARGUMENT))
            XCTAssertTrue("\(error)".contains("per_input has 1 texts for 2 requested examples"), "\(error)")
        }
        XCTAssertEqual(stage.context.usedCalls, 0)
    }

    func testARenderedArtifactWithoutPerInputTextsOrARendererIsRefused() throws {
        let stage = HashStage(pluginID: "org.hone.test")
        let rendered = PromptArtifact(kind: .rendered, text: "x", method: "org.hone.test", methodVersion: "1.0.0")
        XCTAssertThrowsError(try stage.context.evaluate(EvaluateRequest(prompts: [rendered], split: .dev))) { error in
            XCTAssertTrue("\(error)".contains("rendered artifact of org.hone.test"), "\(error)")
        }
    }
}
