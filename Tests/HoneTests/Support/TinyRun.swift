import Foundation
import HoneSDK
import Logging
import XCTest

@testable import Hone

/// A short in-process run for tests of the run directory: one random-search stage (the C plugin,
/// through the real loader) on the tiny review task and the hash-scoring backend, writing to a
/// run directory.
enum TinyRun {
    /// The config text of a pipeline on the tiny review task with `stages` (its data paths are
    /// never read: the splits are given).
    static func configText(name: String = "tiny-run", seed: Int = 5, stages: [JSONValue] = [randomSearch]) -> String {
        let config: JSONValue = [
            "name": .string(name), "seed": .number(Double(seed)),
            "task": [
                "dataset": ["train": "train.tsv", "dev": "dev.tsv", "test": "test.tsv"],
                "template": "{prompt} {input}", "prompt": "",
                "labels": [["name": "neg", "verbalizer": "bad"], ["name": "pos", "verbalizer": "good"]],
            ],
            "stages": .array(stages),
        ]
        return config.prettyPrinted()
    }

    /// One short random-search stage.
    static let randomSearch: JSONValue = [
        "plugin": "org.hone.random-search", "config": ["candidates_per_round": 4, "rounds": 3, "dev_top_k": 2],
        "budget": ["calls": 100],
    ]

    /// A runner writing into `runDirectory` and its prepared pipeline on `backend`.
    static func make(runDirectory: String, backend: Backend = HashScoringBackend()) throws -> (runner: PipelineRunner, prepared: PipelineRunner.Prepared) {
        let configText = configText()
        let config = try PipelineConfig(json: try JSONValue(parsing: configText), baseDirectory: (runDirectory as NSString).deletingLastPathComponent)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let runner = PipelineRunner(config: config, searchPath: PluginSearchPath(entries: []), outputDirectory: runDirectory, logger: logger)
        runner.configJSON = configText
        let evaluator = ClassificationEvaluator(backend: backend, template: "{prompt} {input}", labels: TinyReviewTask.labels, metric: "accuracy")
        let plugin = try XCTUnwrap(
            try PluginLoader.load(file: TestEnvironment.productsDirectory + "/libHonePluginRandomSearch.so").first { $0.info.id == "org.hone.random-search" })
        let prepared = PipelineRunner.Prepared(
            splits: TaskSplits(train: TinyReviewTask.train, dev: TinyReviewTask.dev, test: TinyReviewTask.test), backend: backend,
            optimizers: try config.stages.map { try PluginOptimizer(plugin: plugin, config: $0.config) }, evaluator: evaluator)
        return (runner, prepared)
    }
}
