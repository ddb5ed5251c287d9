import HoneSDK

/// An example as an evaluator sees it: its position in its split, and the example.
public typealias IndexedExample = (index: Int, example: LabeledExample)

/// Scores prompts on examples. The host owns evaluation so that every method is judged the
/// same way and no plugin ever sees test labels.
///
/// The runner, `hone eval` and every stage's `evaluate` go through one evaluator, made by
/// ``EvaluatorFactory`` from the task (``ClassificationEvaluator`` or ``GenerationEvaluator``).
/// Each evaluator declares the backend capabilities it needs; the host checks them before any
/// scoring, so plugins declare only what they call themselves.
public protocol Evaluator: Sendable {
    /// The metric this evaluator reports, e.g. "accuracy" or "rougeL".
    var metric: String { get }
    /// Classification or generation.
    var taskType: TaskType { get }
    /// What the backend must offer for this evaluator to score text prompts.
    var requiredCapabilities: Set<BackendCapability> { get }
    /// One score per prompt, in order, over `examples`; with `options.details`, per-example
    /// outcomes too (their indices are the examples' own).
    ///
    /// Prompts may be of any `PromptArtifact.Kind`: a `rendered` artifact is applied through
    /// its `PromptArtifact.perInput` texts (one per example) or, without them, through the
    /// evaluator's ``PromptRendering``; an `embedding_head` needs an evaluator that classifies
    /// with embeddings.
    func evaluate(_ prompts: [PromptArtifact], on examples: [IndexedExample], options: EvaluationOptions) throws -> [PromptScore]
}

extension Evaluator {
    /// ``evaluate(_:on:options:)`` with only `details` set.
    public func evaluate(_ prompts: [PromptArtifact], on examples: [IndexedExample], details: Bool) throws -> [PromptScore] {
        try evaluate(prompts, on: examples, options: EvaluationOptions(details: details))
    }
}

/// How one evaluation runs.
public struct EvaluationOptions: Sendable {
    /// Return per-example outcomes.
    public var details: Bool
    /// Generation: outputs per (prompt, example), each a backend call; scores are their mean.
    public var samples: Int
    /// Where a `rendered` artifact's renderer makes its backend calls (so they are budgeted and
    /// recorded with the stage that asked); nil: the rendering's own host context.
    public var renderContext: StageContext?

    /// Creates options.
    public init(details: Bool = false, samples: Int = 1, renderContext: StageContext? = nil) {
        self.details = details
        self.samples = max(1, samples)
        self.renderContext = renderContext
    }
}

/// The host's template renderer, now `PromptTemplate` in HoneSDK so plugins render exactly
/// as the host does.
public typealias TemplateRenderer = PromptTemplate
