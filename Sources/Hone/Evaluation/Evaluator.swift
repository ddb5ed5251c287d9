import HoneSDK

/// Scores prompts on examples. The host owns evaluation so that every method is judged the
/// same way and no plugin ever sees test labels.
public protocol Evaluator: Sendable {
    /// The metric this evaluator reports, e.g. "accuracy".
    var metric: String { get }
    /// One score per prompt, in order, over `examples`; with `details`, per-example outcomes too
    /// (indices in the outcomes are positions in `indices`' split, as given).
    func evaluate(_ prompts: [PromptArtifact], on examples: [(index: Int, example: LabeledExample)], details: Bool) throws -> [PromptScore]
}

/// The host's template renderer, now ``PromptTemplate`` in HoneSDK so plugins render exactly
/// as the host does.
public typealias TemplateRenderer = PromptTemplate
