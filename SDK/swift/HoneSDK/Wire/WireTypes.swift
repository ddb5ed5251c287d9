// The JSON documents exchanged across the plugin boundary, as Swift types.
// Host and Swift plugins share these definitions; C plugins read the same JSON
// (docs/plugins.md lists every field). Keys are snake_case on the wire.

/// One example of a split a plugin may see: labelled (classification) or with a reference
/// output (generation).
public struct TaskExample: Codable, Hashable, Sendable {
    /// Position in its split; `indices` in an evaluation request refer to it.
    public var index: Int
    /// The input text (what fills `{input}`).
    public var input: String
    /// Index into ``TaskDescription/labels`` of the gold label; -1 in a generation task (on the
    /// wire the key is then left out).
    public var label: Int
    /// The reference output of a generation task (nil in classification).
    public var reference: String?

    /// Creates a classification example.
    public init(index: Int, input: String, label: Int) {
        self.index = index
        self.input = input
        self.label = label
        self.reference = nil
    }

    /// Creates a generation example.
    public init(index: Int, input: String, reference: String) {
        self.index = index
        self.input = input
        self.label = -1
        self.reference = reference
    }

    enum CodingKeys: String, CodingKey { case index, input, label, reference }

    /// Decodes an example; a missing label (generation) reads as -1.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        index = try c.decode(Int.self, forKey: .index)
        input = try c.decode(String.self, forKey: .input)
        label = try c.decodeIfPresent(Int.self, forKey: .label) ?? -1
        reference = try c.decodeIfPresent(String.self, forKey: .reference)
    }

    /// Encodes an example; a label of -1 is left out.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(index, forKey: .index)
        try c.encode(input, forKey: .input)
        if label >= 0 { try c.encode(label, forKey: .label) }
        try c.encodeIfPresent(reference, forKey: .reference)
    }
}

/// What a task asks of the backend.
public enum TaskType: String, Codable, Sendable, CaseIterable {
    /// Pick one of the task's labels (the backend's `score`, or its embeddings with a head).
    case classification
    /// Write an output judged against a reference (the backend's `generate`).
    case generation
}

/// A class of a classification task with the words the model sees for it.
public struct TaskLabel: Codable, Hashable, Sendable {
    /// The label's name as it appears in the dataset.
    public var name: String
    /// The verbalizer: the text the backend scores for this label.
    public var verbalizer: String

    /// Creates a label.
    public init(name: String, verbalizer: String) {
        self.name = name
        self.verbalizer = verbalizer
    }
}

/// What a plugin knows about the task. Never holds the test split.
public struct TaskDescription: Codable, Hashable, Sendable {
    /// Classification or generation (on the wire `type`; omitted means classification).
    public var type: TaskType
    /// The template, with `{prompt}` and `{input}` slots.
    public var template: String
    /// The labels, in index order (empty in a generation task).
    public var labels: [TaskLabel]
    /// The metric the host reports, e.g. "accuracy" or "rougeL".
    public var metric: String
    /// The training split: what optimizers learn from.
    public var train: [TaskExample]
    /// The dev split: what optimizers may use to pick a candidate.
    public var dev: [TaskExample]
    /// Unlabeled in-domain texts (may be empty).
    public var unlabeled: [String]

    /// Creates a task description.
    public init(type: TaskType = .classification, template: String, labels: [TaskLabel], metric: String, train: [TaskExample], dev: [TaskExample], unlabeled: [String] = []) {
        self.type = type
        self.template = template
        self.labels = labels
        self.metric = metric
        self.train = train
        self.dev = dev
        self.unlabeled = unlabeled
    }

    enum CodingKeys: String, CodingKey { case type, template, labels, metric, train, dev, unlabeled }

    /// Decodes a task; a missing `type` is classification (ABI 1.0), missing lists are empty.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decodeIfPresent(TaskType.self, forKey: .type) ?? .classification
        template = try c.decode(String.self, forKey: .template)
        labels = try c.decodeIfPresent([TaskLabel].self, forKey: .labels) ?? []
        metric = try c.decode(String.self, forKey: .metric)
        train = try c.decode([TaskExample].self, forKey: .train)
        dev = try c.decode([TaskExample].self, forKey: .dev)
        unlabeled = try c.decodeIfPresent([String].self, forKey: .unlabeled) ?? []
    }
}

/// The budget of a stage as the host counts it. Every (prompt, example) scoring and every
/// item of a direct backend call is one call, whether or not the cache served it, so that
/// methods compared at equal budgets did equal work.
public struct BudgetStatus: Codable, Hashable, Sendable {
    /// The stage's limit on calls, or `nil` for none.
    public var limitCalls: Int?
    /// Calls counted so far in this stage.
    public var usedCalls: Int

    /// Calls left, or `nil` when there is no limit.
    public var remainingCalls: Int? { limitCalls.map { max(0, $0 - usedCalls) } }

    /// Creates a budget status.
    public init(limitCalls: Int?, usedCalls: Int) {
        self.limitCalls = limitCalls
        self.usedCalls = usedCalls
    }

    enum CodingKeys: String, CodingKey { case limitCalls = "limit_calls", usedCalls = "used_calls", remainingCalls = "remaining_calls" }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        limitCalls = try c.decodeIfPresent(Int.self, forKey: .limitCalls)
        usedCalls = try c.decode(Int.self, forKey: .usedCalls)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(limitCalls, forKey: .limitCalls)
        try c.encode(usedCalls, forKey: .usedCalls)
        try c.encodeIfPresent(remainingCalls, forKey: .remainingCalls)
    }
}

/// What the host hands to `run`.
public struct RunRequest: Codable, Sendable {
    /// 0-based position of this stage in the pipeline.
    public var stageIndex: Int
    /// The prompt to start from: the task's prompt, or the previous stage's best.
    public var seedPrompt: PromptArtifact
    /// The task, without its test split.
    public var task: TaskDescription
    /// The stage's budget at the start of `run`.
    public var budget: BudgetStatus
    /// The pipeline's random seed; a plugin draws all its randomness from it.
    public var seed: UInt64
    /// The backend the stage runs on (ABI 1.1; nil from a 1.0 host).
    public var backend: BackendDescription?

    /// Creates a run request.
    public init(stageIndex: Int, seedPrompt: PromptArtifact, task: TaskDescription, budget: BudgetStatus, seed: UInt64, backend: BackendDescription? = nil) {
        self.stageIndex = stageIndex
        self.seedPrompt = seedPrompt
        self.task = task
        self.budget = budget
        self.seed = seed
        self.backend = backend
    }

    enum CodingKeys: String, CodingKey { case stageIndex = "stage_index", seedPrompt = "seed_prompt", task, budget, seed, backend }
}

/// What `run` returns.
public struct RunResult: Codable, Sendable {
    /// The best prompt found (picked on train/dev only).
    public var bestPrompt: PromptArtifact
    /// Free-form facts about the run (steps, best dev score, ...), copied into result.json.
    public var summary: JSONValue?
    /// A learning curve: one object per point, e.g. {"step", "mean_reward", "best_dev"}.
    public var curve: [JSONValue]?

    /// Creates a result.
    public init(bestPrompt: PromptArtifact, summary: JSONValue? = nil, curve: [JSONValue]? = nil) {
        self.bestPrompt = bestPrompt
        self.summary = summary
        self.curve = curve
    }

    enum CodingKeys: String, CodingKey { case bestPrompt = "best_prompt", summary, curve }
}

/// The splits a plugin may evaluate on.
public enum VisibleSplit: String, Codable, Sendable {
    case train, dev
}

/// A request to score candidate prompts on train or dev.
public struct EvaluateRequest: Codable, Sendable {
    /// The candidates.
    public var prompts: [PromptArtifact]
    /// The split to score on.
    public var split: VisibleSplit
    /// A subset of the split by example index; `nil` means the whole split.
    public var indices: [Int]?
    /// Whether to return per-example outcomes.
    public var details: Bool
    /// Generation tasks: outputs generated per (prompt, example), each a call; the example's
    /// scores are their mean. Classification ignores it. At least 1.
    public var samples: Int

    /// Creates a request.
    public init(prompts: [PromptArtifact], split: VisibleSplit, indices: [Int]? = nil, details: Bool = false, samples: Int = 1) {
        self.prompts = prompts
        self.split = split
        self.indices = indices
        self.details = details
        self.samples = samples
    }

    /// Decodes a request; `indices`, `details` and `samples` may be omitted (whole split, no
    /// details, one sample).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        prompts = try c.decode([PromptArtifact].self, forKey: .prompts)
        split = try c.decode(VisibleSplit.self, forKey: .split)
        indices = try c.decodeIfPresent([Int].self, forKey: .indices)
        details = try c.decodeIfPresent(Bool.self, forKey: .details) ?? false
        samples = try c.decodeIfPresent(Int.self, forKey: .samples) ?? 1
    }

    enum CodingKeys: String, CodingKey { case prompts, split, indices, details, samples }
}

/// How one example fared under one prompt: a predicted label (classification) or a generated
/// text with its scores (generation).
public struct ExampleOutcome: Codable, Hashable, Sendable {
    /// The example's index in its split.
    public var index: Int
    /// Gold label index (-1 in generation; left out on the wire).
    public var label: Int
    /// Predicted label index (-1 in generation; left out on the wire).
    public var predicted: Int
    /// The backend's distribution over the labels (sums to 1; empty in generation).
    public var probabilities: [Double]
    /// Generation: the generated text (with several samples, the first).
    public var generated: String?
    /// Generation: the reference it was judged against.
    public var reference: String?
    /// Generation: the task metric on this example (mean over samples).
    public var score: Double?
    /// Generation: every text metric the host computes cheaply on this example (`rouge1`,
    /// `rouge2`, `rougeL`, `rougeLsum`, `exact_match`, and the task metric), mean over samples.
    public var scores: [String: Double]?

    /// Creates a classification outcome.
    public init(index: Int, label: Int, predicted: Int, probabilities: [Double]) {
        self.index = index
        self.label = label
        self.predicted = predicted
        self.probabilities = probabilities
    }

    /// Creates a generation outcome.
    public init(index: Int, generated: String, reference: String, score: Double, scores: [String: Double]) {
        self.index = index
        self.label = -1
        self.predicted = -1
        self.probabilities = []
        self.generated = generated
        self.reference = reference
        self.score = score
        self.scores = scores
    }

    enum CodingKeys: String, CodingKey { case index, label, predicted, probabilities, generated, reference, score, scores }

    /// Decodes either kind of outcome.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        index = try c.decode(Int.self, forKey: .index)
        label = try c.decodeIfPresent(Int.self, forKey: .label) ?? -1
        predicted = try c.decodeIfPresent(Int.self, forKey: .predicted) ?? -1
        probabilities = try c.decodeIfPresent([Double].self, forKey: .probabilities) ?? []
        generated = try c.decodeIfPresent(String.self, forKey: .generated)
        reference = try c.decodeIfPresent(String.self, forKey: .reference)
        score = try c.decodeIfPresent(Double.self, forKey: .score)
        scores = try c.decodeIfPresent([String: Double].self, forKey: .scores)
    }

    /// Encodes the members of its kind only.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(index, forKey: .index)
        if generated == nil {
            try c.encode(label, forKey: .label)
            try c.encode(predicted, forKey: .predicted)
            try c.encode(probabilities, forKey: .probabilities)
        }
        try c.encodeIfPresent(generated, forKey: .generated)
        try c.encodeIfPresent(reference, forKey: .reference)
        try c.encodeIfPresent(score, forKey: .score)
        try c.encodeIfPresent(scores, forKey: .scores)
    }
}

/// The score of one candidate prompt.
public struct PromptScore: Codable, Sendable {
    /// The task metric over the evaluated examples.
    public var score: Double
    /// Per-example outcomes when `details` was asked for (failed examples have none).
    public var examples: [ExampleOutcome]?
    /// Examples the backend failed on (after its retries); they are left out of `score`.
    public var failed: Int?

    /// Creates a score.
    public init(score: Double, examples: [ExampleOutcome]? = nil, failed: Int? = nil) {
        self.score = score
        self.examples = examples
        self.failed = failed
    }
}

/// The answer to an ``EvaluateRequest``: one score per prompt, in order.
public struct EvaluateResponse: Codable, Sendable {
    /// Scores in the order of the request's prompts.
    public var results: [PromptScore]
    /// The budget after this request.
    public var budget: BudgetStatus

    /// Creates a response.
    public init(results: [PromptScore], budget: BudgetStatus) {
        self.results = results
        self.budget = budget
    }
}

/// Encoders and decoders with the wire conventions (UTF-8 JSON, no key conversion beyond CodingKeys).
public enum Wire {
    /// Decodes a wire document.
    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    /// Encodes a wire document to compact JSON text with sorted keys.
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

import Foundation
