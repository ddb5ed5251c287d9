import HoneSDK
import XCTest
@testable import HonePluginRLPrompt

final class RLPromptConfigTests: XCTestCase {
    func testEmptyConfigTakesThePapersDefaults() throws {
        let config = try RLPromptConfig(json: [:])
        XCTAssertEqual(config.promptLength, 5)
        XCTAssertEqual(config.promptsPerStep, 16)
        XCTAssertEqual(config.topK, 256)
        XCTAssertEqual(config.correctCoefficient, 200)
        XCTAssertEqual(config.incorrectCoefficient, 180)
        XCTAssertEqual(config.rewardScale, 5)
        XCTAssertEqual(config.gradientClipNorm, 5)
        XCTAssertEqual(config.targetUpdateRate, 0.001)
        XCTAssertEqual(config.selectOn, .trainAndDev)
        XCTAssertEqual(config.tokenFeatures, .auto)
        XCTAssertEqual(config.valueOffset, .uniform)
    }

    func testReadsEveryKey() throws {
        let config = try RLPromptConfig(json: ["prompt_length": 3, "learning_rate": 0.01, "vocab_source": "train_text", "reward_z_score": false])
        XCTAssertEqual(config.promptLength, 3)
        XCTAssertEqual(config.learningRate, 0.01)
        XCTAssertEqual(config.vocabSource, .trainText)
        XCTAssertFalse(config.rewardZScore)
        let selection = try RLPromptConfig(json: ["select_on": "dev", "token_features": "none"])
        XCTAssertEqual(selection.selectOn, .dev)
        XCTAssertEqual(selection.tokenFeatures, TokenFeatures.Source.none)
        XCTAssertEqual(try RLPromptConfig(json: ["value_offset": "none"]).valueOffset, RLPromptConfig.ValueOffset.none)
        XCTAssertThrowsError(try RLPromptConfig(json: ["select_on": "test"])) { error in
            XCTAssertTrue(((error as? PluginError)?.message ?? "").contains("train_and_dev"))
        }
    }

    func testRefusesUnknownKeyNamingTheKnownOnes() {
        XCTAssertThrowsError(try RLPromptConfig(json: ["promt_length": 3])) { error in
            let message = (error as? PluginError)?.message ?? ""
            XCTAssertTrue(message.contains("promt_length") && message.contains("prompt_length"), message)
        }
    }

    func testRefusesOutOfRangeValueWithItsBound() {
        XCTAssertThrowsError(try RLPromptConfig(json: ["prompts_per_step": 1])) { error in
            XCTAssertTrue(((error as? PluginError)?.message ?? "").contains("minimum"))
        }
    }

    func testRefusesFileSourceWithoutAFile() {
        XCTAssertThrowsError(try RLPromptConfig(json: ["vocab_source": "file"]))
    }

    func testSchemaListsEveryKeyWithADefaultAndForbidsOthers() {
        let schema = RLPromptConfig.schema
        XCTAssertEqual(schema["additionalProperties"], false)
        let properties = schema["properties"]?.objectValue ?? [:]
        XCTAssertEqual(properties.count, 24)
        for (key, property) in properties where key != "vocab_file" {
            XCTAssertNotNil(property["default"], key)
        }
        let allowed: Set<String> = ["type", "minimum", "maximum", "enum", "default"]
        for (key, property) in properties {
            XCTAssertTrue(Set(property.objectValue?.keys.map { $0 } ?? []).isSubset(of: allowed), key)
        }
    }
}
