import Foundation
import HoneSDK

/// The RLPrompt optimizer plugin (`org.hone.rlprompt`): learns a discrete prompt of
/// `prompt_length` vocabulary tokens by on-policy soft Q-learning against the backend's
/// `score`, and returns the greedy prompt that did best on dev.
///
/// Each step scores `prompts_per_step` sampled prompts on a training batch
/// (`prompts_per_step x batch` budget calls); every `eval_every` steps the greedy prompt is
/// scored on dev (skipped when that prompt was scored before). The run stops after
/// `max_steps`, when the budget cannot pay for another step and a dev evaluation, or when
/// the host cancels; it always returns the best prompt found so far.
public final class RLPromptOptimizer: HoneOptimizer {
    /// The plugin's descriptor.
    public static let descriptor = OptimizerDescriptor(
        id: "org.hone.rlprompt",
        name: "RLPrompt",
        version: "1.0.0",
        description: "Discrete prompt optimization by soft Q-learning of a small token policy (Deng et al., EMNLP 2022).",
        configSchema: RLPromptConfig.schema,
        capabilities: ["score"])

    /// The stage's configuration.
    public let config: RLPromptConfig
    private let host: HostConnection

    /// Creates an instance for one stage.
    public init(config: JSONValue, host: HostConnection) throws {
        self.config = try RLPromptConfig(json: config)
        self.host = host
    }

    /// Why a run ended.
    enum StopReason: String {
        case steps = "max_steps", budget, cancelled
    }

    /// Optimizes the prompt for the request's task.
    public func run(_ request: RunRequest) throws -> RunResult {
        let started = Date()
        var waiting = 0.0
        let task = request.task
        guard task.labels.count >= 2 else {
            throw PluginError.invalidArgument("org.hone.rlprompt needs a classification task with at least 2 labels; this task has \(task.labels.count)")
        }
        guard !task.train.isEmpty else {
            throw PluginError.invalidArgument("org.hone.rlprompt needs training examples; the task's train split is empty")
        }
        // The splits a candidate is judged on: train+dev pooled (as random search picks), dev
        // alone, or train when the task has no dev split.
        let selectionSplits: [VisibleSplit]
        if task.dev.isEmpty {
            selectionSplits = [.train]
            host.log(.warning, "rlprompt: the task has no dev split; selecting the final prompt on train instead")
        } else {
            selectionSplits = config.selectOn == .trainAndDev ? [.train, .dev] : [.dev]
        }
        func exampleCount(_ split: VisibleSplit) -> Int { split == .train ? task.train.count : task.dev.count }
        let selectionName = selectionSplits.map(\.rawValue).joined(separator: "+")
        let selectionCount = selectionSplits.map(exampleCount).reduce(0, +)

        let vocabulary = try Vocabulary.load(source: config.vocabSource, file: config.vocabFile, limit: config.vocabSize,
                                             trainingTexts: task.train.map(\.input))
        let features = try TokenFeatures.resolve(config.tokenFeatures, for: vocabulary, vocabularySource: config.vocabSource)
        let trainer = SoftQTrainer(config: config, vocabularySize: vocabulary.count, seed: request.seed, tokenFeatures: features)
        let fingerprint = TrainingCheckpoint.fingerprint(config: config, vocabulary: vocabulary, seed: request.seed)
        var progress = RunProgress()
        if let saved = try? host.loadCheckpoint() {
            do {
                progress = try TrainingCheckpoint.restore(saved, into: trainer, fingerprint: fingerprint)
                host.log(.info, "rlprompt: resumed from checkpoint at step \(trainer.step)")
            } catch {
                host.log(.warning, "rlprompt: ignoring checkpoint (\(error)); starting afresh")
            }
        }

        let batchSize = config.trainBatchSize == 0 ? task.train.count : min(config.trainBatchSize, task.train.count)
        let stepCost = config.promptsPerStep * batchSize
        let candidatesPerEvaluation = config.selectFrom == .greedyAndBestSampled ? 2 : 1
        let devCost = selectionCount * candidatesPerEvaluation
        var remaining = request.budget.remainingCalls
        var callsUsed = request.budget.usedCalls
        var stopReason = StopReason.steps
        var lastEvaluatedStep = -1

        func evaluate(_ prompts: [String], split: VisibleSplit, indices: [Int]?) throws -> EvaluateResponse {
            let t0 = Date()
            defer { waiting += Date().timeIntervalSince(t0) }
            let response = try host.evaluate(EvaluateRequest(prompts: prompts.map { PromptArtifact(text: $0) },
                                                             split: split, indices: indices, details: true))
            remaining = response.budget.remainingCalls
            callsUsed = response.budget.usedCalls
            return response
        }

        /// Scores one candidate on the selection split; false when the budget or a cancel stopped it.
        func evaluateCandidate(_ actions: [Int], kind: String) throws -> Bool {
            let text = vocabulary.text(of: actions)
            if var known = progress.devResults[text] {
                known.step = min(known.step, trainer.step)
                if known.beats(progress.best) { progress.best = known }
                return true
            }
            // The candidate's score on the pooled selection examples: each split's metric
            // weighted by its example count (for accuracy, the accuracy on the union).
            var weightedScore = 0.0, examples: [ExampleOutcome] = []
            do {
                for split in selectionSplits {
                    guard let result = try evaluate([text], split: split, indices: nil).results.first else {
                        throw PluginError.backend("the host answered a \(split.rawValue) evaluation with no result")
                    }
                    weightedScore += result.score * Double(exampleCount(split))
                    examples += result.examples ?? []
                }
            } catch let error as PluginError where error.shouldStop {
                return false
            }
            let candidate = RunProgress.Candidate(actions: actions, text: text, devScore: weightedScore / Double(max(selectionCount, 1)),
                                                  devReward: trainer.reward.promptReward(examples), step: trainer.step)
            progress.devResults[text] = candidate
            if candidate.beats(progress.best) { progress.best = candidate }
            host.log(.debug, "rlprompt: step \(trainer.step) \(kind) \"\(text)\" \(selectionName) \(candidate.devScore)")
            return true
        }

        /// Scores the greedy prompt and, with `select_from` = greedy_and_best_sampled, the best
        /// sampled prompt since the last evaluation; false when the budget or a cancel stopped it.
        func evaluateSelection() throws -> Bool {
            lastEvaluatedStep = trainer.step
            guard try evaluateCandidate(trainer.greedyPrompt(), kind: "greedy") else { return false }
            if config.selectFrom == .greedyAndBestSampled, let recent = progress.recentBestSample {
                progress.recentBestSample = nil
                guard try evaluateCandidate(recent.actions, kind: "best sampled") else { return false }
            }
            return true
        }

        training: while trainer.step < config.maxSteps {
            // The host also reports "cancelled" once the budget is spent; tell the two apart.
            if host.isCancelled { stopReason = remaining.map { $0 < stepCost } == true ? .budget : .cancelled; break }
            if let left = remaining, left < stepCost + devCost { stopReason = .budget; break }
            let samples = trainer.samplePrompts()
            let texts = samples.map { vocabulary.text(of: $0.actions) }
            let indices: [Int]? = batchSize == task.train.count ? nil : trainer.drawBatch(count: batchSize, from: task.train.count).map { task.train[$0].index }
            let response: EvaluateResponse
            do {
                response = try evaluate(texts, split: .train, indices: indices)
            } catch let error as PluginError where error.shouldStop {
                stopReason = error.status == PluginError.cancelled("").status ? .cancelled : .budget
                break training
            }
            guard response.results.count == samples.count else {
                throw PluginError.backend("the host scored \(response.results.count) prompts, \(samples.count) were asked for")
            }
            let rewards = response.results.map { trainer.reward.promptReward($0.examples ?? []) }
            for (sample, reward) in zip(samples, rewards) { progress.noteTraining(actions: sample.actions, reward: reward) }
            let stats = trainer.update(samples: samples, rawRewards: rewards)
            if trainer.step % config.evalEvery == 0 {
                if !(try evaluateSelection()) { stopReason = .budget; break training }
            }
            progress.curve.append([
                "step": .number(Double(trainer.step)),
                "mean_reward": .number(stats.meanReward),
                "max_reward": .number(stats.maxReward),
                "best_dev": progress.best.map { .number($0.devScore) } ?? .null,
                "calls_used": .number(Double(callsUsed)),
            ])
            if config.checkpointEvery > 0 && trainer.step % config.checkpointEvery == 0 {
                do {
                    try host.saveCheckpoint(TrainingCheckpoint.encode(trainer: trainer, progress: progress, fingerprint: fingerprint))
                } catch {
                    host.log(.warning, "rlprompt: could not save a checkpoint at step \(trainer.step): \(error)")
                }
            }
            let fraction = config.maxSteps > 0 ? Double(trainer.step) / Double(config.maxSteps) : -1
            let budgetFraction = request.budget.limitCalls.map { Double(callsUsed) / Double(max($0, 1)) } ?? 0
            host.progress(min(1, max(fraction, budgetFraction)),
                          String(format: "step %d reward %.1f best %@ %@", trainer.step, stats.meanReward, selectionName,
                                 progress.best.map { String(format: "%.3f", $0.devScore) } ?? "-"))
        }
        // The final policy's candidates are scored too, if not yet scored and the budget allows.
        if lastEvaluatedStep != trainer.step && trainer.step > 0 && !host.isCancelled && (remaining.map { $0 >= devCost } ?? true) {
            _ = try evaluateSelection()
        }
        if trainer.step > 0 && config.checkpointEvery > 0 {
            try? host.saveCheckpoint(TrainingCheckpoint.encode(trainer: trainer, progress: progress, fingerprint: fingerprint))
        }

        let chosenActions: [Int]
        let chosenBy: String
        if let best = progress.best {
            chosenActions = best.actions
            chosenBy = "best_" + selectionSplits.map(\.rawValue).joined(separator: "_and_")
        } else if let bestTrain = progress.bestTrain {
            chosenActions = bestTrain.actions
            chosenBy = "best_sampled_train_reward"
        } else {
            chosenActions = trainer.greedyPrompt()
            chosenBy = "untrained_greedy"
        }
        let text = vocabulary.text(of: chosenActions)
        let elapsed = Date().timeIntervalSince(started)
        let summary: JSONValue = [
            "steps": .number(Double(trainer.step)),
            "stop_reason": .string(stopReason.rawValue),
            "chosen_by": .string(chosenBy),
            "best_prompt": .string(text),
            "selected_on": .string(selectionName),
            "best_dev_score": progress.best.map { .number($0.devScore) } ?? .null,
            "best_step": progress.best.map { .number(Double($0.step)) } ?? .null,
            "final_greedy_prompt": .string(vocabulary.text(of: trainer.greedyPrompt())),
            "vocabulary_size": .number(Double(vocabulary.count)),
            "token_features": .string(features == nil ? "none" : "shipped"),
            "calls_used": .number(Double(callsUsed)),
            "seconds": .number(elapsed),
            "seconds_waiting_for_host": .number(waiting),
            "plugin_overhead_fraction": .number(elapsed > 0 ? max(0, elapsed - waiting) / elapsed : 0),
        ]
        let artifact = PromptArtifact(text: text, method: Self.descriptor.id, data: [
            "tokens": .array(chosenActions.map { .string(vocabulary.tokens[$0]) }),
            "dev_score": progress.best.map { .number($0.devScore) } ?? .null,
            "step": progress.best.map { .number(Double($0.step)) } ?? .null,
        ])
        return RunResult(bestPrompt: artifact, summary: summary, curve: progress.curve)
    }
}
