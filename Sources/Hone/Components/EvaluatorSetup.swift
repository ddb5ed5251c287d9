/// What a program's evaluator factory gets (``HoneComponents/register(evaluator:for:)``): the
/// task, the backend the run opened and the run's rendering step.
public struct EvaluatorSetup: Sendable {
    /// The task as configured (template, labels, metric, generation settings).
    public var task: TaskConfig
    /// The backend the run uses (a registered one, or a built-in).
    public var backend: any Backend
    /// Renders `rendered` artifacts; pass it on to evaluators that score them.
    public var rendering: PromptRendering
    /// The metric the program registered for a ``MetricSpec/custom(_:)`` task metric.
    public var customMetric: (any TextMetric)?

    /// Creates a setup.
    public init(task: TaskConfig, backend: any Backend, rendering: PromptRendering, customMetric: (any TextMetric)? = nil) {
        self.task = task
        self.backend = backend
        self.rendering = rendering
        self.customMetric = customMetric
    }

    /// The evaluator Hone itself makes for this task (``EvaluatorFactory``), for a program that
    /// wraps it rather than replacing it.
    public func standardEvaluator() -> any Evaluator {
        EvaluatorFactory.make(task: task, backend: backend, rendering: rendering, customMetric: customMetric)
    }
}
