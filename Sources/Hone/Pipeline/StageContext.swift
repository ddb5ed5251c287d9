import Foundation
import HoneSDK
import Logging

/// What the host offers one optimizer stage: evaluation on train and dev, direct backend calls,
/// budget accounting, logging, progress, cancellation and checkpoints.
///
/// Every call is counted against the stage's budget before any work is done: a request the
/// budget cannot cover is refused whole (``PluginError/budgetExhausted(_:)``), so a stage never
/// overspends. Test examples are not reachable from here.
public final class StageContext: @unchecked Sendable {
    /// The stage's position in the pipeline.
    public let stageIndex: Int
    /// The plugin id, for messages.
    public let pluginID: String
    /// Train and dev examples.
    public let train: [LabeledExample]
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

    private let lock = NSLock()
    private var used = 0
    private let limit: Int?
    private var cancelled = false
    private var memoryCheckpoint: String?
    /// Number of candidate prompts evaluated (per split).
    public private(set) var evaluatedPrompts = 0

    /// Creates a stage context.
    public init(
        stageIndex: Int, pluginID: String, train: [LabeledExample], dev: [LabeledExample],
        evaluator: Evaluator, backend: Backend, budgetCalls: Int?, checkpointFile: String?,
        logger: Logger, onProgress: @escaping @Sendable (Int, Double, String?) -> Void
    ) {
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
    public var budget: BudgetStatus { lock.withLock { BudgetStatus(limitCalls: limit, usedCalls: used) } }

    /// Calls counted so far.
    public var usedCalls: Int { lock.withLock { used } }

    /// Marks the run cancelled; the plugin sees it through `is_cancelled`.
    public func cancel() { lock.withLock { cancelled = true } }

    /// Whether the run was cancelled or the budget is spent.
    public var isCancelled: Bool { lock.withLock { cancelled || (limit.map { used >= $0 } ?? false) } }

    /// Reserves `calls` from the budget or throws without reserving anything.
    private func charge(_ calls: Int) throws {
        try lock.withLock {
            if cancelled { throw PluginError.cancelled("the run was cancelled") }
            if let limit, used + calls > limit {
                throw PluginError.budgetExhausted("the request needs \(calls) calls but only \(max(0, limit - used)) of the stage's \(limit) remain")
            }
            used += calls
        }
    }

    /// Scores candidate prompts on train or dev.
    public func evaluate(_ request: EvaluateRequest) throws -> EvaluateResponse {
        let split = request.split == .train ? train : dev
        let indices = request.indices ?? Array(split.indices)
        for i in indices where !split.indices.contains(i) {
            throw PluginError.invalidArgument("index \(i) is outside the \(request.split.rawValue) split (0..<\(split.count))")
        }
        try charge(request.prompts.count * indices.count)
        let examples = indices.map { (index: $0, example: split[$0]) }
        let results: [PromptScore]
        do {
            results = try evaluator.evaluate(request.prompts, on: examples, details: request.details)
        } catch let error as BackendError {
            throw PluginError.backend(error.message)
        } catch let error as BudgetExhaustedError {
            throw PluginError.budgetExhausted(error.description)
        }
        lock.withLock { evaluatedPrompts += request.prompts.count }
        return EvaluateResponse(results: results, budget: budget)
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
                let vectors = try backend.embed(texts, role: role)
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
                return ["scores": .array(try backend.score(items).map { .array($0.map { .number($0) }) })]
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
                return ["texts": .array(try backend.generate(requests).map { .string($0) })]
            default:
                throw PluginError.unsupported("unknown backend op \"\(op)\"; expected \"embed\", \"score\" or \"generate\"")
            }
        } catch let error as BackendError {
            throw PluginError.backend(error.message)
        } catch let error as BudgetExhaustedError {
            throw PluginError.budgetExhausted(error.description)
        }
    }

    /// Stores the plugin's checkpoint (atomically, when a file is configured).
    public func saveCheckpoint(_ json: String) throws {
        lock.withLock { memoryCheckpoint = json }
        if let checkpointFile {
            try FileManager.default.createDirectory(atPath: (checkpointFile as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(json.utf8).write(to: URL(fileURLWithPath: checkpointFile), options: .atomic)
        }
    }

    /// The last checkpoint, from memory or the checkpoint file.
    public func loadCheckpoint() -> String? {
        if let m = lock.withLock({ memoryCheckpoint }) { return m }
        guard let checkpointFile, let data = FileManager.default.contents(atPath: checkpointFile) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
