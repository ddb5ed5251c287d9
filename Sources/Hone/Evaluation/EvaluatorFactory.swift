import HoneSDK

/// Makes the one evaluator a pipeline scores with, from its task: a ``ClassificationEvaluator``
/// for `classification`, a ``GenerationEvaluator`` for `generation`.
///
/// The runner, `hone eval`, `hone apply` and every stage's `evaluate` use the evaluator made
/// here, so every prompt of a run is judged the same way.
public enum EvaluatorFactory {
    /// The evaluator of `task` on `backend`; `rendering` applies `rendered` artifacts and
    /// `customMetric` computes a ``MetricSpec/custom(_:)`` metric.
    public static func make(task: TaskConfig, backend: Backend, rendering: PromptRendering? = nil, customMetric: (any TextMetric)? = nil) -> any Evaluator {
        switch task.type {
        case .classification:
            return ClassificationEvaluator(
                backend: backend, template: task.template, labels: task.labels, metric: task.metric,
                maxFailureRate: task.maxFailureRate, nullLabel: task.nullLabel, rendering: rendering,
                customMetric: task.metricSpec.isCustom ? customMetric : nil)
        case .generation:
            return GenerationEvaluator(
                backend: backend, template: task.template, metric: task.metricSpec, settings: task.generation,
                maxFailureRate: task.maxFailureRate, rendering: rendering, customMetric: customMetric)
        }
    }

    /// Throws a ``ConfigError`` at `$.backend.type` when `backend` lacks a capability `evaluator`
    /// needs, naming what is missing and the backends that offer it.
    public static func checkCapabilities(of evaluator: any Evaluator, on backend: Backend) throws {
        let missing = evaluator.requiredCapabilities.subtracting(backend.capabilities)
        guard !missing.isEmpty else { return }
        let names = missing.map(\.rawValue).sorted().joined(separator: ", ")
        let hint = missing.contains(.generate)
            ? "use \"extractive-e5\" (offline, extractive) or \"openai\" with a server that generates"
            : "use \"e5\", \"extractive-e5\" or an \"openai\" server that offers it"
        throw ConfigError(
            path: "$.backend.type",
            message: "a \(evaluator.taskType.rawValue) task scored with \(evaluator.metric) needs \(names), which backend \(backend.name) does not offer (it offers \(backend.capabilities.map(\.rawValue).sorted().joined(separator: ", "))); \(hint)")
    }
}
