import Foundation
import HoneSDK

/// Applies a prompt artifact outside a run, the way a run applies it: `hone eval --artifact`
/// scores it on a split, `hone apply` renders it (and runs the backend) for new inputs.
///
/// A `text` artifact fills the template's `{prompt}` slot; a `rendered` one is rendered per
/// input by its plugin (found on the runner's plugin search path at the artifact's version);
/// an `embedding_head` is applied by the embedding classifier and refused in another space.
public final class ArtifactApplication: Sendable {
    /// The pipeline whose task (template, labels or references, metric) and backend are used.
    public let config: PipelineConfig
    /// The backend.
    public let backend: Backend
    /// The pipeline's evaluator.
    public let evaluator: any Evaluator
    /// Renders `rendered` artifacts.
    public let rendering: PromptRendering
    /// The context renderers make their backend calls in (cached; no budget, no ledger).
    public let context: StageContext
    private let template: PromptTemplate

    /// What applying an artifact gave for one input.
    public struct Applied: Sendable {
        /// The input.
        public var input: String
        /// The text that filled `{prompt}` for it.
        public var prompt: String
        /// The whole text the backend sees (the template filled).
        public var rendered: String
        /// Generation, when asked: the backend's output.
        public var output: String?
        /// Classification, when asked: the predicted label's name.
        public var label: String?
        /// Classification, when asked: the probability of each label, by name.
        public var probabilities: [String: Double]?

        /// The JSONL line `hone apply` writes (without the input's own extra members).
        public var json: [String: JSONValue] {
            var o: [String: JSONValue] = ["input": .string(input), "prompt": .string(prompt), "rendered": .string(rendered)]
            if let output { o["output"] = .string(output) }
            if let label { o["label"] = .string(label) }
            if let probabilities { o["probabilities"] = .object(probabilities.mapValues { .number($0) }) }
            return o
        }
    }

    /// Opens the runner's backend and builds its evaluator and rendering step.
    public init(runner: PipelineRunner) throws {
        config = runner.config
        backend = try runner.openBackend()
        rendering = runner.makeRendering()
        evaluator = EvaluatorFactory.make(task: config.task, backend: backend, rendering: rendering)
        try EvaluatorFactory.checkCapabilities(of: evaluator, on: backend)
        context = StageContext(
            stageIndex: -1, pluginID: "host", train: [], dev: [], evaluator: evaluator, backend: backend,
            budgetCalls: nil, checkpointFile: nil, logger: runner.logger, onProgress: { _, _, _ in })
        context.rendering = rendering
        template = PromptTemplate(template: config.task.template)
    }

    /// The artifact's score on `examples` with per-example outcomes.
    public func score(_ artifact: PromptArtifact, on examples: [LabeledExample]) throws -> PromptScore {
        let applied = try rendering.materialize([artifact], inputs: examples.map(\.input), context: context)
        return try evaluator.evaluate(applied, on: examples.enumerated().map { (index: $0, example: $1) }, details: true)[0]
    }

    /// The artifact applied to each input: its `{prompt}` text and the rendered text, and with
    /// `produce`, the backend's output (generation) or predicted label (classification).
    public func apply(_ artifact: PromptArtifact, to inputs: [String], produce: Bool) throws -> [Applied] {
        let slots = try PromptRendering.slotTexts(for: artifact, inputs: inputs, using: rendering, context: context)
        var applied = zip(inputs, slots).map { input, slot in
            Applied(input: input, prompt: slot, rendered: template.render(prompt: slot, input: input))
        }
        guard produce, !inputs.isEmpty else { return applied }
        var withTexts = artifact
        withTexts.perInput = slots
        // No gold here: an empty label (classification) or reference (generation) keeps the
        // evaluator's metric meaningless, while its per-example outcomes are what is wanted.
        let examples = inputs.enumerated().map { (index: $0, example: LabeledExample(input: $1, label: "")) }
        let outcomes = try evaluator.evaluate([withTexts], on: examples, details: true)[0].examples ?? []
        for outcome in outcomes {
            if let generated = outcome.generated {
                applied[outcome.index].output = generated
            } else if outcome.predicted >= 0, outcome.predicted < config.task.labels.count {
                applied[outcome.index].label = config.task.labels[outcome.predicted].name
                applied[outcome.index].probabilities = Dictionary(uniqueKeysWithValues: zip(config.task.labels.map(\.name), outcome.probabilities))
            }
        }
        return applied
    }
}
