import Foundation
import HoneSDK

/// The Directional Stimulus Prompting optimizer plugin (`org.hone.dsp`): trains a hint policy
/// that writes instance-specific keywords into the prompt of a black-box generator.
///
/// The run: TextRank candidates and e5 features for every train and dev input (one `embed`
/// call per text, charged to the budget); the supervised stage on oracle keywords; then
/// `rl_steps` steps of REINFORCE (or best-of-N) on the generator's ROUGE through `evaluate`
/// with `per_input` prompts (`batch_size x hints_per_input x generator_samples` calls a step);
/// the greedy policy is scored on dev after the supervised stage and every `eval_every` steps,
/// and the best on dev is returned as a `rendered` artifact whose `data` is the policy.
public final class DSPOptimizer: HoneOptimizer {
    /// The plugin's descriptor.
    public static let descriptor = OptimizerDescriptor(
        id: "org.hone.dsp",
        name: "Directional Stimulus Prompting",
        version: "1.0.0",
        description: "A trained keyword-hint policy (supervised on oracle keywords, then policy-gradient RL on the generator's ROUGE) that steers a black-box generator (Li et al., NeurIPS 2023).",
        configSchema: DSPConfig.schema,
        capabilities: ["generate", "embed"])

    /// Renders DSP artifacts for new inputs.
    public static var artifactRenderer: (any HoneArtifactRenderer.Type)? { HintRenderer.self }

    /// The stage's configuration.
    public let config: DSPConfig
    private let host: HostConnection

    /// Creates an instance for one stage.
    public init(config: JSONValue, host: HostConnection) throws {
        self.config = try DSPConfig(json: config)
        self.host = host
    }

    /// Trains the policy and returns the best on dev.
    public func run(_ request: RunRequest) throws -> RunResult {
        let task = request.task
        guard task.type == .generation else {
            throw PluginError.invalidArgument("org.hone.dsp needs a generation task (task.type \"generation\" with a reference column); this task is \(task.type.rawValue)")
        }
        guard !task.train.isEmpty, task.train.allSatisfy({ $0.reference != nil }) else {
            throw PluginError.invalidArgument("org.hone.dsp needs training examples with references; the task's train split is empty or has examples without a reference")
        }
        let clock = StepClock()
        let host = self.host
        let featurizer = HintFeaturizer(extractor: CandidateExtractor(maxWords: config.maxWords), limit: config.candidates) { texts, role in
            try clock.waiting { try host.embed(texts, role: role) }
        }
        let trainFeatures = try featurizer.features(task.train.map(\.input))
        let devFeatures = try featurizer.features(task.dev.map(\.input))
        guard let dimension = (trainFeatures + devFeatures).lazy.compactMap({ $0.vectors.first?.count }).first.map({ $0 - CandidateFeatures.scalarCount }) else {
            throw PluginError.invalidArgument("org.hone.dsp: no training input has a candidate phrase (inputs without content words?)")
        }
        let featureSeconds = clock.busySeconds
        let trainer = HintTrainer(
            policy: HintPolicy(embeddingDimension: dimension, maxKeywords: config.maxKeywords), features: trainFeatures,
            references: task.train.map { $0.reference ?? "" }, reward: config.reward, hintsPerInput: config.hintsPerInput,
            learningRate: config.learningRate, weightDecay: config.weightDecay, seed: request.seed)
        let likelihood = trainer.fitSupervised(epochs: config.supervisedEpochs, learningRate: config.supervisedLearningRate)
        host.log(.info, "dsp: supervised stage done (mean log-likelihood per decision \(String(format: "%.3f", likelihood)))")

        var budget = request.budget
        let samples = config.generatorSamples
        let selectionSplit: VisibleSplit = task.dev.isEmpty ? .train : .dev
        let selectionFeatures = task.dev.isEmpty ? trainFeatures : devFeatures
        let selectionCost = selectionFeatures.count * samples
        func affordable(_ calls: Int) -> Bool { budget.remainingCalls.map { $0 >= calls } ?? true }
        func artifact(_ texts: [String]?, data: JSONValue? = nil) -> PromptArtifact {
            PromptArtifact(kind: .rendered, text: HintFormat.prompt(template: config.promptTemplate, keywords: [], input: ""),
                           method: Self.descriptor.id, methodVersion: Self.descriptor.version, data: data, perInput: texts)
        }
        func texts(_ episodes: [HintPolicy.Episode], _ features: [CandidateFeatures], _ inputs: [String]) -> [String] {
            zip(zip(episodes, features), inputs).map { pair, input in
                HintFormat.prompt(template: config.promptTemplate, keywords: pair.0.chosen.map { pair.1.candidates[$0].text }, input: input)
            }
        }
        func selectionScore(_ policy: HintPolicy) throws -> Double {
            let inputs = (selectionSplit == .dev ? task.dev : task.train).map(\.input)
            let prompts = texts(selectionFeatures.map(policy.greedy), selectionFeatures, inputs)
            let response = try clock.waiting {
                try host.evaluate(EvaluateRequest(prompts: [artifact(prompts)], split: selectionSplit, samples: samples))
            }
            budget = response.budget
            return response.results[0].score
        }

        var best = (policy: trainer.policy, score: -Double.infinity, step: 0)
        var curve: [JSONValue] = []
        var stopped = "steps"
        var stepTimes: [(busy: Double, waiting: Double)] = []
        do {
            if affordable(selectionCost) {
                best = (trainer.policy, try selectionScore(trainer.policy), 0)
                curve.append(["step": 0, "calls": .number(Double(budget.usedCalls)), "selection": .number(best.score)])
            }
            let stepCost = min(config.batchSize, task.train.count) * config.hintsPerInput * samples
            var order: [Int] = []
            var rng = SeededGenerator(seed: request.seed &+ 1)
            for step in (config.training == .none ? 0 : config.rlSteps) > 0 ? Array(1...config.rlSteps) : [] {
                if host.isCancelled { stopped = "cancelled"; break }
                guard affordable(stepCost + selectionCost) else { stopped = "budget"; break }
                let before = clock.snapshot
                if order.count < min(config.batchSize, task.train.count) { order += task.train.indices.shuffled(using: &rng) }
                let batch = Array(order.prefix(min(config.batchSize, task.train.count)))
                order.removeFirst(batch.count)
                let score: ([[HintPolicy.Episode]]) throws -> [[Double]] = { groups in
                    let batchInputs = batch.map { task.train[$0].input }
                    let prompts = (0..<self.config.hintsPerInput).map { k in
                        artifact(texts(groups.map { $0[k] }, batch.map { trainFeatures[$0] }, batchInputs))
                    }
                    let response = try clock.waiting {
                        try host.evaluate(EvaluateRequest(prompts: prompts, split: .train, indices: batch.map { task.train[$0].index }, details: true, samples: samples))
                    }
                    budget = response.budget
                    var rewards = [[Double]](repeating: [Double](repeating: 0, count: self.config.hintsPerInput), count: batch.count)
                    for (k, result) in response.results.enumerated() {
                        for (b, outcome) in (result.examples ?? []).enumerated() where b < batch.count {
                            rewards[b][k] = try self.config.reward.generationReward(outcome.scores ?? [:])
                        }
                    }
                    return rewards
                }
                let rollouts = config.training == .rl
                    ? try trainer.reinforceStep(batch: batch, score: score)
                    : try trainer.bestOfNStep(batch: batch, epochs: config.supervisedEpochs, learningRate: config.supervisedLearningRate, score: score)
                let after = clock.snapshot
                stepTimes.append((after.busy - before.busy, after.waiting - before.waiting))
                let mean = { (f: (HintTrainer.Rollout) -> Double) in rollouts.reduce(0) { $0 + f($1) } / Double(max(rollouts.count, 1)) }
                var point: [String: JSONValue] = [
                    "step": .number(Double(step)), "calls": .number(Double(budget.usedCalls)),
                    "reward": .number(mean(\.total)), "generation_reward": .number(mean(\.generation)),
                    "keyword_reward": .number(mean(\.keywords)), "kl": .number(mean(\.kl)),
                    "keywords": .number(mean { Double($0.episode.chosen.count) }),
                ]
                if step % config.evalEvery == 0 || step == config.rlSteps {
                    let s = try selectionScore(trainer.policy)
                    point["selection"] = .number(s)
                    if s > best.score { best = (trainer.policy, s, step) }
                }
                curve.append(.object(point))
                host.progress(Double(step) / Double(config.rlSteps), "dsp step \(step): reward \(String(format: "%.3f", mean(\.total)))")
            }
        } catch let error as PluginError where error.shouldStop {
            stopped = host.isCancelled ? "cancelled" : "budget"
            host.log(.info, "dsp: stopped early (\(error.message))")
        }
        let data = HintArtifact(selector: .policy, policy: best.policy, candidates: config.candidates, maxWords: config.maxWords, promptTemplate: config.promptTemplate)
        let steps = Double(max(stepTimes.count, 1))
        let summary: JSONValue = [
            "stopped": .string(stopped), "training": .string(config.training.rawValue),
            "best_step": .number(Double(best.step)), "best_selection": .number(best.score.isFinite ? best.score : 0),
            "selection_split": .string(selectionSplit.rawValue),
            "supervised_log_likelihood": .number(likelihood),
            "feature_seconds": .number(featureSeconds),
            "plugin_seconds_per_step": .number(stepTimes.reduce(0) { $0 + $1.busy } / steps),
            "generator_seconds_per_step": .number(stepTimes.reduce(0) { $0 + $1.waiting } / steps),
        ]
        return RunResult(bestPrompt: artifact(nil, data: data.json), summary: summary, curve: curve)
    }
}

/// Splits a run's wall time into the plugin's own work and waiting for the host.
final class StepClock {
    private let start = Date()
    private var waited = 0.0

    /// Runs `body` (a host call) and counts its time as waiting.
    func waiting<T>(_ body: () throws -> T) rethrows -> T {
        let t = Date()
        defer { waited += Date().timeIntervalSince(t) }
        return try body()
    }

    /// Seconds so far not spent waiting.
    var busySeconds: Double { Date().timeIntervalSince(start) - waited }

    /// `(busy, waiting)` seconds so far.
    var snapshot: (busy: Double, waiting: Double) { (busySeconds, waited) }
}
