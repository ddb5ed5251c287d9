import HoneSDK

/// The stage configuration of the DSP plugin: every key of ``schema``, with its default.
/// docs/methods/dsp.md describes each and where the paper's value was kept or changed.
public struct DSPConfig: Sendable, Equatable {
    /// The `{prompt}` text with `[[HINT]]` (and optionally `[[QUESTION]]`) slots; default: the paper's few-shot file.
    public var promptTemplate = PaperFewShotPrompt.cnndmHint
    /// Candidate phrases per input (the policy's action set).
    public var candidates = 40
    /// Longest candidate phrase in words.
    public var maxWords = 3
    /// Most keywords per hint.
    public var maxKeywords = 10
    /// What trains the policy after the supervised stage.
    public var training = Training.rl
    /// Passes over the training split in the supervised stage.
    public var supervisedEpochs = 40
    /// Adam step size of the supervised stage.
    public var supervisedLearningRate = 0.05
    /// L2 weight decay in both stages.
    public var weightDecay = 1e-3
    /// RL (or best-of-N) steps at most; the budget may stop the run first.
    public var rlSteps = 20
    /// Training inputs per step.
    public var batchSize = 8
    /// Hints sampled per input per step (RL: the per-input baseline's group; best-of-N: N).
    public var hintsPerInput = 4
    /// Generations per (hint, input), for generators that sample (the host averages their scores).
    public var generatorSamples = 1
    /// Adam step size of the RL stage.
    public var learningRate = 0.02
    /// Factor on mean ROUGE F in the reward (paper: 10).
    public var rewardScale = 10.0
    /// Step reward of a keyword in the reference (paper: 1).
    public var keywordReward = 1.0
    /// Penalty of a keyword not in the reference (paper: 0.2).
    public var keywordPenalty = 0.2
    /// KL penalty weight to the supervised policy.
    public var klCoefficient = 0.05
    /// Score the greedy policy on dev every this many steps (and at the end).
    public var evalEvery = 5

    /// What follows the supervised stage.
    public enum Training: String, CaseIterable, Sendable {
        /// REINFORCE with a per-input leave-one-out baseline and a KL penalty.
        case rl
        /// Best-of-N: sample N hints per input, keep each input's best by reward, refit by maximum likelihood.
        case bestOfN = "best_of_n"
        /// The supervised policy alone.
        case none
    }

    /// The defaults.
    public init() {}

    /// Reads a stage config; missing keys take their defaults.
    /// - Throws: ``PluginError`` (config) naming the key, what was wrong and what is accepted.
    public init(json: JSONValue) throws {
        guard let object = json.objectValue ?? (json.isNull ? [:] : nil) else {
            throw PluginError.config("org.hone.dsp: the stage config must be a JSON object, got \(json.typeName)")
        }
        let properties = Self.schema["properties"]?.objectValue ?? [:]
        for key in object.keys where properties[key] == nil {
            throw PluginError.config("org.hone.dsp: unknown config key \"\(key)\"; known keys: \(properties.keys.sorted().joined(separator: ", "))")
        }
        func value<T>(_ key: String, _ fallback: T, _ read: (JSONValue) -> T?, _ kind: String) throws -> T {
            guard let raw = object[key] else { return fallback }
            guard let v = read(raw) else { throw PluginError.config("org.hone.dsp: config.\(key) must be \(kind), got \(raw.typeName)") }
            if let n = raw.doubleValue, let p = properties[key] {
                if let low = p["minimum"]?.doubleValue, n < low { throw PluginError.config("org.hone.dsp: config.\(key) = \(n) is below its minimum \(low)") }
                if let high = p["maximum"]?.doubleValue, n > high { throw PluginError.config("org.hone.dsp: config.\(key) = \(n) is above its maximum \(high)") }
            }
            return v
        }
        promptTemplate = try value("prompt_template", promptTemplate, \.stringValue, "a string")
        candidates = try value("candidates", candidates, \.intValue, "an integer")
        maxWords = try value("max_words", maxWords, \.intValue, "an integer")
        maxKeywords = try value("max_keywords", maxKeywords, \.intValue, "an integer")
        let trainingName = try value("training", training.rawValue, \.stringValue, "a string")
        guard let parsed = Training(rawValue: trainingName) else {
            throw PluginError.config("org.hone.dsp: config.training \"\(trainingName)\" is not one of \(Training.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        training = parsed
        supervisedEpochs = try value("supervised_epochs", supervisedEpochs, \.intValue, "an integer")
        supervisedLearningRate = try value("supervised_learning_rate", supervisedLearningRate, \.doubleValue, "a number")
        weightDecay = try value("weight_decay", weightDecay, \.doubleValue, "a number")
        rlSteps = try value("rl_steps", rlSteps, \.intValue, "an integer")
        batchSize = try value("batch_size", batchSize, \.intValue, "an integer")
        hintsPerInput = try value("hints_per_input", hintsPerInput, \.intValue, "an integer")
        generatorSamples = try value("generator_samples", generatorSamples, \.intValue, "an integer")
        learningRate = try value("learning_rate", learningRate, \.doubleValue, "a number")
        rewardScale = try value("reward_scale", rewardScale, \.doubleValue, "a number")
        keywordReward = try value("keyword_reward", keywordReward, \.doubleValue, "a number")
        keywordPenalty = try value("keyword_penalty", keywordPenalty, \.doubleValue, "a number")
        klCoefficient = try value("kl_coefficient", klCoefficient, \.doubleValue, "a number")
        evalEvery = try value("eval_every", evalEvery, \.intValue, "an integer")
        guard promptTemplate.contains(HintFormat.hintSlot) else {
            throw PluginError.config("org.hone.dsp: config.prompt_template has no \(HintFormat.hintSlot) slot; put it where the keywords go (e.g. \"Keywords: \(HintFormat.hintSlot)\")")
        }
    }

    /// The reward these settings describe.
    public var reward: HintReward {
        HintReward(scale: rewardScale, keywordReward: keywordReward, keywordPenalty: keywordPenalty, klCoefficient: klCoefficient)
    }

    /// The JSON Schema of the config (the subset the host validates).
    public static let schema: JSONValue = {
        func integer(_ minimum: Int, _ maximum: Int, _ fallback: Int) -> JSONValue {
            ["type": "integer", "minimum": .number(Double(minimum)), "maximum": .number(Double(maximum)), "default": .number(Double(fallback))]
        }
        func number(_ minimum: Double, _ maximum: Double, _ fallback: Double) -> JSONValue {
            ["type": "number", "minimum": .number(minimum), "maximum": .number(maximum), "default": .number(fallback)]
        }
        let d = DSPConfig()
        let properties: [String: JSONValue] = [
            "prompt_template": ["type": "string"],
            "candidates": integer(2, 500, d.candidates),
            "max_words": integer(1, 6, d.maxWords),
            "max_keywords": integer(1, 50, d.maxKeywords),
            "training": ["type": "string", "enum": .array(Training.allCases.map { .string($0.rawValue) }), "default": .string(d.training.rawValue)],
            "supervised_epochs": integer(0, 10_000, d.supervisedEpochs),
            "supervised_learning_rate": number(0, 10, d.supervisedLearningRate),
            "weight_decay": number(0, 10, d.weightDecay),
            "rl_steps": integer(0, 1_000_000, d.rlSteps),
            "batch_size": integer(1, 10_000, d.batchSize),
            "hints_per_input": integer(2, 64, d.hintsPerInput),
            "generator_samples": integer(1, 64, d.generatorSamples),
            "learning_rate": number(0, 10, d.learningRate),
            "reward_scale": number(0, 1000, d.rewardScale),
            "keyword_reward": number(0, 100, d.keywordReward),
            "keyword_penalty": number(0, 100, d.keywordPenalty),
            "kl_coefficient": number(0, 100, d.klCoefficient),
            "eval_every": integer(1, 1_000_000, d.evalEvery),
        ]
        return ["type": "object", "additionalProperties": false, "properties": .object(properties)]
    }()
}
