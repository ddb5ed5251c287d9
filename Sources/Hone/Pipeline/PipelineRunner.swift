import Foundation
import HoneSDK
import Logging

/// Runs a pipeline: loads data and plugins, checks capabilities, runs the stages in order and
/// scores the baseline and the best prompt on the held-out test split.
///
/// This is the API for programs that embed Hone; `hone run` is a thin wrapper around it.
public final class PipelineRunner: @unchecked Sendable {
    /// The pipeline.
    public let config: PipelineConfig
    /// Where plugins are searched.
    public let searchPath: PluginSearchPath
    /// Where results go (nil: nothing is written).
    public let outputDirectory: String?
    /// The logger.
    public let logger: Logger
    /// Called with (stage index, fraction, message) as stages report progress.
    public var onProgress: @Sendable (Int, Double, String?) -> Void = { _, _, _ in }
    /// Use the persistent cache (`--no-cache` turns it off; an in-memory cache is always used).
    public var usePersistentCache = true

    private let lock = NSLock()
    private var activeContext: StageContext?
    private var cancelled = false

    /// Creates a runner. `searchPath` defaults to the standard one plus the config's `plugin_paths`.
    public init(config: PipelineConfig, searchPath: PluginSearchPath? = nil, outputDirectory: String? = nil, logger: Logger = Logger(label: "hone")) {
        self.config = config
        self.searchPath = searchPath ?? PluginSearchPath.standard(config: config.pluginPaths)
        self.outputDirectory = outputDirectory ?? config.outputDirectory
        self.logger = logger
    }

    /// Asks the running stage to stop and return its best prompt so far.
    public func cancel() {
        lock.withLock {
            cancelled = true
            activeContext?.cancel()
        }
    }

    /// Everything a run needs, resolved and checked before any backend call.
    public struct Prepared {
        /// The data.
        public var splits: TaskSplits
        /// The backend.
        public var backend: Backend
        /// One optimizer per stage.
        public var optimizers: [Optimizer]
        /// The evaluator.
        public var evaluator: ClassificationEvaluator
    }

    /// Loads data, opens the backend, loads the stages' plugins, validates each stage config
    /// against its plugin's schema and checks the backend offers every capability a stage
    /// needs. Nothing is scored. `hone validate` runs exactly this.
    public func prepare() throws -> Prepared {
        let splits = try DatasetLoader.load(config.task.dataset, labels: config.task.labels, seed: config.seed)
        for (name, split) in [("train", splits.train), ("dev", splits.dev), ("test", splits.test)] where split.isEmpty {
            throw DataError(file: name == "train" ? config.task.dataset.train : name == "dev" ? config.task.dataset.dev : config.task.dataset.test,
                            message: "the \(name) split is empty")
        }
        for (reason, count) in splits.skippedByReason.sorted(by: { $0.key < $1.key }) {
            logger.warning("skipped \(count) row(s): \(reason)")
        }
        if splits.testOverlap > 0 {
            logger.warning("\(splits.testOverlap) test example(s) also appear in train or dev; their test scores are not fully held out")
        }
        let backend = try openBackend()
        let registry = PluginRegistry(searchPath: searchPath)
        for refusal in registry.refusals { logger.warning("\(refusal.description)") }
        var optimizers: [Optimizer] = []
        for (i, stage) in config.stages.enumerated() {
            let plugin = try registry.plugin(id: stage.plugin)
            let optimizer = try PluginOptimizer(plugin: plugin, config: stage.config, path: "\(stage.path).config")
            let missing = optimizer.requiredCapabilities.filter { !backend.capabilities.contains($0) }
            if !missing.isEmpty {
                throw ConfigError(
                    path: "\(stage.path).plugin",
                    message: "stage \(i) (\(stage.plugin)) needs \(missing.map(\.rawValue).joined(separator: ", ")), which backend \(backend.name) does not offer (it offers \(backend.capabilities.map(\.rawValue).sorted().joined(separator: ", "))); choose another backend in $.backend")
            }
            optimizers.append(optimizer)
        }
        let evaluator = ClassificationEvaluator(
            backend: backend, template: config.task.template, labels: config.task.labels,
            metric: config.task.metric, maxFailureRate: config.task.maxFailureRate, nullLabel: config.task.nullLabel)
        return Prepared(splits: splits, backend: backend, optimizers: optimizers, evaluator: evaluator)
    }

    /// The cache file this runner uses, or nil when the persistent cache is off.
    public var cachePath: String? {
        (config.cache.enabled && usePersistentCache) ? (config.cache.path ?? EmbeddingCache.defaultPath()) : nil
    }

    /// Opens the configured backend with the embedding and response caches (one SQLite file).
    public func openBackend() throws -> Backend {
        let path = cachePath
        return try BackendFactory.make(config: config.backend, cache: try EmbeddingCache(path: path), responseCache: try ResponseCache(path: path))
    }

    /// Runs the pipeline and, when an output directory is set, writes `result.json` there.
    public func run() throws -> RunReport {
        let started = Date()
        let prepared = try prepare()
        return try run(prepared, started: started)
    }

    /// Runs an already prepared pipeline (the optimizers may be in-process ``Optimizer``s).
    public func run(_ prepared: Prepared, started: Date = Date()) throws -> RunReport {
        let splits = prepared.splits
        let evaluator = prepared.evaluator
        var hostCalls = 0
        func scores(_ prompt: PromptArtifact) throws -> SplitScores {
            func on(_ split: [LabeledExample]) throws -> Double {
                hostCalls += split.count
                return try evaluator.evaluate([prompt], on: split.enumerated().map { (index: $0, example: $1) }, details: false)[0].score
            }
            return SplitScores(train: try on(splits.train), dev: try on(splits.dev), test: try on(splits.test))
        }
        let baselinePrompt = PromptArtifact(text: config.task.prompt)
        logger.info("scoring the baseline prompt \"\(baselinePrompt.text)\" on train, dev and test")
        let baseline = try scores(baselinePrompt)
        let task = TaskDescription(
            template: config.task.template, labels: config.task.labels, metric: config.task.metric,
            train: splits.train.enumerated().map { TaskExample(index: $0, input: $1.input, label: evaluator.index(ofLabel: $1.label)!) },
            dev: splits.dev.enumerated().map { TaskExample(index: $0, input: $1.input, label: evaluator.index(ofLabel: $1.label)!) },
            unlabeled: splits.unlabeled)
        var seed = baselinePrompt
        var stageReports: [StageReport] = []
        for (i, optimizer) in prepared.optimizers.enumerated() {
            let stageStart = Date()
            let budget = i < config.stages.count ? config.stages[i].budgetCalls : nil
            let context = StageContext(
                stageIndex: i, pluginID: optimizer.id, train: splits.train, dev: splits.dev,
                evaluator: evaluator, backend: prepared.backend, budgetCalls: budget,
                checkpointFile: outputDirectory.map { "\($0)/checkpoints/stage-\(i).json" },
                logger: logger, onProgress: onProgress)
            let alreadyCancelled = lock.withLock { () -> Bool in
                activeContext = context
                return cancelled
            }
            if alreadyCancelled {
                logger.warning("cancelled: skipping stage \(i + 1) (\(optimizer.id)) and any after it")
                break
            }
            logger.info("stage \(i + 1)/\(prepared.optimizers.count): \(optimizer.id), budget \(budget.map(String.init) ?? "unlimited") calls")
            let request = RunRequest(
                stageIndex: i, seedPrompt: seed, task: task, budget: context.budget,
                seed: config.seed &+ UInt64(i) &* 0x9E37_79B9)
            let result = try optimizer.optimize(request, context: context)
            lock.withLock { activeContext = nil }
            stageReports.append(StageReport(
                plugin: optimizer.id, seedPrompt: seed, bestPrompt: result.bestPrompt, budgetCalls: budget,
                usedCalls: context.usedCalls, evaluatedPrompts: context.evaluatedPrompts, summary: result.summary,
                curve: result.curve, wallSeconds: Date().timeIntervalSince(stageStart)))
            seed = result.bestPrompt
        }
        prepared.backend.suspendBudget()
        logger.info("scoring the best prompt \"\(seed.text)\" on train, dev and test")
        let best = try scores(seed)
        let report = RunReport(
            name: config.name, metric: config.task.metric, baselinePrompt: baselinePrompt, bestPrompt: seed,
            baseline: baseline, best: best, splitSizes: (splits.train.count, splits.dev.count, splits.test.count),
            stages: stageReports, backendCalls: hostCalls + stageReports.reduce(0) { $0 + $1.usedCalls },
            usage: prepared.backend.usage, wallSeconds: Date().timeIntervalSince(started), backendName: prepared.backend.name)
        if let outputDirectory { try write(report, to: outputDirectory) }
        return report
    }

    private func write(_ report: RunReport, to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data((report.json.prettyPrinted() + "\n").utf8).write(to: URL(fileURLWithPath: directory + "/result.json"), options: .atomic)
        try Data((report.bestPrompt.text + "\n").utf8).write(to: URL(fileURLWithPath: directory + "/best_prompt.txt"), options: .atomic)
    }
}
