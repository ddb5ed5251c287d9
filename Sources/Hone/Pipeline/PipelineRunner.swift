import Foundation
import Synchronization
import HoneSDK
import Logging

/// Runs a pipeline: loads data and plugins, checks capabilities, runs the stages in order and
/// scores the baseline and the best prompt on the held-out test split.
///
/// This is the API for programs that embed Hone (docs/embedding.md); `hone run` is a thin
/// wrapper around it. A program may bring its own backends, evaluators, metrics and optimizers
/// (``HoneComponents``), run it from a task (`run() async`, which honours task
/// cancellation) and follow it as a stream of ``RunEvent``s (``events``).
///
/// A runner is `Sendable`, checked by the compiler: its settings (``onProgress``, ``onEvent``,
/// ``configJSON``, ...) and what a run changes (the active and host contexts, cancellation)
/// live behind mutexes, so ``cancel(_:)`` and the settings may be used from any thread.
public final class PipelineRunner: Sendable {
    /// The pipeline.
    public let config: PipelineConfig
    /// The program's own backends, evaluators, metrics and optimizers.
    public let components: HoneComponents
    /// Where plugins are searched.
    public let searchPath: PluginSearchPath
    /// Where results go (nil: nothing is written).
    public let outputDirectory: String?
    /// The logger.
    public let logger: Logger
    /// Called with (stage index, fraction, message) as stages report progress.
    public var onProgress: @Sendable (Int, Double, String?) -> Void {
        get { settings.withLock { $0.onProgress } }
        set { settings.withLock { $0.onProgress = newValue } }
    }
    /// Called with every ``RunEvent`` as the run goes (stages starting and ending, candidates
    /// scored, progress with calls, cache hits and ETA, scores, the end); with an output
    /// directory the same events are appended to its `events.jsonl`.
    public var onEvent: @Sendable (RunEvent) -> Void {
        get { settings.withLock { $0.onEvent } }
        set { settings.withLock { $0.onEvent = newValue } }
    }
    /// Use the persistent cache (`--no-cache` turns it off; an in-memory cache is always used).
    public var usePersistentCache: Bool {
        get { settings.withLock { $0.usePersistentCache } }
        set { settings.withLock { $0.usePersistentCache = newValue } }
    }
    /// The config's text, recorded in the run ledger so `hone resume` can rebuild the
    /// pipeline: the file's text for ``init(configFile:components:searchPath:outputDirectory:logger:)``,
    /// else the config written back as JSON (``PipelineConfig/jsonText``). Nil: the ledger
    /// records no config, and only a program that prepares the pipeline itself can resume the run.
    public var configJSON: String? {
        get { settings.withLock { $0.configJSON } }
        set { settings.withLock { $0.configJSON = newValue } }
    }
    /// Plugin paths given on the command line, recorded in the ledger for `hone resume`.
    public var commandLinePluginPaths: [String] {
        get { settings.withLock { $0.commandLinePluginPaths } }
        set { settings.withLock { $0.commandLinePluginPaths = newValue } }
    }

    /// Where `rendered` artifacts' renderers come from (default: the plugins on ``searchPath``,
    /// through their `hone.artifact.renderer/1` extension).
    public var rendererSource: (any ArtifactRendererSource)? {
        get { settings.withLock { $0.rendererSource } }
        set { settings.withLock { $0.rendererSource = newValue } }
    }

    /// The settings a program may change (see the properties above).
    private struct Settings {
        var onProgress: @Sendable (Int, Double, String?) -> Void = { _, _, _ in }
        var onEvent: @Sendable (RunEvent) -> Void = { _ in }
        var usePersistentCache = true
        var configJSON: String?
        var commandLinePluginPaths: [String] = []
        var rendererSource: (any ArtifactRendererSource)?
    }

    /// What a run changes while it goes, read by ``cancel(_:)`` from any thread.
    private struct RunState {
        var activeContext: StageContext?
        var hostContext: StageContext?
        var cancelled = false
        /// Set by ``cancel(_:)`` with ``CancellationMode/immediately``: nothing more is scored.
        var stopsNow = false
        /// The flag of the host scoring in progress (baseline, a pick check, the final scoring).
        var hostFlag: CancellationFlag?
        /// The backend of the run in progress, whose calls in flight a cancel aborts.
        var runningBackend: Backend?
        /// This session's event hub (set when a run or resume starts).
        var monitor: RunMonitor?
    }

    private let settings = Mutex(Settings())
    private let state = Mutex(RunState())
    /// Raised with `stopsNow`; stages' evaluations check it between batches.
    private let immediateFlag = CancellationFlag(message: "the run was cancelled")
    /// The subscribers of ``events``.
    let broadcast = RunEventBroadcast()
    /// This session's event hub (set when a run or resume starts).
    var monitor: RunMonitor? {
        get { state.withLock { $0.monitor } }
        set { state.withLock { $0.monitor = newValue } }
    }

    /// Creates a runner with the program's `components` (the backends, metrics, evaluators and
    /// optimizers the config may name). `searchPath` defaults to the standard one plus the
    /// config's `plugin_paths`. The config, written back as JSON, is what the run ledger records.
    public init(config: PipelineConfig, components: HoneComponents = HoneComponents(), searchPath: PluginSearchPath? = nil, outputDirectory: String? = nil, logger: Logger = Logger(label: "hone")) {
        self.config = config
        self.components = components
        self.searchPath = searchPath ?? PluginSearchPath.standard(config: config.pluginPaths)
        self.outputDirectory = outputDirectory ?? config.outputDirectory
        self.logger = logger
        self.configJSON = config.jsonText
    }

    /// Creates a runner for the config file at `path`, keeping its text for the run ledger.
    public convenience init(configFile path: String, components: HoneComponents = HoneComponents(), searchPath: PluginSearchPath? = nil, outputDirectory: String? = nil, logger: Logger = Logger(label: "hone")) throws {
        let config = try PipelineConfig.load(file: path, components: components)
        self.init(config: config, components: components, searchPath: searchPath, outputDirectory: outputDirectory, logger: logger)
        configJSON = String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
    }

    /// Creates a runner that continues the run recorded in `directory`, rebuilding its pipeline
    /// from the config text the ledger holds (relative paths resolve as they did). Plugins are
    /// searched in `pluginPaths`, then the paths the run was given, then the standard places.
    /// Throws a ``LedgerError`` naming what is missing when the directory has no ledger or the
    /// ledger holds no config. A run that used a program's `components` needs them again.
    public convenience init(resuming directory: String, pluginPaths: [String] = [], components: HoneComponents = HoneComponents(), logger: Logger = Logger(label: "hone")) throws {
        let recorded = try RunLedger.open(directory: directory).recordedRun()
        guard let text = recorded.configJSON else {
            throw LedgerError("the ledger in \(directory) holds no config (the run was started by a program that gave none); resume it from that program with PipelineRunner.resume(_:)")
        }
        let config: PipelineConfig
        do {
            config = try PipelineConfig(json: try JSONValue(parsing: text), baseDirectory: recorded.baseDirectory, components: components)
        } catch {
            throw LedgerError("the config recorded in \(directory)/\(RunLedger.fileName) no longer loads: \(error)")
        }
        let paths = pluginPaths + recorded.pluginPaths
        self.init(config: config, components: components, searchPath: PluginSearchPath.standard(commandLine: paths, config: config.pluginPaths), outputDirectory: directory, logger: logger)
        usePersistentCache = recorded.persistentCache
        configJSON = text
        commandLinePluginPaths = recorded.pluginPaths
    }

    /// Cancels the run, from any thread (see ``CancellationMode``). The default,
    /// ``CancellationMode/keepBestSoFar``, is `hone run`'s first Ctrl-C: the running stage
    /// returns its best prompt so far, which is scored and reported with status `cancelled`;
    /// host scoring in progress stops at its next batch. ``CancellationMode/immediately`` also
    /// stops the stage's evaluations and the backend's calls in flight, and scores nothing more.
    /// Either way the ledger records the run `cancelled`, and a resume continues it.
    public func cancel(_ mode: CancellationMode = .keepBestSoFar) {
        let (host, backend) = state.withLock { s -> (CancellationFlag?, Backend?) in
            s.cancelled = true
            if mode == .immediately {
                s.stopsNow = true
                immediateFlag.raise()
            }
            s.activeContext?.cancel()
            s.hostFlag?.raise()
            return (s.hostFlag, s.runningBackend)
        }
        // Abort the calls in flight: the host's scoring stops now, and so does everything
        // when cancelled immediately. A stage stopped to keep its best so far finishes the
        // request it is waiting on, as `hone run`'s first Ctrl-C always did.
        if host != nil || mode == .immediately { backend?.cancel() }
    }

    /// Runs `body` as one host scoring named `what` (the baseline, a pick check, the final
    /// scoring) under a fresh cancellation flag, raised at once when the run was cancelled
    /// immediately (or at all, with `stopIfCancelled`); a cancel during it raises it. Errors
    /// after the flag was raised are thrown as ``RunCancelledError``.
    private func hostScoring<R>(_ what: String, stopIfCancelled: Bool = false, _ body: (CancellationFlag) throws -> R) throws -> R {
        let flag = state.withLock { s -> CancellationFlag in
            let flag = CancellationFlag(
                raised: s.stopsNow || (stopIfCancelled && s.cancelled),
                message: "the run was cancelled while the host scored \(what)\(outputDirectory.map { "; resume it from \($0)" } ?? "")")
            s.hostFlag = flag
            return flag
        }
        defer { state.withLock { s in s.hostFlag = nil } }
        do {
            try flag.check()
            return try body(flag)
        } catch {
            if flag.isRaised { throw RunCancelledError(flag.message) }
            throw error
        }
    }

    /// Everything a run needs, resolved and checked before any backend call.
    public struct Prepared: Sendable {
        /// The data.
        public var splits: TaskSplits
        /// The backend.
        public var backend: Backend
        /// One optimizer per stage.
        public var optimizers: [Optimizer]
        /// The evaluator every prompt of the run is scored with.
        public var evaluator: any Evaluator
        /// Renders `rendered` artifacts before they are scored.
        public var rendering: PromptRendering

        /// Creates a prepared pipeline (``PipelineRunner/prepare()`` makes one from the config);
        /// without `rendering`, rendered artifacts must carry their per-input texts.
        public init(splits: TaskSplits, backend: Backend, optimizers: [Optimizer], evaluator: any Evaluator, rendering: PromptRendering? = nil) {
            self.splits = splits
            self.backend = backend
            self.optimizers = optimizers
            self.evaluator = evaluator
            self.rendering = rendering ?? PromptRendering(source: nil)
        }
    }

    /// Loads data, opens the backend, loads the stages' plugins, validates each stage config
    /// against its plugin's schema and checks the backend offers every capability a stage
    /// needs. Nothing is scored. `hone validate` runs this and then ``validate()``.
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
        let rendering = makeRendering()
        let evaluator = try makeEvaluator(backend: backend, rendering: rendering)
        try EvaluatorFactory.checkCapabilities(of: evaluator, on: backend)
        // Plugins are looked up only for stages no registered optimizer runs.
        var registry: PluginRegistry?
        var optimizers: [Optimizer] = []
        for (i, stage) in config.stages.enumerated() {
            let optimizer: Optimizer
            if let registered = try makeRegisteredOptimizer(stage: i) {
                optimizer = registered
            } else {
                if registry == nil {
                    let found = PluginRegistry(searchPath: searchPath)
                    for refusal in found.refusals { logger.warning("\(refusal.description)") }
                    registry = found
                }
                let plugin = try registry!.plugin(id: stage.plugin)
                optimizer = try PluginOptimizer(
                    plugin: plugin, config: stage.config, path: "\(stage.path).config",
                    isolation: try PluginIsolation.forStage(stage, plugin: plugin, searchPath: searchPath, logger: logger))
            }
            let missing = optimizer.requiredCapabilities.filter { !backend.capabilities.contains($0) }
            if !missing.isEmpty {
                throw ConfigError(
                    path: "\(stage.path).plugin",
                    message: "stage \(i) (\(stage.plugin)) needs \(missing.map(\.rawValue).joined(separator: ", ")), which backend \(backend.name) does not offer (it offers \(backend.capabilities.map(\.rawValue).sorted().joined(separator: ", "))); choose another backend in $.backend")
            }
            optimizers.append(optimizer)
        }
        return Prepared(splits: splits, backend: backend, optimizers: optimizers, evaluator: evaluator, rendering: rendering)
    }

    /// The rendering step of this runner: renderers from ``rendererSource`` (else the plugin
    /// search path), the host's own context for renderings outside a stage.
    public func makeRendering() -> PromptRendering {
        PromptRendering(source: rendererSource ?? PluginRendererSource(searchPath: searchPath)) { [weak self] in
            self?.state.withLock { $0.hostContext }
        }
    }

    /// The cache file this runner uses, or nil when the persistent cache is off.
    public var cachePath: String? {
        (config.cache.enabled && usePersistentCache) ? (config.cache.path ?? EmbeddingCache.defaultPath()) : nil
    }

    /// Opens the configured backend: a registered one (``HoneComponents/register(backend:_:)``)
    /// from its factory, else a built-in one with the embedding and response caches (one SQLite file).
    public func openBackend() throws -> Backend {
        let path = cachePath
        if let make = components.backend(config.backend.type) {
            return try make(BackendSetup(settings: config.backend.json, cachePath: path, baseDirectory: config.baseDirectory))
        }
        return try BackendFactory.make(config: config.backend, cache: try EmbeddingCache(path: path), responseCache: try ResponseCache(path: path))
    }

    /// Runs the pipeline and, when an output directory is set, writes `result.json` and the
    /// run ledger there.
    public func run() throws -> RunReport {
        defer { broadcast.finish() }
        let started = Date()
        let prepared = try prepare()
        return try run(prepared, started: started)
    }

    /// Runs an already prepared pipeline (the optimizers may be in-process ``Optimizer``s).
    ///
    /// With an output directory, a fresh ledger (`ledger.sqlite`) replaces any earlier one
    /// there and records the run as it goes, so `hone resume` can continue it.
    public func run(_ prepared: Prepared, started: Date = Date()) throws -> RunReport {
        defer { broadcast.finish() }
        let directoryLock = try lockRunDirectory()
        defer { directoryLock?.release() }
        var ledger: RunLedger?
        if let outputDirectory {
            let created = try RunLedger.create(in: outputDirectory)
            try created.startRun(
                name: config.name, configJSON: configJSON, baseDirectory: config.baseDirectory,
                pluginPaths: commandLinePluginPaths, persistentCache: usePersistentCache, backend: prepared.backend.name,
                stages: prepared.optimizers.enumerated().map { i, optimizer in
                    (optimizer.id, i < config.stages.count ? config.stages[i].budgetCalls : nil)
                })
            ledger = created
        }
        return try execute(prepared, ledger: ledger, recorded: nil, started: started)
    }

    /// The run recorded in the output directory's ledger (status `done`: `resume()` has
    /// nothing to do). Throws a ``LedgerError`` naming what is missing when there is no ledger.
    public func recordedRun() throws -> RecordedRun {
        guard let outputDirectory else { throw LedgerError("no run directory: give the runner an output directory to resume") }
        return try RunLedger.open(directory: outputDirectory).recordedRun()
    }

    /// Continues the run recorded in the output directory's ledger, or returns nil without
    /// doing anything when that run already finished.
    public func resume() throws -> RunReport? {
        defer { broadcast.finish() }
        if try recordedRun().status == .done { return nil }
        let started = Date()
        return try resume(try prepare(), started: started)
    }

    /// Continues the run recorded in the output directory's ledger with an already prepared
    /// pipeline: stages recorded done are not run again (their best prompt seeds the next
    /// stage), a stage that was interrupted (killed, cancelled or failed) runs again from its
    /// last checkpoint with the calls it used counted against its budget, then the best prompt
    /// is scored and `result.json` written as ``run(_:started:)`` does. The baseline's scores
    /// are taken from the ledger when it has them. A run recorded `done` is scored and written
    /// again; `resume()` checks ``recordedRun()`` first and leaves it alone.
    public func resume(_ prepared: Prepared, started: Date = Date()) throws -> RunReport {
        defer { broadcast.finish() }
        guard let outputDirectory else { throw LedgerError("no run directory: give the runner an output directory to resume") }
        let directoryLock = try lockRunDirectory()
        defer { directoryLock?.release() }
        let ledger = try RunLedger.openForWriting(directory: outputDirectory)
        let recorded = try ledger.recordedRun()
        let plugins = prepared.optimizers.map(\.id)
        guard plugins == recorded.stages.map(\.plugin) else {
            throw PipelineError("the run in \(outputDirectory) recorded stages \(recorded.stages.map(\.plugin).joined(separator: " -> ")), but the pipeline now has \(plugins.joined(separator: " -> ")); start a new run instead", remedy: .startNewRun)
        }
        try ledger.beginSession(backend: prepared.backend.name)
        warnOfAccountingGaps(ledger)
        return try execute(prepared, ledger: ledger, recorded: recorded, started: started)
    }

    /// The run itself: baseline, stages, final scoring, result files; recorded in `ledger`,
    /// continuing `recorded` when resuming.
    private func execute(_ prepared: Prepared, ledger: RunLedger?, recorded: RecordedRun?, started: Date) throws -> RunReport {
        let events = startEvents(prepared, fresh: recorded == nil, session: ledger?.session ?? 1)
        state.withLock { s in s.runningBackend = prepared.backend }
        defer { state.withLock { s in s.runningBackend = nil } }
        if let identified = prepared.backend as? BackendIdentifying {
            note(ledger) { try $0.recordBackendIdentity(backend: prepared.backend.name, identity: identified.cacheIdentity, namespace: identified.cacheNamespace) }
        }
        let report: RunReport
        do {
            report = try stagesAndScores(prepared, ledger: ledger, recorded: recorded, started: started)
        } catch {
            let (wasCancelled, immediately) = state.withLock { s in (s.cancelled, s.stopsNow) }
            let status: RunStatus = wasCancelled || error is RunCancelledError ? .cancelled : .failed
            // What a cancelled run throws says so, whatever stopped it (a stage that failed
            // because its calls were aborted, an evaluation stopped between batches).
            let thrown: Error = immediately && !(error is RunCancelledError) ? RunCancelledError("the run was cancelled (\(error))") : error
            note(ledger) { try $0.finishRun(status, error: "\(thrown)", sessionSeconds: Date().timeIntervalSince(started)) }
            events.emit(.runFinished(status: status, baselineTest: nil, bestTest: nil, backendCalls: nil, wallSeconds: Date().timeIntervalSince(started), error: "\(thrown)"))
            throw thrown
        }
        note(ledger) { try $0.finishRun(report.status, sessionSeconds: Date().timeIntervalSince(started)) }
        events.emit(.runFinished(status: report.status, baselineTest: report.baseline.test, bestTest: report.best.test,
                                 backendCalls: report.backendCalls, wallSeconds: report.wallSeconds, error: nil))
        return report
    }

    /// Writes to the ledger, if there is one; a failed write is logged and the run goes on
    /// (it may then not be resumable from the ledger).
    private func note(_ ledger: RunLedger?, _ write: (RunLedger) throws -> Void) {
        guard let ledger else { return }
        do { try write(ledger) } catch { logger.error("the run ledger could not be written: \(error)") }
    }

    private func stagesAndScores(_ prepared: Prepared, ledger: RunLedger?, recorded: RecordedRun?, started: Date) throws -> RunReport {
        let splits = prepared.splits
        let evaluator = prepared.evaluator
        let host = StageContext(
            stageIndex: -1, pluginID: "host", train: [], dev: [], evaluator: evaluator, backend: prepared.backend,
            budgetCalls: nil, checkpointFile: nil, logger: logger, onProgress: { _, _, _ in }, ledger: ledger)
        host.rendering = prepared.rendering
        state.withLock { s in s.hostContext = host }
        defer { state.withLock { s in s.hostContext = nil } }
        var hostCalls = 0
        /// The host's own score of `prompt` on `examples` (named for the ledger), recorded
        /// without a stage; a rendered prompt is rendered first, in a call of its own.
        func score(_ prompt: PromptArtifact, on split: [LabeledExample], named name: String, flag: CancellationFlag) throws -> Double {
            try flag.check()
            hostCalls += split.count
            let examples = split.enumerated().map { (index: $0, example: $1) }
            let applied = try prepared.rendering.materialize([prompt], inputs: split.map(\.input), context: host)
            let options = EvaluationOptions(details: false, cancellation: flag)
            guard let ledger else { return try evaluator.evaluate(applied, on: examples, options: options)[0].score }
            return try BackendCallRecord.measure(
                backend: prepared.backend, stage: nil, op: "evaluate", requestHash: BackendCallRecord.hash([name, "all", prompt.identity]),
                items: split.count, record: { call in
                    do { try ledger.record(call) } catch { logger.error("the run ledger could not record a host scoring: \(error)") }
                }) {
                try evaluator.evaluate(applied, on: examples, options: options)[0].score
            }
        }
        func scores(_ prompt: PromptArtifact, flag: CancellationFlag) throws -> SplitScores {
            SplitScores(train: try score(prompt, on: splits.train, named: "train", flag: flag), dev: try score(prompt, on: splits.dev, named: "dev", flag: flag),
                        test: try score(prompt, on: splits.test, named: "test", flag: flag))
        }
        /// The host's check of a stage's pick against its start, on train+dev. After the last
        /// stage the backend's own budget no longer applies (as for the final scoring); after an
        /// earlier one, a spent backend budget leaves the pick unchecked, with a warning.
        func select(_ pick: PromptArtifact, from start: PromptArtifact, stage i: Int, last: Bool) throws -> StageSelection? {
            // keep_if_worse takes the pick whatever it scores: nothing to check.
            if i < config.stages.count, config.stages[i].keepIfWorse { return nil }
            let both = splits.train + splits.dev
            if last { prepared.backend.suspendBudget() }
            let startScore: Double, pickScore: Double
            do {
                (startScore, pickScore) = try hostScoring("stage \(i + 1)'s pick against its starting prompt") { flag in
                    (try score(start, on: both, named: "train+dev", flag: flag), try score(pick, on: both, named: "train+dev", flag: flag))
                }
            } catch let error as BudgetExhaustedError {
                logger.warning("stage \(i + 1): the backend's budget is spent, so its pick goes on unchecked against its starting prompt (\(error))")
                return nil
            }
            let selection = StageSelection(
                start: start, pick: pick, startScore: startScore, pickScore: pickScore,
                keepIfWorse: i < config.stages.count ? config.stages[i].keepIfWorse : false)
            if selection.keepsPick {
                logger.info("stage \(i + 1): \(selection.sentence)")
            } else {
                logger.warning("stage \(i + 1): \(selection.sentence)")
            }
            note(ledger) { try $0.recordSelection(i, selection) }
            return selection
        }
        let baselinePrompt = PromptArtifact(text: config.task.prompt)
        let baseline: SplitScores
        if let recordedBaseline = recorded?.baseline, recordedBaseline.prompt.identity == baselinePrompt.identity {
            logger.info("baseline scores taken from the ledger")
            baseline = recordedBaseline.scores
            hostCalls += splits.train.count + splits.dev.count + splits.test.count
        } else {
            logger.info("scoring the baseline prompt \"\(baselinePrompt.text)\" on train, dev and test")
            baseline = try hostScoring("the baseline prompt", stopIfCancelled: true) { try scores(baselinePrompt, flag: $0) }
            note(ledger) { try $0.recordScores("baseline", prompt: baselinePrompt, scores: baseline) }
        }
        monitor?.emit(.scored(which: "baseline", prompt: baselinePrompt.text, scores: baseline))
        let labelIndex = Dictionary(uniqueKeysWithValues: config.task.labels.enumerated().map { ($1.name, $0) })
        func described(_ split: [LabeledExample]) -> [TaskExample] {
            split.enumerated().map { i, e in
                config.task.type == .generation
                    ? TaskExample(index: i, input: e.input, reference: e.label)
                    : TaskExample(index: i, input: e.input, label: labelIndex[e.label]!)
            }
        }
        let task = TaskDescription(
            type: config.task.type, template: config.task.template, labels: config.task.labels, metric: config.task.metric,
            train: described(splits.train), dev: described(splits.dev), unlabeled: splits.unlabeled)
        var seed = baselinePrompt
        var stageReports: [StageReport] = []
        for (i, optimizer) in prepared.optimizers.enumerated() {
            let previous = recorded.flatMap { i < $0.stages.count ? $0.stages[i] : nil }
            let budget = i < config.stages.count ? config.stages[i].budgetCalls : nil
            // A stage stopped by Ctrl-C after spending its whole budget has nothing left to do:
            // running it again could only return its seed, so its best prompt so far stands.
            let spent = previous.map { p in p.status == .cancelled && budget.map { p.usedCalls >= $0 } == true } ?? false
            if let previous, previous.status == .done || spent, var report = previous.report {
                if spent {
                    note(ledger) {
                        try $0.stageFinished(i, status: .done, result: RunResult(bestPrompt: report.bestPrompt, summary: report.summary, curve: report.curve),
                                             usedCalls: report.usedCalls, evaluatedPrompts: report.evaluatedPrompts, wallSeconds: report.wallSeconds)
                    }
                }
                if report.selection == nil, report.bestPrompt.identity != report.seedPrompt.identity {
                    report.selection = try select(report.bestPrompt, from: report.seedPrompt, stage: i, last: i == prepared.optimizers.count - 1)
                }
                logger.info("stage \(i + 1)/\(prepared.optimizers.count): \(optimizer.id) already done; its prompt \"\(report.outputPrompt.text)\" seeds the next stage")
                stageReports.append(report)
                seed = report.outputPrompt
                continue
            }
            let stageStart = Date()
            let context = StageContext(
                stageIndex: i, pluginID: optimizer.id, train: splits.train, dev: splits.dev,
                evaluator: evaluator, backend: prepared.backend, budgetCalls: budget,
                checkpointFile: outputDirectory.map { "\($0)/checkpoints/stage-\(i).json" },
                logger: logger, onProgress: progressHandler, ledger: ledger,
                usedCalls: previous?.usedCalls ?? 0, evaluatedPrompts: previous?.evaluatedPrompts ?? 0,
                checkpoint: try previous.flatMap { _ in try ledger?.checkpoint(stage: i) })
            context.rendering = prepared.rendering
            context.abortFlag = immediateFlag
            let alreadyCancelled = state.withLock { s -> Bool in
                s.activeContext = context
                return s.cancelled
            }
            if alreadyCancelled {
                logger.warning("cancelled: skipping stage \(i + 1) (\(optimizer.id)) and any after it")
                break
            }
            if let previous, previous.attempts > 0 {
                logger.info("stage \(i + 1)/\(prepared.optimizers.count): \(optimizer.id) resumed (\(previous.status.rawValue) before) with \(previous.usedCalls) of its budget of \(budget.map(String.init) ?? "unlimited") calls used")
            } else {
                logger.info("stage \(i + 1)/\(prepared.optimizers.count): \(optimizer.id), budget \(budget.map(String.init) ?? "unlimited") calls")
            }
            note(ledger) { try $0.stageStarted(i, seed: seed) }
            context.monitor = monitor
            monitor?.stageStarted(context, plugin: optimizer.id, budgetCalls: budget, seedPrompt: seed.text)
            let request = RunRequest(
                stageIndex: i, seedPrompt: seed, task: task, budget: context.budget,
                seed: config.seed &+ UInt64(i) &* 0x9E37_79B9, backend: prepared.backend.description)
            let wallBefore = previous?.wallSeconds ?? 0
            let result: RunResult
            do {
                result = try optimizer.optimize(request, context: context)
            } catch {
                state.withLock { s in s.activeContext = nil }
                note(ledger) {
                    try $0.stageFailed(i, error: "\(error)", usedCalls: context.usedCalls, evaluatedPrompts: context.evaluatedPrompts,
                                       wallSeconds: wallBefore + Date().timeIntervalSince(stageStart))
                }
                monitor?.stageEnded(stage: i, plugin: optimizer.id, status: .failed, bestPrompt: nil, usedCalls: context.usedCalls,
                                    wallSeconds: wallBefore + Date().timeIntervalSince(stageStart), error: "\(error)")
                throw error
            }
            let stoppedByCancel = state.withLock { s -> Bool in
                s.activeContext = nil
                return s.cancelled
            }
            var report = StageReport(
                plugin: optimizer.id, seedPrompt: seed, bestPrompt: result.bestPrompt.stored, budgetCalls: budget,
                usedCalls: context.usedCalls, evaluatedPrompts: context.evaluatedPrompts, summary: result.summary,
                curve: result.curve, wallSeconds: wallBefore + Date().timeIntervalSince(stageStart))
            note(ledger) {
                try $0.stageFinished(
                    i, status: stoppedByCancel ? .cancelled : .done, result: result, usedCalls: report.usedCalls,
                    evaluatedPrompts: report.evaluatedPrompts, wallSeconds: report.wallSeconds)
            }
            if state.withLock({ s in s.stopsNow }) {
                monitor?.stageEnded(stage: i, plugin: optimizer.id, status: .cancelled, bestPrompt: result.bestPrompt.text,
                                    usedCalls: report.usedCalls, wallSeconds: report.wallSeconds)
                throw RunCancelledError("the run was cancelled during stage \(i + 1) (\(optimizer.id)); its best prompt so far is recorded\(outputDirectory.map { " and a resume of \($0) continues the stage" } ?? "")")
            }
            if report.bestPrompt.identity != seed.identity {
                report.selection = try select(report.bestPrompt, from: seed, stage: i, last: i == prepared.optimizers.count - 1)
            }
            monitor?.stageEnded(stage: i, plugin: optimizer.id, status: stoppedByCancel ? .cancelled : .done, bestPrompt: result.bestPrompt.text,
                                usedCalls: report.usedCalls, wallSeconds: report.wallSeconds)
            stageReports.append(report)
            seed = report.outputPrompt
        }
        if state.withLock({ s in s.stopsNow }) {
            throw RunCancelledError("the run was cancelled before the best prompt was scored\(outputDirectory.map { "; resume it from \($0)" } ?? "")")
        }
        prepared.backend.suspendBudget()
        let best: SplitScores
        if seed.identity == baselinePrompt.identity {
            // The run ends where it started (every stage kept its start): the baseline's scores
            // are the best prompt's. Counted like a scoring, as a resumed run counts its
            // recorded baseline, so backend_calls does not depend on which prompt won.
            logger.info("the best prompt is the baseline prompt; its scores are the baseline's")
            best = baseline
            hostCalls += splits.train.count + splits.dev.count + splits.test.count
        } else {
            logger.info("scoring the best prompt \"\(seed.text)\" on train, dev and test")
            best = try hostScoring("the best prompt") { try scores(seed, flag: $0) }
        }
        note(ledger) { try $0.recordScores("best", prompt: seed, scores: best) }
        monitor?.emit(.scored(which: "best", prompt: seed.text, scores: best))
        var usage = prepared.backend.usage
        if let ledger, recorded != nil { usage = usage.adding((try? ledger.usage(beforeSession: ledger.session)) ?? BackendUsage()) }
        if usage.truncatedInputs > 0 {
            logger.warning("\(usage.truncatedInputs) input(s) were longer than the model's token limit and were cut to fit (usage.truncated_inputs in result.json)")
        }
        let report = RunReport(
            name: config.name, metric: config.task.metric, baselinePrompt: baselinePrompt, bestPrompt: seed,
            baseline: baseline, best: best, splitSizes: (splits.train.count, splits.dev.count, splits.test.count),
            stages: stageReports, backendCalls: hostCalls + stageReports.reduce(0) { $0 + $1.usedCalls },
            usage: usage, wallSeconds: (recorded?.wallSeconds ?? 0) + Date().timeIntervalSince(started), backendName: prepared.backend.name,
            taskType: config.task.type, status: state.withLock { s in s.cancelled } ? .cancelled : .done)
        if let outputDirectory { try write(report, to: outputDirectory) }
        return report
    }

    private func write(_ report: RunReport, to directory: String) throws {
        try FileWrite.atomically(report.json.prettyPrinted() + "\n", to: directory + "/result.json", what: "run result")
        try FileWrite.atomically(report.bestPrompt.text + "\n", to: directory + "/best_prompt.txt", what: "best prompt")
        let artifact = try JSONValue(parsing: Wire.encode(report.bestPrompt.stored)).prettyPrinted() + "\n"
        try FileWrite.atomically(artifact, to: directory + "/best_prompt.json", what: "best prompt artifact")
    }
}
