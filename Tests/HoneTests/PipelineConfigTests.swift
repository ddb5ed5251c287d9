import HoneSDK
import XCTest

@testable import Hone

/// Malformed pipeline configs: each error names the exact JSON path and what was expected.
final class PipelineConfigTests: XCTestCase {
    /// A valid config, as JSON text, that each test breaks in one place.
    static let valid = """
        {
          "name": "t", "seed": 3,
          "task": {
            "dataset": {"format": "tsv", "train": "a.tsv", "dev": "b.tsv", "test": "c.tsv"},
            "template": "{prompt} {input}",
            "labels": [{"name": "0", "verbalizer": "bad"}, {"name": "1", "verbalizer": "good"}],
            "metric": "accuracy"
          },
          "backend": {"type": "e5", "temperature": 0.01},
          "stages": [{"plugin": "org.hone.random-search", "config": {"rounds": 2}, "budget": {"calls": 100}}]
        }
        """

    private func mutate(_ body: (inout [String: JSONValue]) -> Void) throws -> JSONValue {
        guard case .object(var root) = try JSONValue(parsing: PipelineConfigTests.valid) else { fatalError() }
        body(&root)
        return .object(root)
    }

    private func assertError(_ json: JSONValue, path: String, contains fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try PipelineConfig(json: json, baseDirectory: "/data"), file: file, line: line) { error in
            guard let error = error as? ConfigError else { return XCTFail("not a ConfigError: \(error)", file: file, line: line) }
            XCTAssertEqual(error.path, path, file: file, line: line)
            XCTAssertTrue(error.message.contains(fragment), "message: \(error.message)", file: file, line: line)
        }
    }

    private func setTask(_ key: String, _ value: JSONValue?) throws -> JSONValue {
        try mutate { root in
            guard case .object(var task) = root["task"]! else { return }
            task[key] = value
            root["task"] = .object(task)
        }
    }

    func testValidConfigParsesWithPathsResolvedAgainstTheFileFolder() throws {
        let config = try PipelineConfig(json: try JSONValue(parsing: PipelineConfigTests.valid), baseDirectory: "/data")
        XCTAssertEqual(config.task.dataset.train, "/data/a.tsv")
        XCTAssertEqual(config.task.labels.map(\.verbalizer), ["bad", "good"])
        XCTAssertEqual(config.stages[0].budgetCalls, 100)
        XCTAssertEqual(config.backend.temperature, 0.01)
    }

    func testRejectsANonObjectRoot() {
        assertError(.array([]), path: "$", contains: "expected an object, found array")
    }

    func testRejectsAnUnknownTopLevelKey() throws {
        assertError(try mutate { $0["stagse"] = .array([]) }, path: "$.stagse", contains: "unknown key \"stagse\"")
    }

    func testRejectsAMissingTask() throws {
        assertError(try mutate { $0["task"] = nil }, path: "$.task", contains: "missing required member")
    }

    func testRejectsASeedOfTheWrongType() throws {
        assertError(try mutate { $0["seed"] = "13" }, path: "$.seed", contains: "expected an integer, found string")
    }

    func testRejectsANegativeSeed() throws {
        assertError(try mutate { $0["seed"] = -1 }, path: "$.seed", contains: "out of range")
    }

    func testRejectsAnUnknownDatasetFormat() throws {
        let json = try setTask("dataset", ["format": "parquet", "train": "a", "dev": "b", "test": "c"])
        assertError(json, path: "$.task.dataset.format", contains: "unknown value \"parquet\"")
    }

    func testRejectsAMissingTestFile() throws {
        let json = try setTask("dataset", ["train": "a", "dev": "b"])
        assertError(json, path: "$.task.dataset.test", contains: "missing required member; expected a string")
    }

    func testRejectsATemplateWithoutTheInputSlot() throws {
        assertError(try setTask("template", "{prompt}"), path: "$.task.template", contains: "{input}")
    }

    func testRejectsATemplateWithoutThePromptSlot() throws {
        assertError(try setTask("template", "Review: {input}"), path: "$.task.template", contains: "{prompt}")
    }

    func testRejectsAVerbalizerOfTheWrongType() throws {
        let json = try setTask("labels", [["name": "0", "verbalizer": "bad"], ["name": "1", "verbalizer": 5]])
        assertError(json, path: "$.task.labels[1].verbalizer", contains: "expected a string, found integer")
    }

    func testRejectsAnUnknownKeyInsideALabel() throws {
        let json = try setTask("labels", [["name": "0"], ["name": "1", "verbaliser": "good"]])
        assertError(json, path: "$.task.labels[1].verbaliser", contains: "unknown key")
    }

    func testRejectsDuplicateLabelNames() throws {
        let json = try setTask("labels", [["name": "0"], ["name": "0"]])
        assertError(json, path: "$.task.labels[1].name", contains: "duplicate label name")
    }

    func testRejectsASingleLabel() throws {
        assertError(try setTask("labels", [["name": "0"]]), path: "$.task.labels", contains: "at least 2 labels")
    }

    func testRejectsAnUnknownMetric() throws {
        assertError(try setTask("metric", "bleu-9"), path: "$.task.metric", contains: "unknown metric \"bleu-9\"")
    }

    func testRejectsAGenerationMetricForALabelledTask() throws {
        assertError(try setTask("metric", "rougeL"), path: "$.task.metric", contains: "classifies")
    }

    func testRejectsANullLabelThatIsNotALabel() throws {
        assertError(try setTask("metric", ["type": "micro_f1", "null_label": "Other"]), path: "$.task.metric.null_label", contains: "not among the task's labels")
    }

    func testRejectsAnUnknownBackendType() throws {
        assertError(try mutate { $0["backend"] = ["type": "gpt-local"] }, path: "$.backend.type", contains: "unknown value \"gpt-local\"")
    }

    func testRejectsANonPositiveTemperature() throws {
        assertError(try mutate { $0["backend"] = ["type": "e5", "temperature": 0] }, path: "$.backend.temperature", contains: "out of range")
    }

    func testRejectsEmptyStages() throws {
        assertError(try mutate { $0["stages"] = .array([]) }, path: "$.stages", contains: "non-empty array")
    }

    func testRejectsAStageWithoutAPlugin() throws {
        assertError(try mutate { $0["stages"] = [["config": [:]]] }, path: "$.stages[0].plugin", contains: "missing required member")
    }

    func testRejectsAStageConfigThatIsNotAnObject() throws {
        assertError(try mutate { $0["stages"] = [["plugin": "a.b", "config": [1, 2]]] }, path: "$.stages[0].config", contains: "expected an object, found array")
    }

    func testRejectsAZeroBudget() throws {
        let json = try mutate { $0["stages"] = [["plugin": "a.b"], ["plugin": "a.c", "budget": ["calls": 0]]] }
        assertError(json, path: "$.stages[1].budget.calls", contains: "out of range")
    }

    func testRejectsAnUnknownBudgetKey() throws {
        let json = try mutate { $0["stages"] = [["plugin": "a.b", "budget": ["tokens": 5]]] }
        assertError(json, path: "$.stages[0].budget.tokens", contains: "unknown key \"tokens\"")
    }

    func testReportsJSONSyntaxErrorsWithLineAndColumn() throws {
        let dir = try TestEnvironment.temporaryDirectory("config")
        let file = dir + "/broken.json"
        try "{\n  \"name\": \"x\",\n  \"seed\": 1,,\n}".write(toFile: file, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try PipelineConfig.load(file: file)) { error in
            let e = error as? ConfigError
            XCTAssertEqual(e?.file, file)
            XCTAssertEqual(e?.path, "$")
            XCTAssertTrue(e?.message.contains("line 3, column 13") ?? false, "\(error)")
        }
    }
}
