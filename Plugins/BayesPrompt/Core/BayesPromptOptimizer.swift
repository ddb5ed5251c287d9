import Foundation
import HoneSDK

/// The BayesPrompt optimizer plugin (`org.hone.bayesprompt`, Li et al., ICLR 2024): fits a
/// Gaussian mixture to e5 features of the unlabeled in-domain pool (the approximated target
/// domain), transports the k-shot examples' features toward it by Stein variational gradient
/// descent, and builds the prompt from samples of the transported particles, as an
/// `embedding_head` (domain-shifted class prototypes and query shift) or as text (domain
/// context sentences + demonstrations + instruction). The candidate built from each draw of
/// particles is selected on train+dev.
///
/// Backend calls: one per embedded text (pool, k-shot examples, and in embedding mode the dev
/// inputs and the verbalizers); in text mode one per (candidate, example) scored through
/// `evaluate`. docs/methods/bayesprompt.md describes what was kept from the paper and why the
/// rest was adapted.
public final class BayesPromptOptimizer: HoneOptimizer {
    /// The plugin's descriptor.
    public static let descriptor = OptimizerDescriptor(
        id: "org.hone.bayesprompt",
        name: "BayesPrompt",
        version: "1.1.0",
        description: "Debiased domain abstraction: a Gaussian mixture over unlabeled in-domain text, k-shot features moved toward it by SVGD, sampled into the prompt (Li et al., ICLR 2024).",
        configSchema: BayesPromptConfig.schema,
        capabilities: ["embed"])

    /// The embedding space assumed when the host does not describe its backend (a 1.0 host or
    /// the embedded model before ABI 1.1 backends are passed).
    public static let fallbackSpace = EmbeddingSpace(backend: "e5", model: "multilingual-e5-small")
    /// The classifier temperature assumed when the host does not give one (the e5 default).
    public static let fallbackTemperature = 0.01

    /// The stage's configuration.
    public let config: BayesPromptConfig
    private let host: HostConnection

    /// Creates an instance for one stage.
    public init(config: JSONValue, host: HostConnection) throws {
        self.config = try BayesPromptConfig(json: config)
        self.host = host
    }

    /// The artifact kind this run returns.
    func resolvedMode(_ backend: BackendDescription?) -> BayesPromptConfig.Mode {
        switch config.mode {
        case .auto:
            guard let backend else { return .embedding }
            return backend.embeddingSpace != nil && backend.capabilities.contains("embed") ? .embedding : .text
        default:
            return config.mode
        }
    }

    /// Builds, selects and returns the prompt for the request's task.
    public func run(_ request: RunRequest) throws -> RunResult {
        let started = Date()
        let task = request.task
        guard task.type == .classification, task.labels.count >= 2 else {
            throw PluginError.invalidArgument("org.hone.bayesprompt needs a classification task with at least 2 labels; this task has \(task.labels.count) (type \(task.type.rawValue))")
        }
        guard !task.train.isEmpty else {
            throw PluginError.invalidArgument("org.hone.bayesprompt needs k-shot training examples; the task's train split is empty")
        }
        let mode = resolvedMode(request.backend)
        var session = EmbeddingSession(host: host, batch: config.embedBatch, template: PromptTemplate(template: task.template),
                                       prompt: request.seedPrompt.text, usedCalls: request.budget.usedCalls)
        do {
            return try build(request, mode: mode, session: &session, started: started)
        } catch let error as PluginError where error.shouldStop {
            host.log(.warning, "bayesprompt: stopped before a prompt was built (\(error.message)); returning the seed prompt")
            return RunResult(bestPrompt: request.seedPrompt, summary: [
                "stop_reason": .string(error.status == PluginError.cancelled("").status ? "cancelled" : "budget"),
                "calls_used": .number(Double(session.usedCalls)),
            ])
        }
    }

    private func build(_ request: RunRequest, mode: BayesPromptConfig.Mode, session: inout EmbeddingSession, started: Date) throws -> RunResult {
        let task = request.task
        let labels = task.labels
        var random = StageRandom(seed: request.seed)
        let needsPool = config.particles != .none
        let selection: [TaskExample] = task.dev
        if task.dev.isEmpty { host.log(.warning, "bayesprompt: the task has no dev split; selecting on train alone (leave-one-out in embedding mode)") }
        let draws = config.particles == .none && mode == .embedding ? 1 : config.draws

        // The pool: task.unlabeled, else the training inputs; a seeded sample when it is capped
        // or the budget cannot pay for all of it.
        var poolTexts = needsPool ? (task.unlabeled.isEmpty ? task.train.map(\.input) : task.unlabeled) : []
        let fixedCost = task.train.count + (mode == .embedding ? selection.count + labels.count : draws * (task.train.count + selection.count))
        var poolCap = config.poolLimit > 0 ? config.poolLimit : poolTexts.count
        if let remaining = request.budget.remainingCalls, fixedCost + min(poolCap, poolTexts.count) > remaining {
            poolCap = max(0, remaining - fixedCost)
            host.log(.warning, "bayesprompt: the budget (\(remaining) calls left) cannot embed the whole pool; using a seeded sample of \(poolCap) of \(poolTexts.count) sentences")
        }
        if poolTexts.count > poolCap {
            var poolRandom = StageRandom(seed: request.seed, stream: 0x706F6F6C)
            poolTexts = poolRandom.sample(poolCap, from: poolTexts.count).sorted().map { poolTexts[$0] }
        }
        let components = min(config.components == 0 ? labels.count : config.components, max(poolTexts.count, 1))
        if needsPool && poolTexts.count < max(components, 2) {
            throw PluginError.invalidArgument("org.hone.bayesprompt: the unlabeled pool has \(poolTexts.count) sentences, too few for \(components) mixture components; give task.dataset.unlabeled, raise the budget or set particles to \"none\"")
        }

        host.progress(0.02, "embedding \(task.train.count) k-shot examples and \(poolTexts.count) pool sentences")
        let shots = try session.embedInputs(task.train.map(\.input))
        let pool = try session.embedInputs(poolTexts)
        let embedSeconds = Date().timeIntervalSince(started)

        // The domain: a mixture over the pool, and the particles.
        var mixture: GaussianMixture?
        var fitReport: GaussianMixture.FitReport?
        let scale = pool.rows > 1 ? pool.meanColumnVariance() : 0
        let fitStarted = Date()
        if config.particles == .svgd || config.particles == .gmmMeans {
            host.progress(0.4, "fitting a \(components)-component \(config.covariance.rawValue) Gaussian mixture to \(pool.rows) x \(pool.columns) features")
            let fitted = try Self.fitMixture(pool, components: components, config: config, ridge: config.covarianceRidge * scale, seed: request.seed)
            mixture = fitted.mixture
            fitReport = fitted.report
        }
        let fitSeconds = Date().timeIntervalSince(fitStarted)
        let transportStarted = Date()
        let transport = SteinTransport(iterations: config.svgdIterations, stepSize: config.svgdStepSize * scale.squareRoot())
        if config.particles == .svgd { host.progress(0.5, "moving \(shots.rows) particles by SVGD (\(config.svgdIterations) iterations)") }
        let particles = DomainParticles.make(config.particles, shots: shots, pool: pool, mixture: mixture, transport: transport,
                                             random: &random, shouldStop: { self.host.isCancelled })
        let transportSeconds = Date().timeIntervalSince(transportStarted)
        let sampleCount = config.sampledParticles == 0 ? labels.count : config.sampledParticles
        let particleDraws = particles.draws(draws, count: sampleCount, random: &random)
        let builder = TextPromptBuilder(poolTexts: poolTexts, pool: pool)

        var choice: Choice
        switch mode {
        case .text, .auto:
            choice = try selectText(task: task, draws: particleDraws, particles: particles, builder: builder, seed: request.seed,
                                    instruction: config.instruction ?? request.seedPrompt.text, session: &session)
        case .embedding:
            choice = try selectHead(request: request, shots: shots, pool: pool, particles: particles, draws: particleDraws, session: &session)
            // Informative: the pool sentences nearest to the chosen draw's particles.
            let draw = particleDraws[choice.draw]
            let context = builder.nearestSentences(to: particles.points.selecting(rows: draw.indices)).map { poolTexts[$0] }
            choice.artifact.parts = context.isEmpty ? nil : PromptParts(context: context)
        }
        let elapsed = Date().timeIntervalSince(started)
        let selectedOn = task.dev.isEmpty ? "train" : "train+dev"
        var data = choice.data
        data["particles"] = .string(config.particles.rawValue)
        data["selection_score"] = .number(choice.score)
        data["selected_on"] = .string(selectedOn)
        choice.artifact.data = .object(data)
        let summary: JSONValue = [
            "mode": .string(mode.rawValue),
            "particles": .string(config.particles.rawValue),
            "pool_size": .number(Double(pool.rows)),
            "shots": .number(Double(shots.rows)),
            "mixture_components": .number(Double(mixture?.components ?? 0)),
            "mixture_covariance": .string(config.covariance.rawValue),
            "em_iterations": fitReport.map { .number(Double($0.iterations)) } ?? .null,
            "em_converged": fitReport.map { .bool($0.converged) } ?? .null,
            "mean_log_likelihood": fitReport.map { .number($0.meanLogLikelihood) } ?? .null,
            "candidates": .number(Double(choice.candidates)),
            "selection_score": .number(choice.score),
            "selected_on": .string(selectedOn),
            "calls_used": .number(Double(session.usedCalls)),
            "seconds": .number(elapsed),
            "seconds_embedding": .number(embedSeconds),
            "seconds_mixture_fit": .number(fitSeconds),
            "seconds_transport": .number(transportSeconds),
        ]
        host.progress(1, String(format: "selected %@ %.4f on %@", mode == .embedding ? "head" : "prompt", choice.score, selectedOn))
        return RunResult(bestPrompt: choice.artifact, summary: summary)
    }

    /// Fits the domain mixture as configured.
    static func fitMixture(_ pool: FeatureMatrix, components: Int, config: BayesPromptConfig, ridge: Double, seed: UInt64) throws
        -> (mixture: GaussianMixture, report: GaussianMixture.FitReport) {
        do {
            return try GaussianMixture.fit(pool, components: components, covariance: config.covariance, ridge: max(ridge, 1e-12),
                                           maxIterations: config.emIterations, tolerance: config.emTolerance, seed: seed)
        } catch let error as MixtureError {
            throw PluginError.invalidArgument("org.hone.bayesprompt: \(error)")
        }
    }

    /// The chosen candidate.
    struct Choice {
        var artifact: PromptArtifact
        var score: Double
        var draw: Int
        var candidates: Int
        var data: [String: JSONValue]
    }

    /// Embedding mode: every (prototypes, draw, shift scale, prototype weight) head, scored with
    /// the host's formula on the k-shot examples (leave-one-out) and dev; the best (first on
    /// ties) wins. Prototypes are the k-shot examples' means; with a pool (and
    /// `domain_prototypes`) also the label-anchored domain mixture's (``DomainPrototypes``),
    /// anchored by the shots and the labelled particles; with SVGD particles and
    /// `transported_prototypes`, also the means of the transported particles of each label.
    private func selectHead(request: RunRequest, shots: FeatureMatrix, pool: FeatureMatrix, particles: DomainParticles,
                            draws: [DomainParticles.Draw], session: inout EmbeddingSession) throws -> Choice {
        let task = request.task
        let verbalizers = try session.embed(task.labels.map(\.verbalizer), role: "passage")
        let dev = try session.embedInputs(task.dev.map(\.input))
        let space = request.backend?.embeddingSpace ?? Self.fallbackSpace
        let temperature = request.backend?.temperature ?? Self.fallbackTemperature
        let shotLabels = task.train.map(\.label)
        let shotHeads = PrototypeHeads(shots: shots, shotLabels: shotLabels, verbalizers: verbalizers)
        var prototypeSources = [("shots", shotHeads)]
        if particles.source == .svgd && config.transportedPrototypes && particles.points.rows == shots.rows {
            prototypeSources.append(("transported", PrototypeHeads(shots: particles.points, shotLabels: shotLabels, verbalizers: verbalizers)))
        }
        if config.domainPrototypes && particles.source != .none && pool.rows > 0 {
            // The label-anchored domain mixture, anchored by the shots and the labelled
            // particles (the same machinery for every particle source).
            let shotPrototypes = FeatureMatrix(vectors: (0..<task.labels.count).map { shotHeads.classVector($0, shift: [Double](repeating: 0, count: shots.columns), weight: 1) })
            let particleLabels = particles.labels(shotLabels: shotLabels, prototypes: shotPrototypes)
            let anchors = FeatureMatrix(rows: shots.rows + particles.points.rows, columns: shots.columns, values: shots.values + particles.points.values)
            let domain = DomainPrototypes.fit(pool: pool, anchors: anchors, anchorLabels: shotLabels + particleLabels, fallback: shotPrototypes,
                                              concentration: config.domainConcentration > 0 ? config.domainConcentration : 1 / temperature,
                                              iterations: config.domainIterations, poolWeight: config.domainPoolWeight)
            prototypeSources.append(("domain", PrototypeHeads(shots: shots, shotLabels: shotLabels, verbalizers: verbalizers, sums: domain.sums, weights: domain.weights)))
        }
        let nullLabel = config.nullLabel.flatMap { name in task.labels.firstIndex { $0.name == name } }
        let metric = SelectionMetric(name: task.metric, labelCount: task.labels.count, nullLabel: nullLabel)
        let gold = task.train.map(\.label) + task.dev.map(\.label)
        let scales = config.particles == .none ? [0.0] : config.shiftScales
        let ownParticles = particles.source == .svgd && particles.points.rows == shots.rows ? particles.points : nil
        var best: (score: Double, source: Int, draw: Int, scale: Double, weight: Double)?
        var candidates = 0
        for (s, (_, heads)) in prototypeSources.enumerated() {
            for (d, draw) in draws.enumerated() {
                for scale in scales {
                    let shift = draw.mean.map { $0 * scale }
                    for weight in config.prototypeWeights where s == 0 || weight > 0 {
                        if host.isCancelled { break }
                        // Transported prototypes are scored on the raw shots' embeddings, each
                        // left out of its own label's prototype, like the shots' prototypes.
                        // SVGD particle i started at shot i: leave-one-out also takes a shot's own
                        // particle out of the shift it is scored with.
                        let predicted = heads.predictions(shift: shift, weight: weight, others: dev, queries: shots,
                                                          shiftSource: ownParticles.map { ($0, draw.indices, scale) })
                        let score = metric.value(gold: gold, predicted: predicted.shots + predicted.others)
                        candidates += 1
                        if best.map({ score > $0.score }) ?? true { best = (score, s, d, scale, weight) }
                    }
                }
            }
        }
        guard let best else { throw PluginError.cancelled("bayesprompt: cancelled before any head was scored") }
        let head = prototypeSources[best.source].1.head(shift: draws[best.draw].mean.map { $0 * best.scale }, weight: best.weight, space: space, temperature: temperature)
        let artifact = PromptArtifact(kind: .embeddingHead, text: request.seedPrompt.text, method: Self.descriptor.id,
                                      methodVersion: Self.descriptor.version, head: head)
        return Choice(artifact: artifact, score: best.score, draw: best.draw, candidates: candidates, data: [
            "draw": .number(Double(best.draw)),
            "prototypes": .string(prototypeSources[best.source].0),
            "shift_scale": .number(best.scale),
            "prototype_weight": .number(best.weight),
        ])
    }

    /// Text mode: one prompt per draw (context from its particles, demonstrations drawn per
    /// draw index, the same across particle sources), scored by the host on train and dev.
    private func selectText(task: TaskDescription, draws: [DomainParticles.Draw], particles: DomainParticles, builder: TextPromptBuilder,
                            seed: UInt64, instruction: String, session: inout EmbeddingSession) throws -> Choice {
        var artifacts: [PromptArtifact] = []
        for (d, draw) in draws.enumerated() {
            var demoRandom = StageRandom(seed: seed, stream: 0x64656D6F &+ UInt64(d))
            let context = builder.nearestSentences(to: particles.points.selecting(rows: draw.indices)).map { builder.poolTexts[$0] }
            let demonstrations = TextPromptBuilder.demonstrations(from: task.train, labels: task.labels, perClass: config.demonstrationsPerClass, random: &demoRandom)
            let parts = PromptParts(instruction: instruction.isEmpty ? nil : instruction, context: context.isEmpty ? nil : context,
                                    demonstrations: demonstrations.isEmpty ? nil : demonstrations)
            artifacts.append(PromptArtifact(kind: .text, text: TextPromptBuilder.text(of: parts), method: Self.descriptor.id,
                                            methodVersion: Self.descriptor.version, parts: parts))
        }
        var totals = [Double](repeating: 0, count: artifacts.count)
        var examples = 0
        for (split, count) in [(VisibleSplit.train, task.train.count), (.dev, task.dev.count)] where count > 0 {
            let response = try host.evaluate(EvaluateRequest(prompts: artifacts, split: split))
            session.usedCalls = response.budget.usedCalls
            guard response.results.count == artifacts.count else {
                throw PluginError.backend("the host scored \(response.results.count) prompts, \(artifacts.count) were asked for")
            }
            for (i, result) in response.results.enumerated() { totals[i] += result.score * Double(count) }
            examples += count
        }
        var bestIndex = 0
        for i in totals.indices where totals[i] > totals[bestIndex] { bestIndex = i }
        return Choice(artifact: artifacts[bestIndex], score: totals[bestIndex] / Double(max(examples, 1)), draw: bestIndex,
                      candidates: artifacts.count, data: ["draw": .number(Double(bestIndex))])
    }
}
