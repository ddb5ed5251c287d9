import Foundation
import HoneSDK

/// The GRAM optimizer plugin (`org.hone.gram`): Gradient-RegulAted Meta-prompt learning (Li et
/// al., ICCV 2023) on the dual-encoder embedding model.
///
/// A run: (1) embeds the task's class texts (passages) and its rendered train/dev inputs
/// (queries) through the host's `embed`; (2) unless `meta_steps` is 0, builds a task pool by
/// two-level k-means of unlabeled text disjoint from the task (``PoolSource``, ``TaskPool``)
/// and meta-learns the soft prompt's initialization and the gradient regulator on episodes
/// whose query set comes from another domain (``MetaLearner``); (3) tunes the soft prompt on
/// train from that initialization with regulated steps and picks it on dev (``PromptTuner``);
/// (4) returns an `embedding_head` artifact that the host's embedding classifier applies.
///
/// Budget: one call per embedded text (pool, pseudo-class medoids, train, dev, class texts);
/// meta-learning and tuning are local arithmetic. The plugin never calls `evaluate`: it scores
/// with exactly the host's head formula (``HeadScoring``), on train and dev only.
public final class GRAMOptimizer: HoneOptimizer {
    /// The plugin's descriptor.
    public static let descriptor = OptimizerDescriptor(
        id: "org.hone.gram",
        name: "GRAM",
        version: "1.0.0",
        description: "Meta-learned soft-prompt initialization and gradient regulation in the embedding space of a dual encoder (Li et al., ICCV 2023).",
        configSchema: GRAMConfig.schema,
        capabilities: ["embed"])

    /// The space a head is trained in when the host does not say (an ABI 1.0 host).
    public static let defaultSpace = EmbeddingSpace(backend: "e5", model: "multilingual-e5-small")
    /// The temperature when the host does not say.
    public static let defaultTemperature = 0.01

    /// The stage's configuration.
    public let config: GRAMConfig
    private let host: HostConnection
    /// Texts embedded in the current run (each one budget call).
    private var embeddedTexts = 0

    /// Creates an instance for one stage.
    public init(config: JSONValue, host: HostConnection) throws {
        self.config = try GRAMConfig(json: config)
        self.host = host
    }

    /// Meta-learns, tunes and returns the picked head.
    public func run(_ request: RunRequest) throws -> RunResult {
        let started = Date()
        embeddedTexts = 0
        let task = request.task
        guard task.type == .classification, task.labels.count >= 2 else {
            throw PluginError.invalidArgument("org.hone.gram needs a classification task with at least 2 labels; this task is \(task.type.rawValue) with \(task.labels.count) labels")
        }
        guard !task.train.isEmpty else {
            throw PluginError.invalidArgument("org.hone.gram needs training examples; the task's train split is empty")
        }
        let space = request.backend?.embeddingSpace ?? Self.defaultSpace
        let temperature = request.backend?.temperature ?? Self.defaultTemperature
        if request.seedPrompt.kind != .text {
            host.log(.info, "gram: the seed prompt is a \(request.seedPrompt.kind.rawValue) artifact; only its text is used, on the query side")
        }
        let promptText = request.seedPrompt.text
        let template = PromptTemplate(template: task.template)
        let classTexts = task.labels.map { config.classText == .name ? $0.name.replacingOccurrences(of: "_", with: " ") : $0.verbalizer }
        let targetCost = classTexts.count + task.train.count + task.dev.count
        var remaining = request.budget.remainingCalls
        if let left = remaining, left < targetCost {
            host.log(.warning, "gram: the budget (\(left) calls left) cannot embed the task's \(targetCost) texts; returning the seed prompt")
            return RunResult(bestPrompt: request.seedPrompt, summary: ["stop_reason": "budget", "calls_needed": .number(Double(targetCost))])
        }

        let classBase = try embed(classTexts, role: "passage", remaining: &remaining)
        let trainQueries = try embed(task.train.map { template.render(prompt: promptText, input: $0.input) }, role: "query", remaining: &remaining)
        let devQueries = try embed(task.dev.map { template.render(prompt: promptText, input: $0.input) }, role: "query", remaining: &remaining)
        let train = LabeledEmbeddings(classBase: classBase, queries: trainQueries, labels: task.train.map(\.label))
        let dev = LabeledEmbeddings(classBase: classBase, queries: devQueries, labels: task.dev.map(\.label))
        let layout = ParameterLayout(dimension: classBase[0].count, rank: config.rank)
        let head = SoftPromptHead(layout: layout, temperature: temperature)
        host.progress(0.05, "embedded the task")

        var summary: [String: JSONValue] = [:]
        var curve: [JSONValue] = []
        var initialization = layout.identity(seed: request.seed)
        var regulator = GradientRegulator.identity(config.meta.regulator, count: layout.count, seed: request.seed)
        if config.metaSteps > 0 && !host.isCancelled {
            let excluded = Set(task.train.map(\.input) + task.dev.map(\.input))
            let medoidAllowance = config.domains * config.classesPerDomain
            let limit = min(config.poolSize, remaining.map { max(0, $0 - medoidAllowance) } ?? config.poolSize)
            let texts = try PoolSource.pool(files: config.poolFiles, extra: config.poolUseTaskUnlabeled ? task.unlabeled : [],
                                            excluded: excluded, limit: limit, seed: request.seed)
            do {
                let learner = try metaLearn(poolTexts: texts, head: head, initialization: initialization, seed: request.seed,
                                            remaining: &remaining, summary: &summary, curve: &curve)
                initialization = learner.initialization
                regulator = learner.regulator
            } catch let error as EpisodeSampler.PoolTooSmall {
                host.log(.warning, "gram: \(error.description); tuning without meta-learning")
                summary["meta_skipped"] = .string(error.description)
            } catch let error as PluginError where error.shouldStop {
                // The budget ran out (or the run was cancelled) while embedding the pool: the task
                // is embedded already, so tune from the identity rather than fail.
                host.log(.warning, "gram: meta-learning stopped while embedding the pool (\(error.message)); tuning without it")
                summary["meta_skipped"] = .string(error.message)
            }
        }

        let tuner = PromptTuner(head: head, regulator: regulator, learningRate: config.meta.learningRate,
                                steps: config.tuneSteps, evaluateEvery: config.evalEvery)
        let selection = dev.queries.isEmpty ? train : dev
        if dev.queries.isEmpty { host.log(.warning, "gram: the task has no dev split; picking the tuned head on train") }
        let outcome = tuner.tune(from: initialization, train: train, selection: selection)
        for point in outcome.curve {
            curve.append(["phase": "tune", "step": .number(Double(point.step)), "train_loss": .number(point.trainLoss),
                          "selection_accuracy": .number(point.accuracy), "selection_loss": .number(point.loss)])
        }
        host.progress(1, String(format: "tuned; %@ accuracy %.3f at step %d", dev.queries.isEmpty ? "train" : "dev", outcome.selectionAccuracy, outcome.selectedStep))

        let zeroShot = head.evaluate(layout.identity(seed: request.seed), on: selection, gradient: false)
        let gains = regulator.gainSummary
        summary["selected_on"] = .string(dev.queries.isEmpty ? "train" : "dev")
        summary["selected_step"] = .number(Double(outcome.selectedStep))
        summary["selection_accuracy"] = .number(outcome.selectionAccuracy)
        summary["selection_loss"] = .number(outcome.selectionLoss)
        summary["zero_shot_selection_accuracy"] = .number(zeroShot.accuracy)
        summary["train_accuracy"] = .number(head.evaluate(outcome.theta, on: train, gradient: false).accuracy)
        summary["regulator"] = .string(regulator.kind.name)
        if regulator.kind == .gain {
            summary["regulator_gain"] = ["min": .number(gains.min), "mean": .number(gains.mean), "max": .number(gains.max)]
        }
        // How far the regulator turns the first training gradient (1 − cosine; 0: not at all).
        summary["regulator_turn"] = .number(regulator.turn(head.evaluate(initialization, on: train).gradient))
        summary["calls_used"] = .number(Double(embeddedTexts))
        summary["seconds"] = .number(Date().timeIntervalSince(started))
        let artifact = Self.artifact(theta: outcome.theta, head: head, classBase: classBase, space: space, text: promptText, data: [
            "selected_step": .number(Double(outcome.selectedStep)),
            "selection_accuracy": .number(outcome.selectionAccuracy),
            "rank": .number(Double(config.rank)),
            "meta_steps": .number(Double(config.metaSteps)),
        ])
        return RunResult(bestPrompt: artifact, summary: .object(summary), curve: curve)
    }

    /// The `embedding_head` artifact of parameters θ for these class base vectors: the class
    /// vectors v_c and the query shift s of ``SoftPromptHead``, at the head's temperature, no
    /// logit bias. The host applying it computes ``SoftPromptHead/evaluate(_:on:gradient:)``'s
    /// probabilities (``HeadScoring``).
    public static func artifact(theta: [Double], head: SoftPromptHead, classBase: [[Double]], space: EmbeddingSpace, text: String, data: JSONValue? = nil) -> PromptArtifact {
        let embeddingHead = EmbeddingHead(space: space, dimension: head.layout.dimension,
                                          classVectors: head.classVectors(theta, base: classBase),
                                          queryShift: head.queryShift(theta), temperature: head.temperature)
        return PromptArtifact(kind: .embeddingHead, text: text, method: descriptor.id, methodVersion: descriptor.version,
                              data: data, head: embeddingHead)
    }

    /// Builds the task pool from `poolTexts`, meta-learns, and logs the curve.
    private func metaLearn(poolTexts: [String], head: SoftPromptHead, initialization: [Double], seed: UInt64,
                           remaining: inout Int?, summary: inout [String: JSONValue], curve: inout [JSONValue]) throws -> MetaLearner {
        let need = config.domains * config.ways * max(config.shots, config.queriesPerClass)
        guard poolTexts.count >= need else {
            throw EpisodeSampler.PoolTooSmall(description: "the unlabeled pool holds \(poolTexts.count) texts (config pool_files, pool_use_task_unlabeled, pool_size, and the budget), fewer than the \(need) the episode settings need at least")
        }
        let poolQueries = try embed(poolTexts, role: "query", remaining: &remaining)
        host.progress(0.25, "embedded \(poolTexts.count) pool texts")
        let pool = TaskPool.build(embeddings: poolQueries, domainCount: config.domains, classesPerDomain: config.classesPerDomain, seed: seed)
        let medoids = pool.medoids
        let medoidVectors = try embed(medoids.map { poolTexts[$0] }, role: "passage", remaining: &remaining)
        let sampler = try EpisodeSampler(pool: pool, queryEmbeddings: poolQueries,
                                         medoidPassages: Dictionary(uniqueKeysWithValues: zip(medoids, medoidVectors)),
                                         ways: config.ways, shots: config.shots, queriesPerClass: config.queriesPerClass)
        var learner = MetaLearner(head: head, settings: config.meta, initialization: initialization, seed: seed)
        let losses = learner.train(sampler: sampler, steps: config.metaSteps, metaBatch: config.metaBatch, seed: seed) { step, loss in
            if step % 10 == 0 || step == config.metaSteps {
                curve.append(["phase": "meta", "step": .number(Double(step)), "query_loss": .number(loss)])
                host.progress(0.3 + 0.6 * Double(step) / Double(config.metaSteps), String(format: "meta step %d query loss %.3f", step, loss))
            }
            return !host.isCancelled
        }
        summary["pool_texts"] = .number(Double(poolTexts.count))
        summary["pool_domains"] = .number(Double(pool.domains.count))
        summary["pseudo_classes"] = .number(Double(medoids.count))
        summary["meta_steps_taken"] = .number(Double(losses.count))
        let window = max(1, min(10, losses.count / 2))
        summary["meta_query_loss_first"] = .number(losses.prefix(window).reduce(0, +) / Double(window))
        summary["meta_query_loss_last"] = .number(losses.suffix(window).reduce(0, +) / Double(window))
        return learner
    }

    /// Embeds texts through the host in batches, as Double vectors; counts the calls.
    private func embed(_ texts: [String], role: String, remaining: inout Int?) throws -> [[Double]] {
        var out: [[Double]] = []
        out.reserveCapacity(texts.count)
        for start in stride(from: 0, to: texts.count, by: 256) {
            let chunk = Array(texts[start..<min(start + 256, texts.count)])
            let vectors = try host.embed(chunk, role: role)
            guard vectors.count == chunk.count, let d = vectors.first?.count, d > 0, vectors.allSatisfy({ $0.count == d }) else {
                throw PluginError.backend("org.hone.gram: the host's embed answered \(vectors.count) vectors of unequal or zero size for \(chunk.count) texts")
            }
            out += vectors.map { $0.map(Double.init) }
            if let r = remaining { remaining = r - chunk.count }
            embeddedTexts += chunk.count
        }
        return out
    }
}
