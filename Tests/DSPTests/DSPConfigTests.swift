import HoneSDK
import XCTest
@testable import HonePluginDirectionalStimulus

final class DSPConfigTests: XCTestCase {
    func testDefaultsAreThePapersPromptAndReward() throws {
        let config = try DSPConfig(json: [:])
        XCTAssertEqual(config.promptTemplate, PaperFewShotPrompt.cnndmHint)
        XCTAssertTrue(config.promptTemplate.hasSuffix("Keywords: [[HINT]]\nA:"))
        XCTAssertEqual(config.reward, HintReward(scale: 10, keywordReward: 1, keywordPenalty: 0.2, klCoefficient: 0.05))
    }

    func testATemplateWithoutTheHintSlotIsRefusedSayingWhereItGoes() {
        XCTAssertThrowsError(try DSPConfig(json: ["prompt_template": "Summarize."])) { error in
            XCTAssertTrue("\(error)".contains("prompt_template has no [[HINT]] slot"), "\(error)")
        }
    }

    func testUnknownKeysAndOutOfRangeValuesAreRefusedNamingTheKey() {
        XCTAssertThrowsError(try DSPConfig(json: ["steps": 3])) { XCTAssertTrue("\($0)".contains("unknown config key \"steps\""), "\($0)") }
        XCTAssertThrowsError(try DSPConfig(json: ["hints_per_input": 1])) { XCTAssertTrue("\($0)".contains("config.hints_per_input = 1.0 is below its minimum 2"), "\($0)") }
        XCTAssertThrowsError(try DSPConfig(json: ["training": "ppo"])) { XCTAssertTrue("\($0)".contains("rl, best_of_n, none"), "\($0)") }
    }

    func testArtifactDataRoundTripsAndDamagedDataIsRefused() throws {
        let data = HintArtifact(selector: .policy, policy: HintPolicy(embeddingDimension: 4, maxKeywords: 5), candidates: 20, maxWords: 2, promptTemplate: "K: [[HINT]]")
        XCTAssertEqual(try HintArtifact(json: data.json), data)
        XCTAssertThrowsError(try HintArtifact(json: ["selector": "policy", "prompt_template": "K: [[HINT]]"])) {
            XCTAssertTrue("\($0)".contains("artifact.data.weights"), "\($0)")
        }
    }
}
