import Foundation
import HoneSDK
import Logging

@testable import Hone

/// One optimizer stage on the hash-scoring backend over ``TinyReviewTask``: the context a plugin
/// gets (real budget accounting, evaluation, backend calls, checkpoints) and its run request.
struct HashStage {
    /// The backend, whose `usage` counts what the stage computed.
    let backend = HashScoringBackend()
    /// The stage's context.
    let context: StageContext
    /// The evaluator behind `context`.
    let evaluator: ClassificationEvaluator

    /// A stage of `pluginID` with `budget` calls (unlimited when `nil`), logging into `logger`.
    init(pluginID: String, budget: Int? = nil, logger: Logger = Logger(label: "test")) {
        evaluator = ClassificationEvaluator(backend: backend, template: "{prompt} {input}", labels: TinyReviewTask.labels, metric: "accuracy")
        context = StageContext(
            stageIndex: 0, pluginID: pluginID, train: TinyReviewTask.train, dev: TinyReviewTask.dev, evaluator: evaluator,
            backend: backend, budgetCalls: budget, checkpointFile: nil, logger: logger, onProgress: { _, _, _ in })
    }

    /// The run request of the stage, starting from `seedPrompt`.
    func request(seedPrompt: String = "", seed: UInt64 = 5) -> RunRequest {
        func task(_ split: [LabeledExample]) -> [TaskExample] {
            split.enumerated().map { TaskExample(index: $0, input: $1.input, label: evaluator.index(ofLabel: $1.label)!) }
        }
        return RunRequest(
            stageIndex: 0, seedPrompt: PromptArtifact(text: seedPrompt),
            task: TaskDescription(template: "{prompt} {input}", labels: TinyReviewTask.labels, metric: "accuracy",
                                  train: task(TinyReviewTask.train), dev: task(TinyReviewTask.dev)),
            budget: context.budget, seed: seed)
    }
}
