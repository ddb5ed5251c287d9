import HoneSDK

/// The stage configuration of the GRAM plugin: every key of ``schema``, with its default.
/// docs/methods/gram.md says what each key does and why its default is what it is.
public struct GRAMConfig: Sendable {
    /// Files of unlabeled text for the meta-training pool (TSV with a header: first column;
    /// JSON lines: `token`, `text`, `sentence` or `input`; BIG-bench `task.json`: the inputs;
    /// other files: one text a line). Relative paths are read from the working directory.
    /// They must not hold the target task's test set.
    public var poolFiles: [String] = []
    /// Whether the task's own unlabeled texts (`task.unlabeled`) join the pool.
    public var poolUseTaskUnlabeled = true
    /// At most this many pool texts (a seeded sample), each one `embed` call.
    public var poolSize = 2000
    /// Coarse clusters (domains).
    public var domains = 4
    /// Fine clusters (pseudo-classes) per domain.
    public var classesPerDomain = 8
    /// Classes per episode (N).
    public var ways = 4
    /// Support examples per class (K).
    public var shots = 4
    /// Query examples per class.
    public var queriesPerClass = 8
    /// Outer steps; 0 skips meta-learning (tuning from the zero-shot identity with γ = 1).
    public var metaSteps = 200
    /// Episodes per outer step.
    public var metaBatch = 4
    /// The meta-learner's settings (inner steps, step sizes, order, which parts learn).
    public var meta = MetaLearner.Settings()
    /// Rank of the class vectors' low-rank map (0: residual and shift only).
    public var rank = 4
    /// Downstream tuning steps on the target task.
    public var tuneSteps = 100
    /// Dev evaluation period of the downstream tuning.
    public var evalEvery = 10
    /// The class text embedded as the class's base vector.
    public var classText = ClassText.verbalizer

    /// Which text of a label is embedded as its passage.
    public enum ClassText: String, CaseIterable, Sendable {
        /// The label's verbalizer.
        case verbalizer
        /// The label's name, underscores read as spaces.
        case name
    }

    /// The defaults.
    public init() {}

    /// Reads a stage config; missing keys take their defaults.
    ///
    /// - Throws: ``PluginError`` (config) naming the key, what was wrong and what is accepted.
    public init(json: JSONValue) throws {
        guard let object = json.objectValue ?? (json.isNull ? [:] : nil) else {
            throw PluginError.config("org.hone.gram: the stage config must be a JSON object, got \(json.typeName)")
        }
        let properties = Self.schema["properties"]?.objectValue ?? [:]
        for key in object.keys where properties[key] == nil {
            throw PluginError.config("org.hone.gram: unknown config key \"\(key)\"; known keys: \(properties.keys.sorted().joined(separator: ", "))")
        }
        func value(_ key: String) throws -> JSONValue? {
            guard let v = object[key] else { return nil }
            let spec = properties[key]!
            let type = spec["type"]?.stringValue ?? ""
            let ok: Bool
            switch type {
            case "integer": ok = v.intValue != nil
            case "number": ok = v.doubleValue != nil
            case "boolean": ok = v.boolValue != nil
            case "string": ok = v.stringValue != nil
            case "array": ok = v.arrayValue?.allSatisfy { $0.stringValue != nil } == true
            default: ok = true
            }
            guard ok else { throw PluginError.config("org.hone.gram: \(key) must be \(type == "array" ? "an array of strings" : "a \(type)"), got \(v.typeName) \(v.serialized())") }
            if let n = v.doubleValue {
                if let low = spec["minimum"]?.doubleValue, n < low { throw PluginError.config("org.hone.gram: \(key) = \(n) is below its minimum \(low)") }
                if let high = spec["maximum"]?.doubleValue, n > high { throw PluginError.config("org.hone.gram: \(key) = \(n) is above its maximum \(high)") }
            }
            if let s = v.stringValue, let allowed = spec["enum"]?.arrayValue?.compactMap(\.stringValue), !allowed.contains(s) {
                throw PluginError.config("org.hone.gram: \(key) \"\(s)\" is not one of \(allowed.joined(separator: ", "))")
            }
            return v
        }
        poolFiles = try value("pool_files")?.arrayValue?.compactMap(\.stringValue) ?? poolFiles
        poolUseTaskUnlabeled = try value("pool_use_task_unlabeled")?.boolValue ?? poolUseTaskUnlabeled
        poolSize = try value("pool_size")?.intValue ?? poolSize
        domains = try value("domains")?.intValue ?? domains
        classesPerDomain = try value("classes_per_domain")?.intValue ?? classesPerDomain
        ways = try value("ways")?.intValue ?? ways
        shots = try value("shots")?.intValue ?? shots
        queriesPerClass = try value("queries_per_class")?.intValue ?? queriesPerClass
        metaSteps = try value("meta_steps")?.intValue ?? metaSteps
        metaBatch = try value("meta_batch")?.intValue ?? metaBatch
        meta.innerSteps = try value("inner_steps")?.intValue ?? meta.innerSteps
        meta.learningRate = try value("learning_rate")?.doubleValue ?? meta.learningRate
        meta.initializationLearningRate = try value("initialization_learning_rate")?.doubleValue ?? meta.initializationLearningRate
        meta.regulatorLearningRate = try value("regulator_learning_rate")?.doubleValue ?? meta.regulatorLearningRate
        meta.metaGradient = try value("meta_gradient").flatMap { MetaLearner.MetaGradient(rawValue: $0.stringValue ?? "") } ?? meta.metaGradient
        meta.learnInitialization = try value("learn_initialization")?.boolValue ?? meta.learnInitialization
        meta.learnRegulator = try value("learn_regulator")?.boolValue ?? meta.learnRegulator
        let regulatorName = try value("regulator")?.stringValue ?? meta.regulator.name
        let regulatorRank = try value("regulator_rank")?.intValue ?? Self.defaultRegulatorRank(meta.regulator)
        meta.regulator = regulatorName == "low_rank" ? .lowRank(rank: regulatorRank) : .gain
        rank = try value("rank")?.intValue ?? rank
        tuneSteps = try value("tune_steps")?.intValue ?? tuneSteps
        evalEvery = try value("eval_every")?.intValue ?? evalEvery
        classText = try value("class_text").flatMap { ClassText(rawValue: $0.stringValue ?? "") } ?? classText
        if classesPerDomain < ways {
            throw PluginError.config("org.hone.gram: classes_per_domain (\(classesPerDomain)) must be at least ways (\(ways)): an episode draws ways pseudo-classes from one domain")
        }
    }

    /// The rank of a regulator form (the default rank, 4, for the gain, which has none).
    static func defaultRegulatorRank(_ kind: GradientRegulator.Kind) -> Int {
        if case .lowRank(let rank) = kind { return rank }
        return 4
    }

    /// The JSON Schema of the config (the subset the host validates).
    public static let schema: JSONValue = {
        func integer(_ minimum: Int, _ maximum: Int, _ fallback: Int) -> JSONValue {
            ["type": "integer", "minimum": .number(Double(minimum)), "maximum": .number(Double(maximum)), "default": .number(Double(fallback))]
        }
        func number(_ minimum: Double, _ maximum: Double, _ fallback: Double) -> JSONValue {
            ["type": "number", "minimum": .number(minimum), "maximum": .number(maximum), "default": .number(fallback)]
        }
        func boolean(_ fallback: Bool) -> JSONValue { ["type": "boolean", "default": .bool(fallback)] }
        func choice(_ cases: [String], _ fallback: String) -> JSONValue {
            ["type": "string", "enum": .array(cases.map { .string($0) }), "default": .string(fallback)]
        }
        let d = GRAMConfig()
        let properties: [String: JSONValue] = [
            "pool_files": ["type": "array", "items": ["type": "string"], "default": []],
            "pool_use_task_unlabeled": boolean(d.poolUseTaskUnlabeled),
            "pool_size": integer(0, 1_000_000, d.poolSize),
            "domains": integer(2, 1000, d.domains),
            "classes_per_domain": integer(2, 1000, d.classesPerDomain),
            "ways": integer(2, 1000, d.ways),
            "shots": integer(1, 1000, d.shots),
            "queries_per_class": integer(1, 1000, d.queriesPerClass),
            "meta_steps": integer(0, 1_000_000, d.metaSteps),
            "meta_batch": integer(1, 1000, d.metaBatch),
            "inner_steps": integer(1, 1000, d.meta.innerSteps),
            "learning_rate": number(1e-8, 10, d.meta.learningRate),
            "initialization_learning_rate": number(0, 10, d.meta.initializationLearningRate),
            "regulator_learning_rate": number(0, 10, d.meta.regulatorLearningRate),
            "meta_gradient": choice(MetaLearner.MetaGradient.allCases.map(\.rawValue), d.meta.metaGradient.rawValue),
            "learn_initialization": boolean(d.meta.learnInitialization),
            "learn_regulator": boolean(d.meta.learnRegulator),
            "regulator": choice(["gain", "low_rank"], d.meta.regulator.name),
            "regulator_rank": integer(1, 64, defaultRegulatorRank(d.meta.regulator)),
            "rank": integer(0, 64, d.rank),
            "tune_steps": integer(0, 1_000_000, d.tuneSteps),
            "eval_every": integer(1, 1_000_000, d.evalEvery),
            "class_text": choice(ClassText.allCases.map(\.rawValue), d.classText.rawValue),
        ]
        return ["type": "object", "properties": .object(properties), "required": [], "additionalProperties": false]
    }()
}
