import HoneSDK

extension PipelineRunner {
    /// The evaluator of the run: the program's (``HoneComponents/register(evaluator:for:)``),
    /// else Hone's for the task, with the program's metric for a ``MetricSpec/custom(_:)`` one.
    /// Throws a ``ConfigError`` at `$.task.metric` when that metric is not registered.
    public func makeEvaluator(backend: any Backend, rendering: PromptRendering) throws -> any Evaluator {
        var customMetric: (any TextMetric)?
        if case .custom(let name) = config.task.metricSpec {
            guard let metric = components.metric(name) else {
                throw ConfigError(path: "$.task.metric", message: "the metric \"\(name)\" is not registered with this runner; register it in the HoneComponents the runner is given (register(metric:))")
            }
            customMetric = metric
        }
        let setup = EvaluatorSetup(task: config.task, backend: backend, rendering: rendering, customMetric: customMetric)
        if let make = components.evaluator(for: config.task.type) { return try make(setup) }
        return setup.standardEvaluator()
    }

    /// The program's optimizer for stage `index` when one is registered under its `plugin`
    /// id, else nil (the stage runs a plugin). Throws a ``ConfigError`` at the stage's `plugin`
    /// when the optimizer made reports another id: the ledger records stages by id.
    func makeRegisteredOptimizer(stage index: Int) throws -> (any Optimizer)? {
        let stage = config.stages[index]
        guard let make = components.optimizer(stage.plugin) else { return nil }
        let optimizer = try make(OptimizerSetup(stageIndex: index, stage: stage))
        guard optimizer.id == stage.plugin else {
            throw ConfigError(path: "\(stage.path).plugin", message: "the optimizer registered as \"\(stage.plugin)\" reports the id \"\(optimizer.id)\"; register it under its own id")
        }
        return optimizer
    }
}
