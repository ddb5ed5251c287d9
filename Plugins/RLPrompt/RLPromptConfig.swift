import Foundation
import HoneSDK

/// The stage configuration of the RLPrompt plugin: every key of ``schema``, with its default.
///
/// Defaults follow the paper's few-shot classification setup (reference code
/// `fsc_config.yaml` and its dataclass defaults) except where docs/methods/rlprompt.md says
/// why not (learning rate, network size).
public struct RLPromptConfig: Sendable, Equatable {
    /// Tokens per prompt (paper: 5).
    public var promptLength = 5
    /// Prompts sampled per training step (paper: 16).
    public var promptsPerStep = 16
    /// Sampling keeps the `topK` most likely tokens of each position (paper: 256).
    public var topK = 256
    /// Training steps at most (paper: 12,000); the budget usually stops the run first.
    public var maxSteps = 12_000
    /// Training examples scored per prompt per step; 0 means the whole training split (as the paper).
    public var trainBatchSize = 0
    /// Adam's step size.
    public var learningRate = 1e-3
    /// Global L2 norm the gradient is clipped to (paper: 5).
    public var gradientClipNorm = 5.0
    /// Polyak rate of the target network (paper: 0.001).
    public var targetUpdateRate = 1e-3
    /// Scale of the gap of correctly classified examples (paper: 200).
    public var correctCoefficient = 200.0
    /// Scale of the gap of misclassified examples (paper: 180).
    public var incorrectCoefficient = 180.0
    /// The per-position offset of the soft Q-values (``SoftQLoss``): `uniform` reads them as the
    /// logits plus the soft values of the uniform policy; `none` is the reference code's loss.
    public var valueOffset = ValueOffset.uniform
    /// Whether rewards are z-scored across a step's prompts (paper: yes).
    public var rewardZScore = true
    /// Factor after the z-score (paper: 5).
    public var rewardScale = 5.0
    /// Where candidate tokens come from.
    public var vocabSource = Vocabulary.Source.defaultList
    /// The token file when ``vocabSource`` is `file`.
    public var vocabFile: String? = nil
    /// At most this many candidate tokens.
    public var vocabSize = 3000
    /// Frozen token features the policy's logits are read through.
    public var tokenFeatures = TokenFeatures.Source.auto
    /// Width of the policy's token and position embeddings.
    public var embeddingSize = 32
    /// Width of the policy's hidden layer.
    public var hiddenSize = 64
    /// Scale of the output layer's initial weights (near zero: a near-uniform initial policy).
    public var outputInitScale = 0.01
    /// Evaluate the greedy prompt on dev every this many steps (reference: 10).
    public var evalEvery = 10
    /// Save a checkpoint every this many steps; 0 saves none.
    public var checkpointEvery = 25
    /// Which prompts compete on dev at each evaluation.
    public var selectFrom = Selection.greedyAndBestSampled
    /// The examples candidates are judged on.
    public var selectOn = SelectionSplit.trainAndDev

    /// The candidates scored on dev at each evaluation.
    public enum Selection: String, CaseIterable, Sendable {
        /// Only the policy's greedy prompt (what the reference code evaluates).
        case greedy
        /// The greedy prompt and the best sampled training prompt since the last evaluation.
        case greedyAndBestSampled = "greedy_and_best_sampled"
    }

    /// How the soft Q-values relate to the policy's logits.
    public enum ValueOffset: String, CaseIterable, Sendable {
        /// `Q(s_t, a) = logit + (T-1-t) log |V|`: the soft values of the uniform policy.
        case uniform
        /// `Q = logit`, as the reference code.
        case none

        /// The offset `L` per remaining position for a vocabulary of `size` tokens.
        public func perPosition(vocabularySize size: Int) -> Double {
            self == .uniform ? Foundation.log(Double(max(size, 1))) : 0
        }
    }

    /// The examples the final prompt is picked on.
    public enum SelectionSplit: String, CaseIterable, Sendable {
        /// The dev split alone.
        case dev
        /// Train and dev pooled (what the random-search baseline picks on).
        case trainAndDev = "train_and_dev"
    }

    /// The paper's defaults.
    public init() {}

    /// Reads a stage config; missing keys take their defaults.
    ///
    /// - Throws: ``PluginError`` (config) naming the key, what was wrong and what is accepted.
    public init(json: JSONValue) throws {
        guard let object = json.objectValue ?? (json.isNull ? [:] : nil) else {
            throw PluginError.config("org.hone.rlprompt: the stage config must be a JSON object, got \(json.typeName)")
        }
        let known = Set(Self.schema["properties"]?.objectValue?.keys.map { $0 } ?? [])
        for key in object.keys where !known.contains(key) {
            throw PluginError.config("org.hone.rlprompt: unknown config key \"\(key)\"; known keys: \(known.sorted().joined(separator: ", "))")
        }
        var reader = Reader(object: object)
        promptLength = try reader.int("prompt_length", promptLength)
        promptsPerStep = try reader.int("prompts_per_step", promptsPerStep)
        topK = try reader.int("top_k", topK)
        maxSteps = try reader.int("max_steps", maxSteps)
        trainBatchSize = try reader.int("train_batch_size", trainBatchSize)
        learningRate = try reader.number("learning_rate", learningRate)
        gradientClipNorm = try reader.number("gradient_clip_norm", gradientClipNorm)
        targetUpdateRate = try reader.number("target_update_rate", targetUpdateRate)
        correctCoefficient = try reader.number("correct_coefficient", correctCoefficient)
        incorrectCoefficient = try reader.number("incorrect_coefficient", incorrectCoefficient)
        valueOffset = try reader.choice("value_offset", valueOffset)
        rewardZScore = try reader.bool("reward_z_score", rewardZScore)
        rewardScale = try reader.number("reward_scale", rewardScale)
        vocabSource = try reader.choice("vocab_source", vocabSource)
        tokenFeatures = try reader.choice("token_features", tokenFeatures)
        vocabFile = object["vocab_file"] == nil ? nil : try reader.string("vocab_file", "")
        vocabSize = try reader.int("vocab_size", vocabSize)
        embeddingSize = try reader.int("embedding_size", embeddingSize)
        hiddenSize = try reader.int("hidden_size", hiddenSize)
        outputInitScale = try reader.number("output_init_scale", outputInitScale)
        evalEvery = try reader.int("eval_every", evalEvery)
        checkpointEvery = try reader.int("checkpoint_every", checkpointEvery)
        selectFrom = try reader.choice("select_from", selectFrom)
        selectOn = try reader.choice("select_on", selectOn)
        if vocabSource == .file && (vocabFile ?? "").isEmpty {
            throw PluginError.config("org.hone.rlprompt: vocab_source is \"file\" but vocab_file is not set; give the path of a file with one token per line")
        }
    }

    /// Reads typed members and checks them against the schema's bounds.
    private struct Reader {
        let object: [String: JSONValue]

        func bounds(_ key: String) -> (Double?, Double?) {
            let property = RLPromptConfig.schema["properties"]?[key]
            return (property?["minimum"]?.doubleValue, property?["maximum"]?.doubleValue)
        }

        func check(_ key: String, _ value: Double) throws {
            let (low, high) = bounds(key)
            if let low, value < low { throw PluginError.config("org.hone.rlprompt: \(key) = \(value) is below its minimum \(low)") }
            if let high, value > high { throw PluginError.config("org.hone.rlprompt: \(key) = \(value) is above its maximum \(high)") }
        }

        mutating func int(_ key: String, _ fallback: Int) throws -> Int {
            guard let value = object[key] else { return fallback }
            guard let n = value.intValue else { throw PluginError.config("org.hone.rlprompt: \(key) must be an integer, got \(value.typeName) \(value.serialized())") }
            try check(key, Double(n))
            return n
        }

        mutating func number(_ key: String, _ fallback: Double) throws -> Double {
            guard let value = object[key] else { return fallback }
            guard let n = value.doubleValue else { throw PluginError.config("org.hone.rlprompt: \(key) must be a number, got \(value.typeName)") }
            try check(key, n)
            return n
        }

        mutating func bool(_ key: String, _ fallback: Bool) throws -> Bool {
            guard let value = object[key] else { return fallback }
            guard let b = value.boolValue else { throw PluginError.config("org.hone.rlprompt: \(key) must be true or false, got \(value.typeName)") }
            return b
        }

        /// One of a string enum's cases, by raw value; a config error lists the accepted ones.
        mutating func choice<Choice: RawRepresentable & CaseIterable>(_ key: String, _ fallback: Choice) throws -> Choice
            where Choice.RawValue == String {
            let raw = try string(key, fallback.rawValue)
            guard let parsed = Choice(rawValue: raw) else {
                throw PluginError.config("org.hone.rlprompt: \(key) \"\(raw)\" is not one of \(Choice.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return parsed
        }

        mutating func string(_ key: String, _ fallback: String) throws -> String {
            guard let value = object[key] else { return fallback }
            guard let s = value.stringValue else { throw PluginError.config("org.hone.rlprompt: \(key) must be a string, got \(value.typeName)") }
            return s
        }
    }

    /// The JSON Schema of the config, kept to the subset the host validates (type, properties,
    /// required, additionalProperties, minimum, maximum, enum, default); docs/methods/rlprompt.md
    /// describes every key.
    public static let schema: JSONValue = {
        func integer(_ minimum: Int, _ maximum: Int, _ fallback: Int) -> JSONValue {
            ["type": "integer", "minimum": .number(Double(minimum)), "maximum": .number(Double(maximum)), "default": .number(Double(fallback))]
        }
        func number(_ minimum: Double, _ maximum: Double, _ fallback: Double) -> JSONValue {
            ["type": "number", "minimum": .number(minimum), "maximum": .number(maximum), "default": .number(fallback)]
        }
        let d = RLPromptConfig()
        let properties: [String: JSONValue] = [
            "prompt_length": integer(1, 64, d.promptLength),
            "prompts_per_step": integer(2, 1024, d.promptsPerStep),
            "top_k": integer(1, 1_000_000, d.topK),
            "max_steps": integer(1, 10_000_000, d.maxSteps),
            "train_batch_size": integer(0, 1_000_000, d.trainBatchSize),
            "learning_rate": number(1e-8, 1, d.learningRate),
            "gradient_clip_norm": number(1e-8, 1e6, d.gradientClipNorm),
            "target_update_rate": number(0, 1, d.targetUpdateRate),
            "correct_coefficient": number(0, 1e6, d.correctCoefficient),
            "incorrect_coefficient": number(0, 1e6, d.incorrectCoefficient),
            "value_offset": ["type": "string", "enum": .array(ValueOffset.allCases.map { .string($0.rawValue) }), "default": .string(d.valueOffset.rawValue)],
            "reward_z_score": ["type": "boolean", "default": .bool(d.rewardZScore)],
            "reward_scale": number(0, 1e6, d.rewardScale),
            "vocab_source": ["type": "string",
                             "enum": .array(Vocabulary.Source.allCases.map { .string($0.rawValue) }), "default": .string(d.vocabSource.rawValue)],
            "vocab_file": ["type": "string"],
            "token_features": ["type": "string",
                               "enum": .array(TokenFeatures.Source.allCases.map { .string($0.rawValue) }), "default": .string(d.tokenFeatures.rawValue)],
            "vocab_size": integer(2, 1_000_000, d.vocabSize),
            "embedding_size": integer(1, 4096, d.embeddingSize),
            "hidden_size": integer(1, 16384, d.hiddenSize),
            "output_init_scale": number(0, 100, d.outputInitScale),
            "eval_every": integer(1, 10_000_000, d.evalEvery),
            "checkpoint_every": integer(0, 10_000_000, d.checkpointEvery),
            "select_from": ["type": "string", "enum": .array(Selection.allCases.map { .string($0.rawValue) }), "default": .string(d.selectFrom.rawValue)],
            "select_on": ["type": "string", "enum": .array(SelectionSplit.allCases.map { .string($0.rawValue) }), "default": .string(d.selectOn.rawValue)],
        ]
        return [
            "type": "object",
            "properties": .object(properties),
            "required": [],
            "additionalProperties": false,
        ]
    }()
}
