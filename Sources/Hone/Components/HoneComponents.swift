import HoneSDK

/// What a program brings to a run besides the config: its own backends, evaluators, metrics
/// and optimizers, registered by the name the config uses for them. Give it to
/// ``PipelineRunner/init(config:components:searchPath:outputDirectory:logger:)`` (and to
/// ``PipelineConfig/init(json:baseDirectory:components:)``, so the config may name them).
///
/// - A backend registered as `"my-model"` is what `"backend": {"type": "my-model", ...}`
///   opens; its factory gets the whole `backend` object.
/// - A metric registered as `"keyword_recall"` is what `"metric": "keyword_recall"` scores a
///   generation task with.
/// - An evaluator factory replaces Hone's evaluator for a task type (or for every task).
/// - An optimizer registered as `"com.example.greedy"` runs the stages whose `plugin` is that
///   id, in process; no plugin library is looked up for it.
///
/// The built-in names (backend types `e5`, `openai`, `extractive-e5`; Hone's metric names)
/// cannot be registered again. Capabilities are checked against the backend the run opens.
///
/// ```swift
/// var components = HoneComponents()
/// components.register(metric: "keyword_recall") { generated, reference in ... }
/// components.register(optimizer: "com.example.greedy") { setup in try GreedyOptimizer(setup) }
/// let runner = PipelineRunner(config: config, components: components)
/// ```
public struct HoneComponents: Sendable {
    /// Makes a backend from its setup.
    public typealias BackendMaker = @Sendable (BackendSetup) throws -> any Backend
    /// Makes an evaluator from its setup.
    public typealias EvaluatorMaker = @Sendable (EvaluatorSetup) throws -> any Evaluator
    /// Makes a stage's optimizer from its setup.
    public typealias OptimizerMaker = @Sendable (OptimizerSetup) throws -> any Optimizer

    private var backends: [String: BackendMaker] = [:]
    private var evaluators: [TaskType?: EvaluatorMaker] = [:]
    private var metrics: [String: any TextMetric] = [:]
    private var optimizers: [String: OptimizerMaker] = [:]

    /// No components: every name in the config is a built-in one.
    public init() {}

    /// Registers `make` as the backend of type `type`. Throws a ``ConfigError`` when `type` is
    /// a built-in backend type.
    public mutating func register(backend type: String, _ make: @escaping BackendMaker) throws {
        guard !BackendConfig.types.contains(type) else {
            throw ConfigError(path: "$.backend.type", message: "\"\(type)\" is a built-in backend type; register your backend under another name")
        }
        backends[type] = make
    }

    /// Registers `make` as the evaluator of tasks of `taskType` (nil: of every task whose type
    /// has no evaluator of its own registered).
    public mutating func register(evaluator make: @escaping EvaluatorMaker, for taskType: TaskType? = nil) {
        evaluators[taskType] = make
    }

    /// Registers `metric` under `name`, for generation and classification tasks (see
    /// ``TextMetric``). Throws a ``ConfigError`` when
    /// `name` is one of Hone's metric names.
    public mutating func register(metric name: String, _ metric: some TextMetric) throws {
        guard !MetricSpec.names.contains(name) else {
            throw ConfigError(path: "$.task.metric", message: "\"\(name)\" is one of Hone's metrics; register yours under another name")
        }
        metrics[name] = metric
    }

    /// Registers the metric `score(generated, reference)` under `name` (see ``register(metric:_:)``).
    public mutating func register(metric name: String, score: @escaping @Sendable (_ generated: String, _ reference: String) throws -> Double) throws {
        try register(metric: name, ClosureTextMetric(score))
    }

    /// Registers `make` as the optimizer of the stages whose `plugin` is `id`. The optimizer it
    /// makes must report that `id`.
    public mutating func register(optimizer id: String, _ make: @escaping OptimizerMaker) {
        optimizers[id] = make
    }

    /// The backend types registered.
    public var backendTypes: Set<String> { Set(backends.keys) }
    /// The metric names registered.
    public var metricNames: Set<String> { Set(metrics.keys) }
    /// The optimizer ids registered.
    public var optimizerIDs: Set<String> { Set(optimizers.keys) }

    /// The backend factory of `type`, if registered.
    public func backend(_ type: String) -> BackendMaker? { backends[type] }
    /// The metric named `name`, if registered.
    public func metric(_ name: String) -> (any TextMetric)? { metrics[name] }
    /// The evaluator factory for `taskType`: its own, else the one for every task, if any.
    public func evaluator(for taskType: TaskType) -> EvaluatorMaker? { evaluators[taskType] ?? evaluators[nil] }
    /// The optimizer factory of `id`, if registered.
    public func optimizer(_ id: String) -> OptimizerMaker? { optimizers[id] }
}
