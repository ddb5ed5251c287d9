import Foundation
import HoneSDK
import Logging
import XCTest

@testable import Hone

/// Runs a pipeline in process into a run directory: the built-in random search (the C plugin,
/// through the real loader and host table) on the deterministic hash-scoring backend and the
/// tiny review task, with the config text recorded so reports and comparisons can read it.
enum HashScoredRun {
    /// A random-search stage with `promptLength` tokens and a budget of `budget` calls.
    static func randomSearch(promptLength: Int = 5, budget: Int = 100) -> JSONValue {
        ["plugin": "org.hone.random-search",
         "config": ["candidates_per_round": 4, "rounds": 100, "dev_top_k": 2, "prompt_length": .number(Double(promptLength))],
         "budget": ["calls": .number(Double(budget))]]
    }

    /// The config text of a pipeline named `name` with `stages`, `seed` and task `prompt` (the
    /// data paths name the task; the splits themselves are the tiny review task's).
    static func configText(name: String, stages: [JSONValue], seed: Int = 3, prompt: String = "", dataset: String = "reviews") -> String {
        let config: JSONValue = [
            "name": .string(name), "seed": .number(Double(seed)),
            "task": [
                "dataset": ["train": .string("\(dataset)/train.tsv"), "dev": .string("\(dataset)/dev.tsv"), "test": .string("\(dataset)/test.tsv")],
                "template": "{prompt} {input}", "prompt": .string(prompt),
                "labels": [["name": "neg", "verbalizer": "bad"], ["name": "pos", "verbalizer": "good"]],
            ],
            "stages": .array(stages),
        ]
        return config.prettyPrinted()
    }

    /// Runs the pipeline of `configText` into `directory`, passing every event to `onEvent`.
    @discardableResult
    static func run(_ configText: String, into directory: String, base: String? = nil, onEvent: @escaping @Sendable (RunEvent) -> Void = { _ in }) throws -> RunReport {
        let runner = try makeRunner(configText, into: directory, base: base)
        runner.onEvent = onEvent
        return try runner.run(try prepared(for: runner))
    }

    /// A runner for `configText` writing into `directory`, its config text recorded; the
    /// config's relative paths resolve against `base` (default: the directory's parent).
    static func makeRunner(_ configText: String, into directory: String, base: String? = nil) throws -> PipelineRunner {
        let config = try PipelineConfig(json: try JSONValue(parsing: configText), baseDirectory: base ?? (directory as NSString).deletingLastPathComponent)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let runner = PipelineRunner(config: config, searchPath: PluginSearchPath(entries: []), outputDirectory: directory, logger: logger)
        runner.configJSON = configText
        return runner
    }

    /// The prepared pipeline of `runner`: the tiny review task's splits on a fresh hash-scoring backend.
    static func prepared(for runner: PipelineRunner, backend: HashScoringBackend = HashScoringBackend()) throws -> PipelineRunner.Prepared {
        let evaluator = ClassificationEvaluator(backend: backend, template: "{prompt} {input}", labels: TinyReviewTask.labels, metric: "accuracy")
        let plugin = try XCTUnwrap(
            try PluginLoader.load(file: TestEnvironment.productsDirectory + "/libHonePluginRandomSearch.so").first { $0.info.id == "org.hone.random-search" })
        let optimizers = try runner.config.stages.map { try PluginOptimizer(plugin: plugin, config: $0.config) as Optimizer }
        return PipelineRunner.Prepared(
            splits: TaskSplits(train: TinyReviewTask.train, dev: TinyReviewTask.dev, test: TinyReviewTask.test), backend: backend,
            optimizers: optimizers, evaluator: evaluator)
    }
}
