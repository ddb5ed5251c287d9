import HoneSDK

/// A task's metric as a pipeline config names it (`task.metric`): a name, or an object with a
/// `type` and that metric's settings.
///
/// ```json
/// "metric": "macro_f1"
/// "metric": {"type": "micro_f1", "null_label": "Other"}
/// "metric": {"type": "ffi", "library": "libmetric.so", "symbol": "score", "signature": "double(const char*, const char*)"}
/// ```
///
/// Parsing checks everything that can be checked before data is loaded: unknown names and
/// keys, and for `ffi` the library, symbol and signature (see ``FFIMetric``).
public enum MetricSpec: Sendable {
    /// Share of correct predictions (classification).
    case accuracy
    /// Mean per-label F1 (classification).
    case macroF1
    /// Micro F1 leaving out the label named `nullLabel` (SemEval's "Other"); all labels if nil.
    case microF1(nullLabel: String?)
    /// A text-vs-reference metric (generation).
    case generation(GenerationMetric)
    /// Cosine similarity of the backend's embeddings of output and reference (generation).
    case embeddingSimilarity
    /// A C function called through libffi.
    case ffi(FFIMetric)
    /// A ``TextMetric`` the program registered under this name (``HoneComponents/register(metric:_:)``); generation.
    case custom(String)

    /// Every metric name a config may use.
    public static let names = ["accuracy", "macro_f1", "micro_f1"] + GenerationMetric.allCases.map(\.rawValue) + ["embedding_similarity", "ffi"]

    /// The config name.
    public var name: String {
        switch self {
        case .accuracy: return "accuracy"
        case .macroF1: return "macro_f1"
        case .microF1: return "micro_f1"
        case .generation(let metric): return metric.rawValue
        case .embeddingSimilarity: return "embedding_similarity"
        case .ffi: return "ffi"
        case .custom(let name): return name
        }
    }

    /// Whether the metric is one a program registered (``HoneComponents/register(metric:_:)``).
    public var isCustom: Bool {
        if case .custom = self { return true }
        return false
    }

    /// Whether the metric compares predicted labels with gold labels.
    public var isClassification: Bool {
        switch self {
        case .accuracy, .macroF1, .microF1: return true
        default: return false
        }
    }

    /// Reads the metric at `path`. Relative `ffi` library paths are resolved against `baseDirectory`.
    /// A name in `custom` (the metrics a program registered) reads as ``custom(_:)``.
    public init(json: JSONValue, path: String, baseDirectory: String, custom: Set<String> = []) throws {
        if let name = json.stringValue {
            if custom.contains(name) && !MetricSpec.names.contains(name) {
                self = .custom(name)
                return
            }
            self = try MetricSpec.named(name, path: path, custom: custom)
            return
        }
        let o = try ConfigObject(json, path: path)
        let name = try o.string("type")
        guard MetricSpec.names.contains(name) else {
            throw ConfigError(path: o.path(of: "type"), message: MetricSpec.unknown(name, custom: custom))
        }
        switch name {
        case "ffi":
            self = .ffi(try FFIMetric(config: o, baseDirectory: baseDirectory))
            return
        case "micro_f1":
            self = .microF1(nullLabel: try o.optionalString("null_label"))
        default:
            self = try MetricSpec.named(name, path: o.path(of: "type"), custom: custom)
        }
        try o.finish()
    }

    /// Checks a classification metric against the task's label names: `null_label` must be one.
    public func check(labels: [String], path: String) throws {
        if case .microF1(let nullLabel?) = self, !labels.contains(nullLabel) {
            throw ConfigError(path: "\(path).null_label", message: "\"\(nullLabel)\" is not among the task's labels (\(labels.joined(separator: ", ")))")
        }
    }

    private static func named(_ name: String, path: String, custom: Set<String>) throws -> MetricSpec {
        switch name {
        case "accuracy": return .accuracy
        case "macro_f1": return .macroF1
        case "micro_f1": return .microF1(nullLabel: nil)
        case "embedding_similarity": return .embeddingSimilarity
        case "ffi":
            throw ConfigError(path: path, message: "an ffi metric needs its library, symbol and signature: write {\"type\": \"ffi\", \"library\": ..., \"symbol\": ..., \"signature\": \"double(const char*, const char*)\"}")
        default:
            guard let metric = GenerationMetric(rawValue: name) else { throw ConfigError(path: path, message: unknown(name, custom: custom)) }
            return .generation(metric)
        }
    }

    private static func unknown(_ name: String, custom: Set<String>) -> String {
        "unknown metric \"\(name)\"; expected one of \((names + custom.sorted()).map { "\"\($0)\"" }.joined(separator: ", "))"
    }
}
