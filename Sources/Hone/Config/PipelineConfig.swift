import Foundation
import HoneSDK

/// A pipeline, as read from `pipeline.json`: a task, a backend and optimizer stages.
///
/// Parsing validates everything that can be checked without loading data or plugins; each
/// error names its JSON path. Relative paths in the file are resolved against the file's folder.
public struct PipelineConfig: Sendable, Equatable {
    /// A name for the run (used in messages and the run directory).
    public var name: String
    /// The seed every random choice of the run derives from.
    public var seed: UInt64
    /// Where results go; `hone run --out` overrides it.
    public var outputDirectory: String?
    /// Extra plugin directories or files, searched before `HONE_PLUGIN_PATH`.
    public var pluginPaths: [String]
    /// The task.
    public var task: TaskConfig
    /// The backend.
    public var backend: BackendConfig
    /// The cache.
    public var cache: CacheConfig
    /// Optimizer stages, run in order; each starts from the previous stage's best prompt.
    public var stages: [StageConfig]
    /// The folder relative paths are resolved against.
    public var baseDirectory: String

    /// Reads and validates the config file at `path`; it may name the backends and metrics
    /// registered in `components`.
    public static func load(file path: String, components: HoneComponents = HoneComponents()) throws -> PipelineConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, path: "$", message: "cannot read the file; check the path")
        }
        let json: JSONValue
        do { json = try JSONValue(parsingUTF8: Array(data)) } catch let error as JSONSyntaxError {
            throw ConfigError(file: path, path: "$", message: error.description)
        }
        let base = (URL(fileURLWithPath: path).deletingLastPathComponent().path)
        do { return try PipelineConfig(json: json, baseDirectory: base, components: components) } catch let error as ConfigError {
            throw error.inFile(path)
        }
    }

    /// Validates a parsed config; relative paths are resolved against `baseDirectory`. The
    /// config may name the backend types and metrics registered in `components`.
    public init(json: JSONValue, baseDirectory: String, components: HoneComponents = HoneComponents()) throws {
        let root = try ConfigObject(json, path: "$")
        self.baseDirectory = baseDirectory
        name = try root.optionalString("name") ?? "pipeline"
        try RunName.check(name, path: root.path(of: "name"))
        seed = UInt64(try root.optionalInt("seed", in: 0...Int(Int32.max)) ?? 0)
        outputDirectory = try root.optionalString("output_dir").map { PipelineConfig.resolve($0, against: baseDirectory) }
        pluginPaths = (try root.optionalStringArray("plugin_paths") ?? []).map { PipelineConfig.resolve($0, against: baseDirectory) }
        task = try TaskConfig(try root.object("task"), baseDirectory: baseDirectory, customMetrics: components.metricNames)
        backend = try BackendConfig(try root.optionalObject("backend"), registered: components.backendTypes)
        cache = try CacheConfig(try root.optionalObject("cache"), baseDirectory: baseDirectory)
        stages = try root.array("stages", nonEmpty: true) { value, path in try StageConfig(try ConfigObject(value, path: path)) }
        try root.finish()
    }

    /// `path` if absolute (or `~`-relative), else joined to `base`.
    public static func resolve(_ path: String, against base: String) -> String {
        if path.hasPrefix("/") { return path }
        if path.hasPrefix("~") { return (path as NSString).expandingTildeInPath }
        return URL(fileURLWithPath: base).appendingPathComponent(path).standardizedFileURL.path
    }
}

/// The task: data, template, labels (classification) or references (generation), and metric.
public struct TaskConfig: Sendable, Equatable {
    /// Classification (labels, scored with `score`) or generation (references, `generate`).
    public var type: TaskType
    /// Where the examples come from.
    public var dataset: DatasetConfig
    /// The template with `{prompt}` and `{input}` slots.
    public var template: String
    /// The task's own prompt: the baseline, and the first stage's starting point.
    public var prompt: String
    /// Labels with their verbalizers, in index order (empty for generation).
    public var labels: [TaskLabel]
    /// The metric, as parsed.
    public var metricSpec: MetricSpec
    /// The metric name.
    public var metric: String { metricSpec.name }
    /// How outputs are generated (generation tasks).
    public var generation: GenerationSettings
    /// The label the metric leaves out (`micro_f1`'s `null_label`, SemEval's "Other"), if any.
    public var nullLabel: String?
    /// The largest fraction of an evaluation's items the backend may fail on (after retries)
    /// before the evaluation fails; failed items are left out of the score and counted.
    public var maxFailureRate: Double

    /// The metrics the host computes for classification tasks.
    public static let metrics = ["accuracy", "macro_f1", "micro_f1"]
    /// The metrics of generation tasks.
    public static let generationMetrics = MetricSpec.names.filter { !metrics.contains($0) }

    /// Reads the labels and the metric of a classification task.
    private static func classification(_ o: ConfigObject, baseDirectory: String, customMetrics: Set<String>) throws -> (labels: [TaskLabel], metric: MetricSpec, nullLabel: String?) {
        let labels = try o.array("labels", nonEmpty: true) { value, path in
            let l = try ConfigObject(value, path: path)
            let name = try l.string("name")
            let label = TaskLabel(name: name, verbalizer: try l.optionalString("verbalizer") ?? name)
            try NULByteCheck.refuse(in: [("name", label.name), ("verbalizer", label.verbalizer)], of: l)
            try l.finish()
            return label
        }
        if labels.count < 2 {
            throw ConfigError(path: o.path(of: "labels"), message: "a classification task needs at least 2 labels, found \(labels.count)")
        }
        var seen = Set<String>()
        for (i, l) in labels.enumerated() where !seen.insert(l.name).inserted {
            throw ConfigError(path: "\(o.path(of: "labels"))[\(i)].name", message: "duplicate label name \"\(l.name)\"")
        }
        let spec = try o.value("metric").map { try MetricSpec(json: $0, path: o.path(of: "metric"), baseDirectory: baseDirectory, custom: customMetrics) } ?? .accuracy
        // A program's own metric (``TextMetric``) scores each predicted label name against the
        // gold one, so it serves classification as well as generation.
        guard spec.isClassification || spec.isCustom else {
            throw ConfigError(path: o.path(of: "metric"), message: "\"\(spec.name)\" scores generated text, but this pipeline classifies (it has labels); use one of \(TaskConfig.metrics.map { "\"\($0)\"" }.joined(separator: ", ")), or set task.type to \"generation\" (see docs/metrics.md)")
        }
        try spec.check(labels: labels.map(\.name), path: o.path(of: "metric"))
        if case .microF1(let null) = spec { return (labels, spec, null) }
        return (labels, spec, nil)
    }

    init(_ o: ConfigObject, baseDirectory: String, customMetrics: Set<String> = []) throws {
        type = TaskType(rawValue: try o.optionalChoice("type", TaskType.allCases.map(\.rawValue)) ?? "classification")!
        dataset = try DatasetConfig(try o.object("dataset"), baseDirectory: baseDirectory)
        template = try o.optionalString("template") ?? "{prompt} {input}"
        guard template.contains("{input}") else {
            throw ConfigError(path: o.path(of: "template"), message: "the template must contain the {input} slot, e.g. \"{prompt} {input}\"")
        }
        guard template.contains("{prompt}") else {
            throw ConfigError(path: o.path(of: "template"), message: "the template must contain the {prompt} slot, where optimizers put the prompt, e.g. \"{prompt} {input}\"")
        }
        try TemplateCheck.check(template, path: o.path(of: "template"))
        prompt = try o.optionalString("prompt") ?? ""
        try NULByteCheck.refuse(in: [("template", template), ("prompt", prompt)], of: o)
        switch type {
        case .classification:
            if !o.has("labels") {
                throw ConfigError(path: o.path(of: "labels"), message: "a classification task needs labels: [{\"name\": ..., \"verbalizer\": ...}, ...]; for a task whose outputs are judged against reference texts, set task.type to \"generation\"")
            }
            (labels, metricSpec, nullLabel) = try TaskConfig.classification(o, baseDirectory: baseDirectory, customMetrics: customMetrics)
        case .generation:
            if o.has("labels") {
                throw ConfigError(path: o.path(of: "labels"), message: "a generation task has no labels: each example's reference (dataset label_column) is what outputs are judged against; remove labels, or set task.type to \"classification\"")
            }
            labels = []
            nullLabel = nil
            metricSpec = try o.value("metric").map { try MetricSpec(json: $0, path: o.path(of: "metric"), baseDirectory: baseDirectory, custom: customMetrics) } ?? .generation(.rougeL)
            if metricSpec.isClassification {
                throw ConfigError(path: o.path(of: "metric"), message: "\"\(metricSpec.name)\" compares labels, but this task generates text (task.type \"generation\"); use one of \(TaskConfig.generationMetrics.map { "\"\($0)\"" }.joined(separator: ", ")) (see docs/metrics.md)")
            }
        }
        generation = try GenerationSettings(try o.optionalObject("generation"))
        if type == .classification, o.has("generation") {
            throw ConfigError(path: o.path(of: "generation"), message: "generation settings apply to generation tasks only; set task.type to \"generation\" or remove them")
        }
        maxFailureRate = try o.optionalDouble("max_failure_rate", in: 0...1) ?? 0.02
        try o.finish()
    }
}

/// Which backend to use, and its settings.
public struct BackendConfig: Sendable {
    /// The backend type, e.g. "e5".
    public var type: String
    /// The whole backend object, for backend-specific members.
    public var settings: JSONValue
    /// Similarity temperature (e5 `score`).
    public var temperature: Double
    /// Texts per engine call (e5).
    public var batchSize: Int

    /// Backend types this host knows (a program registers more: ``HoneComponents/register(backend:_:)``).
    public static let types = ["e5", "openai", "extractive-e5"]

    /// Reads the `backend` object; its `type` is a built-in one or one of `registered`, whose
    /// factory reads the rest of the object.
    init(_ o: ConfigObject?, registered: Set<String> = []) throws {
        guard let o else {
            type = "e5"; settings = ["type": "e5"]; temperature = 0.01; batchSize = 256
            return
        }
        type = try o.optionalChoice("type", BackendConfig.types + registered.subtracting(BackendConfig.types).sorted()) ?? "e5"
        settings = .object(o.members)
        switch type {
        case _ where !BackendConfig.types.contains(type):
            // A program's backend: its factory reads (and checks) the object.
            temperature = 0.01; batchSize = 256
        case "openai":
            // Checked here so `hone validate` reports every key with its path; the key itself is
            // read from the environment only when the backend is opened.
            _ = try OpenAIConfiguration(settings: o)
            temperature = 0.01; batchSize = 256
        case "extractive-e5":
            let extractive = try ExtractiveConfiguration(settings: o)
            temperature = extractive.temperature; batchSize = extractive.batchSize
        default:
            temperature = try o.optionalDouble("temperature", in: 1e-6...100) ?? 0.01
            batchSize = try o.optionalInt("batch_size", in: 1...4096) ?? 256
            try o.finish()
        }
    }
}

/// Where and whether the persistent cache lives.
public struct CacheConfig: Sendable, Equatable {
    /// The SQLite file; nil means the default location (see ``EmbeddingCache/defaultPath(environment:)``).
    public var path: String?
    /// Whether to use a persistent cache at all (an in-memory cache is always used).
    public var enabled: Bool

    init(_ o: ConfigObject?, baseDirectory: String) throws {
        path = try o?.optionalString("path").map { PipelineConfig.resolve($0, against: baseDirectory) }
        enabled = try o?.optionalBool("enabled") ?? true
        try o?.finish()
    }
}

/// One optimizer stage.
public struct StageConfig: Sendable, Equatable {
    /// The plugin id, e.g. "org.hone.random-search".
    public var plugin: String
    /// The plugin's own config, checked against its schema when the plugin is loaded.
    public var config: JSONValue
    /// The stage's budget of backend calls (each prompt-example scoring counts one).
    public var budgetCalls: Int?
    /// Whether the stage's pick replaces its starting prompt even when the host scores it lower
    /// on train+dev (`keep_if_worse`, default false: the better of the two goes on).
    public var keepIfWorse: Bool
    /// JSON path of this stage, for errors found later (schema violations).
    public var path: String
    /// Where the plugin runs (`isolation`); nil for the default (see ``PluginIsolation/forStage(_:plugin:searchPath:hostExecutable:logger:)``).
    public var isolation: StageIsolation?
    /// The limits of the plugin's process (`process_limits`) when it runs in one.
    public var processLimits: PluginProcessLimits

    init(_ o: ConfigObject) throws {
        path = o.path
        plugin = try o.string("plugin")
        config = o.value("config") ?? .object([:])
        keepIfWorse = try o.optionalBool("keep_if_worse") ?? false
        (isolation, processLimits) = try StageIsolation.read(o)
        if config.objectValue == nil {
            throw ConfigError(path: o.path(of: "config"), message: "expected an object, found \(config.typeName)")
        }
        if let budget = try o.optionalObject("budget") {
            budgetCalls = try budget.optionalInt("calls", in: 1...Int(Int32.max))
            try budget.finish()
        }
        try o.finish()
    }
}
