import HoneSDK
import XCTest

@testable import Hone

/// `task.type`: generation tasks read references instead of labels, take generation metrics and
/// settings, and every mix-up names its JSON path; stages read `keep_if_worse`.
final class TaskTypeConfigTests: XCTestCase {
    private func config(task: JSONValue, stage: JSONValue = ["plugin": "org.hone.random-search"]) -> JSONValue {
        ["task": task, "backend": ["type": "extractive-e5"], "stages": [stage]]
    }

    private static let dataset: JSONValue = ["format": "json-records", "file": "a.json", "input_column": "article", "label_column": "reference", "split": ["train_fraction": 0.2, "dev_fraction": 0.2]]

    private func assertError(_ json: JSONValue, path: String, contains fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try PipelineConfig(json: json, baseDirectory: "/data"), file: file, line: line) { error in
            guard let error = error as? ConfigError else { return XCTFail("not a ConfigError: \(error)", file: file, line: line) }
            XCTAssertEqual(error.path, path, file: file, line: line)
            XCTAssertTrue(error.message.contains(fragment), "message: \(error.message)", file: file, line: line)
        }
    }

    func testAGenerationTaskReadsItsMetricAndGenerationSettings() throws {
        let parsed = try PipelineConfig(json: config(task: [
            "type": "generation", "dataset": Self.dataset, "template": "{prompt}\n{input}",
            "metric": "rouge2", "generation": ["max_tokens": 80, "temperature": 0.7, "system": "You summarize.", "stop": ["\n\n"]],
        ]), baseDirectory: "/data")
        XCTAssertEqual(parsed.task.type, .generation)
        XCTAssertEqual(parsed.task.metric, "rouge2")
        XCTAssertTrue(parsed.task.labels.isEmpty)
        XCTAssertEqual(parsed.task.generation, GenerationSettings(maxTokens: 80, temperature: 0.7, system: "You summarize.", stop: ["\n\n"]))
    }

    func testAGenerationTaskDefaultsToRougeL() throws {
        let parsed = try PipelineConfig(json: config(task: ["type": "generation", "dataset": Self.dataset]), baseDirectory: "/data")
        XCTAssertEqual(parsed.task.metric, "rougeL")
        XCTAssertEqual(parsed.task.generation, GenerationSettings())
    }

    func testAGenerationTaskWithLabelsIsRefusedAtTheLabelsPath() {
        assertError(config(task: ["type": "generation", "dataset": Self.dataset, "labels": [["name": "a"], ["name": "b"]]]),
                    path: "$.task.labels", contains: "a generation task has no labels")
    }

    func testAGenerationTaskWithAClassificationMetricIsRefused() {
        assertError(config(task: ["type": "generation", "dataset": Self.dataset, "metric": "accuracy"]),
                    path: "$.task.metric", contains: "compares labels")
    }

    func testAClassificationTaskWithoutLabelsPointsAtTheGenerationType() {
        assertError(config(task: ["dataset": Self.dataset]), path: "$.task.labels", contains: "set task.type to \"generation\"")
    }

    func testAnUnknownTaskTypeIsRefused() {
        assertError(config(task: ["type": "ranking", "dataset": Self.dataset]), path: "$.task.type", contains: "generation")
    }

    func testGenerationSettingsOnAClassificationTaskAreRefused() {
        assertError(config(task: ["dataset": Self.dataset, "labels": [["name": "a"], ["name": "b"]], "generation": ["max_tokens": 10]]),
                    path: "$.task.generation", contains: "generation tasks only")
    }

    func testABadGenerationSettingNamesItsPath() {
        assertError(config(task: ["type": "generation", "dataset": Self.dataset, "generation": ["max_tokens": 0]]),
                    path: "$.task.generation.max_tokens", contains: "out of range")
    }

    func testKeepIfWorseIsReadPerStageAndDefaultsToFalse() throws {
        let task: JSONValue = ["type": "generation", "dataset": Self.dataset]
        XCTAssertFalse(try PipelineConfig(json: config(task: task), baseDirectory: "/").stages[0].keepIfWorse)
        XCTAssertTrue(try PipelineConfig(json: config(task: task, stage: ["plugin": "x.y", "keep_if_worse": true]), baseDirectory: "/").stages[0].keepIfWorse)
        assertError(config(task: task, stage: ["plugin": "x.y", "keep_if_worse": "yes"]), path: "$.stages[0].keep_if_worse", contains: "true or false")
    }
}
