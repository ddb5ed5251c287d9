import Foundation
import HoneSDK
import Logging
import Synchronization

/// What the host offers one optimizer stage: evaluation on train and dev, direct backend calls,
/// budget accounting, logging, progress, cancellation and checkpoints.
///
/// Every call is counted against the stage's budget before any work is done: a request the
/// budget cannot cover is refused whole (`PluginError.budgetExhausted(_:)`), so a stage never
/// overspends. Test examples are not reachable from here.
public final class StageContext: Sendable {
    /// The stage's position in the pipeline.
    public let stageIndex: Int
    /// The plugin id, for messages.
    public let pluginID: String
    /// Train examples.
    public let train: [LabeledExample]
    /// Dev examples.
    public let dev: [LabeledExample]
    /// The evaluator.
    public let evaluator: Evaluator
    /// The backend, for direct calls.
    public let backend: Backend
    /// Where checkpoints go (nil: kept in memory only).
    public let checkpointFile: String?
    /// The logger.
    public let logger: Logger
    /// Called with progress reports.
    public let onProgress: @Sendable (Int, Double, String?) -> Void

    private let limit: Int?
    private let ledger: RunLedger?
    /// What changes while the stage runs.
    private struct State {
        var used = 0
        var cancelled = false
        var memoryCheckpoint: String?
        var ledgerFailed = false
        var evaluatedPrompts = 0
        var rendering: PromptRendering?
        var monitor: RunMonitor?
    }
    private let state: Mutex<State>
    /// Number of candidate prompts evaluated (per split).
    public var evaluatedPrompts: Int { state.withLock { $0.evaluatedPrompts } }
    /// Renders `rendered` artifacts before they are scored (their renderers' backend calls go
    /// through this context, so the stage's budget pays for them).
    public var rendering: PromptRendering? {
        get { state.withLock { $0.rendering } }
        set { state.withLock { $0.rendering = newValue } }
    }
    /// Whether this context serves the host's own scorings (no stage): its calls are recorded
    /// without a stage.
    public var isHostContext: Bool { stageIndex < 0 }
    /// Where scored candidates are reported as run events (set by the runner).
    var monitor: RunMonitor? {
        get { state.withLock { $0.monitor } }
        set { state.withLock { $0.monitor = newValue } }
    }

    /// Creates a stage context.
    ///
    /// With a `ledger`, every evaluate request (with the candidates it scored), every direct
    /// backend call and every checkpoint is recorded there. A resumed stage passes the calls and
    /// evaluations its earlier attempts used (`usedCalls`, `evaluatedPrompts`), which count
    /// against its budget, and its last recorded `checkpoint`, which `checkpoint_load` returns.
    public init(
        stageIndex: Int, pluginID: String, train: [LabeledExample], dev: [LabeledExample],
        evaluator: Evaluator, backend: Backend, budgetCalls: Int?, checkpointFile: String?,
        logger: Logger, onProgress: @escaping @Sendable (Int, Double, String?) -> Void,
        ledger: RunLedger? = nil, usedCalls: Int = 0, evaluatedPrompts: Int = 0, checkpoint: String? = nil
    ) {
        self.ledger = ledger
        self.state = Mutex(State(used: usedCalls, memoryCheckpoint: checkpoint, evaluatedPrompts: evaluatedPrompts))
        self.stageIndex = stageIndex
        self.pluginID = pluginID
        self.train = train
        self.dev = dev
        self.evaluator = evaluator
        self.backend = backend
        self.limit = budgetCalls
        self.checkpointFile = checkpointFile
        self.logger = logger
        self.onProgress = onProgress
    }

    /// The budget as the plugin sees it.
    public var budget: BudgetStatus { BudgetStatus(limitCalls: limit, usedCalls: usedCalls) }

    /// Calls counted so far.
    public var usedCalls: Int { state.withLock { $0.used } }

    /// Marks the run cancelled; the plugin sees it through `is_cancelled`.
    public func cancel() { state.withLock { $0.cancelled = true } }

    /// Whether the run was cancelled or the budget is spent.
    public var isCancelled: Bool { state.withLock { state in state.cancelled || (limit.map { state.used >= $0 } ?? false) } }

    /// Reserves `calls` from the budget or throws without reserving anything.
    private func charge(_ calls: Int) throws {
        try state.withLock { state throws(PluginError) in
            if state.cancelled { throw PluginError.cancelled("the run was cancelled") }
            if let limit, state.used + calls > limit {
                throw PluginError.budgetExhausted("the request needs \(calls) calls but only \(max(0, limit - state.used)) of the stage's \(limit) remain")
            }
            state.used += calls
        }
    }

    /// Scores candidate prompts on train or dev.
    public func evaluate(_ request: EvaluateRequest) throws -> EvaluateResponse {
        let split = request.split == .train ? train : dev
        let indices = request.indices ?? Array(split.indices)
        for i in indices where !split.indices.contains(i) {
            throw PluginError.invalidArgument("index \(i) is outside the \(request.split.rawValue) split (0..<\(split.count))")
        }
        guard request.samples >= 1, request.samples <= 64 else {
            throw PluginError.invalidArgument("samples must be between 1 and 64, got \(request.samples)")
        }
        for (p, prompt) in request.prompts.enumerated() {
            if let given = prompt.perInput, given.count != indices.count {
                throw PluginError.invalidArgument("prompts[\(p)].per_input has \(given.count) texts for \(indices.count) requested examples; send one per example, in request order")
            }
        }
        let samples = evaluator.taskType == .generation ? request.samples : 1
        try charge(request.prompts.count * indices.count * samples)
        let examples = indices.map { (index: $0, example: split[$0]) }
        let results: [PromptScore]
        do {
            // Rendered artifacts are rendered first, apart from the scoring call, so their
            // renderer's own backend calls are recorded (and charged) as calls of their own.
            let prompts = try rendering.map { try $0.materialize(request.prompts, inputs: examples.map(\.example.input), context: self) } ?? request.prompts
            results = try measured(
                op: "evaluate", items: request.prompts.count * indices.count * samples,
                hash: [request.split.rawValue, request.indices.map { $0.map(String.init).joined(separator: ",") } ?? "all", "samples=\(samples)"] + prompts.map(\.identity) + prompts.map { ($0.perInput ?? []).joined(separator: "\u{1E}") },
                candidates: { results in
                    results.enumerated().map { (prompt: request.prompts[$0.offset], split: request.split.rawValue, score: $0.element, examples: indices.count) }
                }, countsEvaluations: request.prompts.count
            ) {
                try evaluator.evaluate(prompts, on: examples, options: EvaluationOptions(details: request.details, samples: samples, renderContext: self))
            }
        } catch let error as BackendError {
            throw PluginError.backend(error.message)
        } catch let error as BudgetExhaustedError {
            throw PluginError.budgetExhausted(error.description)
        } catch let error as ArtifactError {
            throw PluginError.invalidArgument(error.message)
        }
        monitor?.candidatesScored(stage: stageIndex, split: request.split.rawValue, prompts: request.prompts.map(\.text),
                                  scores: results.map(\.score), examples: indices.count)
        return EvaluateResponse(results: results, budget: budget)
    }

    /// Runs one backend call, counting `countsEvaluations` evaluated prompts when it succeeds
    /// and, with a ledger, recording the call (and the candidates it scored) in one transaction.
    private func measured<R>(
        op: String, items: Int, hash: @autoclosure () -> [String],
        candidates: (R) -> [(prompt: PromptArtifact, split: String, score: PromptScore, examples: Int)] = { _ in [] },
        countsEvaluations: Int = 0, _ body: () throws -> R
    ) throws -> R {
        guard let ledger else {
            let result = try body()
            if countsEvaluations > 0 { state.withLock { $0.evaluatedPrompts += countsEvaluations } }
            return result
        }
        var scored: R?
        return try BackendCallRecord.measure(
            backend: backend, stage: isHostContext ? nil : stageIndex, op: op, requestHash: BackendCallRecord.hash(hash()), items: items,
            record: { call in
                let succeeded = scored != nil
                let counts = state.withLock { state -> (Int, Int) in
                    if succeeded { state.evaluatedPrompts += countsEvaluations }
                    return (state.used, state.evaluatedPrompts)
                }
                do {
                    try ledger.record(call, candidates: scored.map(candidates) ?? [], stageUsage: (counts.0, counts.1))
                } catch {
                    reportLedgerFailure(error)
                }
            }
        ) {
            let result = try body()
            scored = result
            return result
        }
    }

    /// Logs the first ledger write that fails; the run goes on without a complete ledger.
    private func reportLedgerFailure(_ error: Error) {
        let first = state.withLock { state -> Bool in
            defer { state.ledgerFailed = true }
            return !state.ledgerFailed
        }
        if first { logger.error("the run ledger could not be written (\(error)); this stage will not be resumable from it") }
    }

    /// Handles a direct backend call (`embed`, `score`, `generate`), counting one call per item.
    public func backendCall(_ request: JSONValue) throws -> JSONValue {
        guard let op = request["op"]?.stringValue else {
            throw PluginError.invalidArgument("a backend call needs \"op\": \"embed\", \"score\" or \"generate\"")
        }
        do {
            switch op {
            case "embed":
                guard let texts = request["texts"]?.arrayValue?.compactMap(\.stringValue) else {
                    throw PluginError.invalidArgument("embed needs \"texts\": an array of strings")
                }
                let role = EmbeddingRole(rawValue: request["role"]?.stringValue ?? "passage") ?? .passage
                try charge(texts.count)
                let vectors = try measured(op: "embed", items: texts.count, hash: ["embed", role.rawValue] + texts) {
                    try backend.embed(texts, role: role)
                }
                return ["embeddings": .array(vectors.map { .array($0.map { .number(Double($0)) }) })]
            case "score":
                guard let raw = request["items"]?.arrayValue else {
                    throw PluginError.invalidArgument("score needs \"items\": [{\"context\": ..., \"candidates\": [...]}]")
                }
                let items = try raw.map { item -> ScoreItem in
                    guard let context = item["context"]?.stringValue, let candidates = item["candidates"]?.arrayValue?.compactMap(\.stringValue) else {
                        throw PluginError.invalidArgument("each score item needs \"context\" (string) and \"candidates\" (array of strings)")
                    }
                    return ScoreItem(context: context, candidates: candidates)
                }
                try charge(items.count)
                let scores = try measured(op: "score", items: items.count, hash: ["score", request.serialized()]) { try backend.score(items) }
                return ["scores": .array(scores.map { .array($0.map { .number($0) }) })]
            case "generate":
                guard let raw = request["requests"]?.arrayValue else {
                    throw PluginError.invalidArgument("generate needs \"requests\": [{\"prompt\": ...}]")
                }
                let requests = try raw.map { r -> GenerateRequest in
                    guard let prompt = r["prompt"]?.stringValue else { throw PluginError.invalidArgument("each generate request needs \"prompt\"") }
                    return GenerateRequest(
                        prompt: prompt, system: r["system"]?.stringValue, maxTokens: r["max_tokens"]?.intValue ?? 256,
                        temperature: r["temperature"]?.doubleValue ?? 0, stop: r["stop"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                        sampleIndex: r["sample_index"]?.intValue ?? 0)
                }
                try charge(requests.count)
                let texts = try measured(op: "generate", items: requests.count, hash: ["generate", request.serialized()]) { try backend.generate(requests) }
                return ["texts": .array(texts.map { .string($0) })]
            default:
                throw PluginError.unsupported("unknown backend op \"\(op)\"; expected \"embed\", \"score\" or \"generate\"")
            }
        } catch let error as BackendError {
            throw PluginError.backend(error.message)
        } catch let error as BudgetExhaustedError {
            throw PluginError.budgetExhausted(error.description)
        }
    }

    /// Stores the plugin's checkpoint: in memory, in the ledger when there is one, and
    /// (atomically) in the checkpoint file when one is configured.
    public func saveCheckpoint(_ json: String) throws {
        state.withLock { $0.memoryCheckpoint = json }
        do { try ledger?.saveCheckpoint(stageIndex, json: json) } catch { reportLedgerFailure(error) }
        if let checkpointFile {
            try FileWrite.atomically(json, to: checkpointFile, what: "stage checkpoint")
        }
    }

    /// The last checkpoint: from memory (which a resumed stage fills from the ledger), else
    /// from the checkpoint file.
    public func loadCheckpoint() -> String? {
        if let m = state.withLock({ $0.memoryCheckpoint }) { return m }
        guard let checkpointFile, let data = FileManager.default.contents(atPath: checkpointFile) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
