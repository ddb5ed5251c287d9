import Foundation
import HoneSDK
import Logging
import XCTest

@testable import Hone

/// The run ledger, resuming, the run report and the prompt export, in-process: the built-in random search (the C
/// plugin, through the real loader and host table) on the deterministic hash-scoring backend.
final class RunLedgerTests: XCTestCase {
    private static let labels = TinyReviewTask.labels
    private static let train = TinyReviewTask.train
    private static let dev = TinyReviewTask.dev
    private static let test = TinyReviewTask.test

    /// Random search with 4 prompts a round; 8 train and 4 dev examples.
    private static let randomSearch: JSONValue = [
        "plugin": "org.hone.random-search", "config": ["candidates_per_round": 4, "rounds": 100, "dev_top_k": 2],
        "budget": ["calls": 100],
    ]

    /// The config text of a pipeline with `stages` (the data paths are never read: the test
    /// prepares the splits itself).
    private static func configText(stages: [JSONValue]) -> String {
        TinyRun.configText(name: "ledger-test", seed: 3, stages: stages)
    }

    /// A runner writing to `directory`, with its config text recorded, and a prepared pipeline
    /// on a fresh hash-scoring backend (`optimizers` replaces the plugins when given).
    private func makeRun(
        in directory: String, stages: [JSONValue] = [RunLedgerTests.randomSearch], optimizers: [Optimizer]? = nil
    ) throws -> (runner: PipelineRunner, prepared: PipelineRunner.Prepared, backend: HashScoringBackend) {
        let text = Self.configText(stages: stages)
        let config = try PipelineConfig(json: try JSONValue(parsing: text), baseDirectory: directory)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let runner = PipelineRunner(config: config, searchPath: PluginSearchPath(entries: []), outputDirectory: directory + "/run", logger: logger)
        runner.configJSON = text
        let backend = HashScoringBackend()
        let evaluator = ClassificationEvaluator(backend: backend, template: "{prompt} {input}", labels: Self.labels, metric: "accuracy")
        let plugin = try XCTUnwrap(
            try PluginLoader.load(file: TestEnvironment.productsDirectory + "/libHonePluginRandomSearch.so").first { $0.info.id == "org.hone.random-search" })
        let stageOptimizers = try optimizers ?? config.stages.map { try PluginOptimizer(plugin: plugin, config: $0.config) }
        let prepared = PipelineRunner.Prepared(
            splits: TaskSplits(train: Self.train, dev: Self.dev, test: Self.test), backend: backend,
            optimizers: stageOptimizers, evaluator: evaluator)
        return (runner, prepared, backend)
    }

    private func result(_ directory: String) throws -> JSONValue {
        try JSONValue(parsing: String(contentsOfFile: directory + "/run/result.json", encoding: .utf8))
    }

    func testLedgerRecordsEveryEvaluateRequestsCandidatesAndTheStageStatuses() throws {
        let dir = try TestEnvironment.temporaryDirectory("ledger")
        let run = try makeRun(in: dir, stages: [Self.randomSearch, Self.randomSearch])
        let report = try run.runner.run(run.prepared)

        let ledger = try RunLedger.open(directory: dir + "/run")
        let recorded = try ledger.recordedRun()
        XCTAssertEqual(recorded.status, .done)
        XCTAssertEqual(recorded.name, "ledger-test")
        XCTAssertEqual(recorded.configJSON, run.runner.configJSON, "the config is recorded as given")
        XCTAssertEqual(recorded.stages.map(\.status), [.done, .done])
        XCTAssertEqual(recorded.stages.map(\.plugin), ["org.hone.random-search", "org.hone.random-search"])
        XCTAssertEqual(recorded.stages.map(\.usedCalls), report.stages.map(\.usedCalls))
        XCTAssertEqual(recorded.stages.map { $0.bestPrompt?.text }, report.stages.map { $0.bestPrompt.text })
        XCTAssertEqual(recorded.stages[1].seedPrompt, report.stages[0].outputPrompt, "stage 2 started from what stage 1 handed on")
        XCTAssertEqual(recorded.baseline?.scores, report.baseline)
        XCTAssertEqual(recorded.best?.scores, report.best)
        for (i, stage) in report.stages.enumerated() {
            let candidates = try ledger.candidates(stage: i)
            XCTAssertEqual(candidates.count, stage.evaluatedPrompts, "one candidate per prompt scored")
            XCTAssertEqual(candidates.reduce(0) { $0 + $1.examples }, stage.usedCalls, "every charged call belongs to a recorded candidate")
            XCTAssertEqual(Set(candidates.map(\.split)), ["train", "dev"])
            XCTAssertTrue(candidates.contains { $0.promptText == stage.bestPrompt.text && $0.split == "dev" })
            let calls = try ledger.callTotals(stage: .some(i))
            XCTAssertEqual(calls.items, stage.usedCalls)
            XCTAssertEqual(calls.failures, 0)
        }
        // The stage's random-search candidates carry the scores the plugin saw.
        let best = try XCTUnwrap(report.stages[0].bestPrompt.data?["train_score"]?.doubleValue)
        XCTAssertTrue(try ledger.candidates(stage: 0).contains { $0.split == "train" && $0.score == best && $0.promptText == report.stages[0].bestPrompt.text })
        let checks = 2 * report.stages.filter { $0.selection != nil }.count
        XCTAssertEqual(try ledger.callTotals(stage: .some(nil)).calls, 6 + checks, "baseline and best prompt on train, dev and test; pick and start on train+dev")
    }

    func testACancelledRunResumesAndSpendsExactlyWhatItsBudgetAllows() throws {
        // The reference: the same stage, never interrupted.
        let referenceDirectory = try TestEnvironment.temporaryDirectory("ledger-reference")
        let reference = try makeRun(in: referenceDirectory)
        let uninterrupted = try reference.runner.run(reference.prepared)

        let dir = try TestEnvironment.temporaryDirectory("ledger-resume")
        let first = try makeRun(in: dir)
        // Calls 1-3 score the baseline; call 4 is the stage's first round. Ctrl-C arrives then.
        first.backend.onScore = { [unowned runner = first.runner] call in if call == 4 { runner.cancel() } }
        let cancelled = try first.runner.run(first.prepared)
        XCTAssertEqual(cancelled.stages[0].usedCalls, 32, "one round of 4 prompts on 8 examples before stopping")
        let afterCancel = try RunLedger.open(directory: dir + "/run").recordedRun()
        XCTAssertEqual(afterCancel.status, .cancelled)
        XCTAssertEqual(afterCancel.stages[0].status, .cancelled)
        XCTAssertNotNil(afterCancel.stages[0].bestPrompt, "the best prompt so far is recorded")
        try FileManager.default.removeItem(atPath: dir + "/run/result.json")

        let second = try makeRun(in: dir)
        let resumed = try second.runner.resume(second.prepared)
        XCTAssertEqual(resumed.stages[0].usedCalls, uninterrupted.stages[0].usedCalls, "the calls used before the interruption counted against the budget")
        XCTAssertLessThanOrEqual(resumed.stages[0].usedCalls, 100)
        XCTAssertEqual(resumed.stages[0].summary?["stopped"], "budget")
        XCTAssertEqual(resumed.backendCalls, uninterrupted.backendCalls)
        let checked = resumed.stages[0].selection == nil ? 0 : 2 * (8 + 4)
        XCTAssertEqual(second.backend.usage.itemsComputed, (resumed.stages[0].usedCalls - 32) + 8 + 4 + 5 + checked,
                       "the resumed stage's calls, the check of its pick and the final scoring; the baseline's scores came from the ledger")
        let result = try result(dir)
        XCTAssertEqual(result["stages"]?.arrayValue?.first?["used_calls"]?.intValue, uninterrupted.stages[0].usedCalls)

        let ledger = try RunLedger.open(directory: dir + "/run")
        let recorded = try ledger.recordedRun()
        XCTAssertEqual(recorded.status, .done)
        XCTAssertEqual(recorded.sessions, 2)
        XCTAssertEqual(recorded.stages[0].status, .done)
        XCTAssertEqual(recorded.stages[0].attempts, 2)
        XCTAssertEqual(try ledger.candidates(stage: 0).reduce(0) { $0 + $1.examples }, resumed.stages[0].usedCalls,
                       "both sessions' candidates are in the ledger")
    }

    func testAStageCancelledWithItsBudgetSpentIsNotRunAgain() throws {
        let stage: JSONValue = ["plugin": "org.hone.random-search", "config": ["candidates_per_round": 4, "rounds": 100, "dev_top_k": 2], "budget": ["calls": 40]]
        let dir = try TestEnvironment.temporaryDirectory("ledger-spent")
        let first = try makeRun(in: dir, stages: [stage])
        // Call 4 is the one round (32 calls), call 5 the dev re-ranking (8): Ctrl-C during the last call.
        first.backend.onScore = { [unowned runner = first.runner] call in if call == 5 { runner.cancel() } }
        let cancelled = try first.runner.run(first.prepared)
        XCTAssertEqual(cancelled.stages[0].usedCalls, 40)
        XCTAssertEqual(try RunLedger.open(directory: dir + "/run").recordedRun().stages[0].status, .cancelled)

        let second = try makeRun(in: dir, stages: [stage])
        let resumed = try second.runner.resume(second.prepared)
        XCTAssertEqual(resumed.bestPrompt, cancelled.bestPrompt, "the best prompt so far stands")
        XCTAssertEqual(second.backend.usage.itemsComputed, 8 + 4 + 5, "only the final scoring")
        let recorded = try RunLedger.open(directory: dir + "/run").recordedRun()
        XCTAssertEqual(recorded.stages[0].status, .done)
        XCTAssertEqual(recorded.stages[0].attempts, 1)
        XCTAssertEqual(recorded.status, .done)
    }

    func testResumingAFinishedRunDoesNothing() throws {
        let dir = try TestEnvironment.temporaryDirectory("ledger-finished")
        let first = try makeRun(in: dir)
        _ = try first.runner.run(first.prepared)
        let resultBefore = try String(contentsOfFile: dir + "/run/result.json", encoding: .utf8)

        let again = try makeRun(in: dir)
        XCTAssertNil(try again.runner.resume(), "a finished run is not resumed, and nothing is prepared")
        XCTAssertEqual(again.backend.usage.modelCalls, 0)
        XCTAssertEqual(try String(contentsOfFile: dir + "/run/result.json", encoding: .utf8), resultBefore)
        XCTAssertEqual(try RunLedger.open(directory: dir + "/run").recordedRun().sessions, 1)
    }

    func testAFailedStageRunsAgainFromItsCheckpointWithItsCallsCounted() throws {
        let dir = try TestEnvironment.temporaryDirectory("ledger-failed")
        let flaky = CheckpointingOptimizer(failFirstAttempt: true)
        let first = try makeRun(in: dir, stages: [["plugin": "org.hone.test.checkpointing", "budget": ["calls": 50]]], optimizers: [flaky])
        XCTAssertThrowsError(try first.runner.run(first.prepared))
        let failed = try RunLedger.open(directory: dir + "/run").recordedRun()
        XCTAssertEqual(failed.status, .failed)
        XCTAssertEqual(failed.stages[0].status, .failed)
        XCTAssertEqual(failed.stages[0].usedCalls, 8)
        XCTAssertTrue(failed.stages[0].error?.contains("simulated crash") == true, failed.stages[0].error ?? "no error")

        let steady = CheckpointingOptimizer(failFirstAttempt: false)
        let second = try makeRun(in: dir, stages: [["plugin": "org.hone.test.checkpointing", "budget": ["calls": 50]]], optimizers: [steady])
        let report = try second.runner.resume(second.prepared)
        XCTAssertEqual(steady.loadedCheckpoint?["step"]?.intValue, 1, "the stage found the checkpoint its first attempt saved")
        XCTAssertEqual(steady.budgetAtStart, BudgetStatus(limitCalls: 50, usedCalls: 8))
        XCTAssertEqual(report.stages[0].usedCalls, 16)
        XCTAssertEqual(try RunLedger.open(directory: dir + "/run").recordedRun().status, .done)
    }

    func testExportGivesThePromptTheFilledTemplateAndTheirProvenance() throws {
        let dir = try TestEnvironment.temporaryDirectory("ledger-export")
        let run = try makeRun(in: dir)
        let outcome = try run.runner.run(run.prepared)
        let export = try PromptExport(directory: dir + "/run")
        XCTAssertEqual(try export.rendered(.text), outcome.bestPrompt.text + "\n")
        XCTAssertEqual(try export.rendered(.template), TemplateRenderer(template: "{prompt} {input}").render(prompt: outcome.bestPrompt.text, input: "{input}") + "\n")
        XCTAssertTrue(try export.rendered(.template).hasSuffix(" {input}\n"))

        let json = try JSONValue(parsing: try export.rendered(.json))
        XCTAssertEqual(json["prompt"]?.stringValue, outcome.bestPrompt.text)
        XCTAssertEqual(json["artifact"]?["method"]?.stringValue, outcome.bestPrompt.method)
        XCTAssertEqual(json["template"], "{prompt} {input}")
        let provenance = try XCTUnwrap(json["provenance"])
        XCTAssertEqual(provenance["run"]?["name"], "ledger-test")
        XCTAssertEqual(provenance["run"]?["status"], "done")
        XCTAssertEqual(provenance["scores"]?["best"]?["test"]?.doubleValue, outcome.best.test)
        XCTAssertEqual(provenance["scores"]?["baseline"]?["dev"]?.doubleValue, outcome.baseline.dev)
        XCTAssertEqual(provenance["stages"]?.arrayValue?.first?["plugin"], "org.hone.random-search")
        XCTAssertEqual(provenance["config"]?["seed"]?.intValue, 3)
        let configText = Self.configText(stages: [Self.randomSearch])
        XCTAssertEqual(provenance["config_sha256"]?.stringValue, SHA256.hex(Array(configText.utf8)))
    }

    func testExportRefusesARunWithoutABestPromptScoredOnTestAndNamesTheFix() throws {
        let dir = try TestEnvironment.temporaryDirectory("ledger-export-failed")
        let flaky = CheckpointingOptimizer(failFirstAttempt: true)
        let first = try makeRun(in: dir, stages: [["plugin": "org.hone.test.checkpointing", "budget": ["calls": 50]]], optimizers: [flaky])
        XCTAssertThrowsError(try first.runner.run(first.prepared))
        XCTAssertThrowsError(try PromptExport(directory: dir + "/run")) { error in
            let message = String(describing: error)
            XCTAssertTrue(message.contains("the run is failed"), message)
            XCTAssertTrue(message.contains("resume it to finish"), message)
            XCTAssertFalse(message.contains("hone resume"), message)
            XCTAssertEqual((error as? LedgerError)?.remedy, .resumeRun(directory: dir + "/run"))
        }
        let second = try makeRun(in: dir, stages: [["plugin": "org.hone.test.checkpointing", "budget": ["calls": 50]]],
                                 optimizers: [CheckpointingOptimizer(failFirstAttempt: false)])
        _ = try second.runner.resume(second.prepared)
        XCTAssertEqual(try PromptExport(directory: dir + "/run").rendered(.text), "step 2\n")
    }

    func testADirectoryWithoutALedgerIsAnErrorNamingTheMissingFile() throws {
        let dir = try TestEnvironment.temporaryDirectory("no-ledger")
        XCTAssertThrowsError(try PipelineRunner(resuming: dir)) { error in
            XCTAssertTrue("\(error)".contains("ledger.sqlite is missing"), "\(error)")
        }
        XCTAssertThrowsError(try RunDirectoryReport(directory: dir + "/absent")) { error in
            XCTAssertTrue("\(error)".contains("is not a directory"), "\(error)")
        }
    }

    func testReportShowsStagesScoresTopCandidatesAndCallTotals() throws {
        let dir = try TestEnvironment.temporaryDirectory("ledger-report")
        let run = try makeRun(in: dir)
        let outcome = try run.runner.run(run.prepared)
        let report = try RunDirectoryReport(directory: dir + "/run", top: 3)
        let markdown = report.markdown
        XCTAssertTrue(markdown.contains("# Run ledger-test"), markdown)
        XCTAssertTrue(markdown.contains("| 1 | org.hone.random-search | done | \(outcome.stages[0].usedCalls) / 100 |"), markdown)
        XCTAssertTrue(markdown.contains(String(format: "| baseline | \"\" | %.4f | %.4f | %.4f |", outcome.baseline.train, outcome.baseline.dev, outcome.baseline.test)), markdown)
        XCTAssertTrue(markdown.contains(String(format: "| best | \"%@\" | %.4f | %.4f | %.4f |", outcome.bestPrompt.text, outcome.best.train, outcome.best.dev, outcome.best.test)), markdown)
        XCTAssertTrue(markdown.contains("top 3 of \(outcome.stages[0].evaluatedPrompts) candidates"), markdown)
        XCTAssertTrue(markdown.contains("## Backend calls"), markdown)

        let top = report.topCandidates[0]
        XCTAssertEqual(top.count, 3)
        XCTAssertEqual(top.map(\.score), top.map(\.score).sorted(by: >), "best first")
        let all = try RunLedger.open(directory: dir + "/run").candidates(stage: 0)
        XCTAssertEqual(top.first?.score, all.map(\.score).max())

        let json = report.json
        XCTAssertEqual(json["stages"]?.arrayValue?.first?["plugin"], "org.hone.random-search")
        XCTAssertEqual(json["stages"]?.arrayValue?.first?["top_candidates"]?.arrayValue?.count, 3)
        XCTAssertEqual(json["scores"]?["best"]?["test"]?.doubleValue, outcome.best.test)
        XCTAssertEqual(json["backend_calls"]?["total"]?["items"]?.intValue, outcome.backendCalls)
        XCTAssertEqual(json["backend_calls"]?["total"]?["failures"], 0)
    }
}

/// An in-process stage that saves a checkpoint after its first evaluation and, on its first
/// attempt, then fails as a crashing plugin would.
private final class CheckpointingOptimizer: Optimizer {
    let id = "org.hone.test.checkpointing"
    let requiredCapabilities: [BackendCapability] = [.score]
    let failFirstAttempt: Bool
    // Written by `optimize` on the stage's thread, read by the test after `run` returned.
    nonisolated(unsafe) var loadedCheckpoint: JSONValue?
    nonisolated(unsafe) var budgetAtStart: BudgetStatus?

    init(failFirstAttempt: Bool) { self.failFirstAttempt = failFirstAttempt }

    func optimize(_ request: RunRequest, context: StageContext) throws -> RunResult {
        loadedCheckpoint = try context.loadCheckpoint().map { try JSONValue(parsing: $0) }
        budgetAtStart = request.budget
        let prompt = PromptArtifact(text: "step \(loadedCheckpoint == nil ? 1 : 2)")
        _ = try context.evaluate(EvaluateRequest(prompts: [prompt], split: .train))
        let state: JSONValue = ["step": 1]
        try context.saveCheckpoint(state.serialized())
        if failFirstAttempt { throw PipelineError("simulated crash") }
        return RunResult(bestPrompt: prompt)
    }
}

/// Prompt artifacts in the ledger (schema 2): stored once per run, and ledgers of schema 1
/// (runs made before ABI 1.1) still open.
final class LedgerArtifactTests: XCTestCase {
    func testAnArtifactScoredManyTimesIsStoredOnce() throws {
        let dir = try TestEnvironment.temporaryDirectory("ledger-artifacts")
        let ledger = try RunLedger.create(in: dir)
        try ledger.startRun(name: "a", configJSON: nil, baseDirectory: dir, pluginPaths: [], persistentCache: false, backend: "b", stages: [("x.y", nil)])
        let weights = JSONValue.array((0..<2000).map { .number(Double($0)) })
        let artifact = PromptArtifact(kind: .rendered, text: "t", method: "x.y", methodVersion: "1.0.0", data: ["weights": weights])
        for i in 0..<5 {
            var perInput = artifact
            perInput.perInput = ["input \(i)"]
            let call = BackendCallRecord(stage: 0, op: "evaluate", requestHash: "h\(i)", items: 1, usage: BackendUsage(), latencySeconds: 0, error: nil)
            try ledger.record(call, candidates: [(prompt: perInput, split: "train", score: PromptScore(score: 0.5), examples: 1)])
        }
        let count = try ledger.database.locked { () -> (Int, Int) in
            let a = try ledger.database.prepare("SELECT COUNT(*) FROM artifacts")
            let c = try ledger.database.prepare("SELECT COUNT(DISTINCT artifact_sha256) FROM candidates")
            return (try a.step() ? a.int(0) : -1, try c.step() ? c.int(0) : -1)
        }
        XCTAssertEqual(count.0, 1, "five candidates of one artifact (per-input texts aside) store it once")
        XCTAssertEqual(count.1, 1)
        XCTAssertEqual(try ledger.candidateCount(stage: 0), 5)
    }

    func testALedgerOfSchemaOneIsReadAsItIsAndMigratedWhenOpenedForWriting() throws {
        let dir = try TestEnvironment.temporaryDirectory("ledger-v1")
        let db = try SQLiteDatabase(path: dir + "/" + RunLedger.fileName, purpose: "test")
        try db.transaction {
            try db.execute(LedgerSchema.create)
            try db.execute("""
                INSERT INTO run (id, name, base_directory, plugin_paths_json, persistent_cache, backend, status, sessions, started)
                VALUES (1, 'old', '/', '[]', 0, 'e5', 'done', 1, 0);
                INSERT INTO stages (stage, plugin, status) VALUES (0, 'x.y', 'done');
                PRAGMA user_version = 1;
                """)
        }
        let readOnly = try RunLedger.open(directory: dir)
        XCTAssertEqual(readOnly.schemaVersion, 1, "a reader never changes the file")
        XCTAssertEqual(try readOnly.recordedRun().name, "old")
        XCTAssertNil(try readOnly.recordedRun().stages[0].selection)
        let writer = try RunLedger.openForWriting(directory: dir)
        XCTAssertEqual(writer.schemaVersion, LedgerSchema.version)
        let selection = StageSelection(start: PromptArtifact(text: "a"), pick: PromptArtifact(text: "b"), startScore: 0.5, pickScore: 0.25, keepIfWorse: false)
        try writer.recordSelection(0, selection)
        XCTAssertEqual(try RunLedger.open(directory: dir).recordedRun().stages[0].selection, selection)
    }
}
