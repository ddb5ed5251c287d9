/// A labelled example as the host holds it.
public struct LabeledExample: Hashable, Sendable {
    /// The input text.
    public var input: String
    /// The gold label's name (for generation tasks: the reference text).
    public var label: String

    /// Creates an example.
    public init(input: String, label: String) {
        self.input = input
        self.label = label
    }
}

/// The splits of a task. Only the host ever reads `test`.
public struct TaskSplits: Sendable {
    /// What optimizers learn from.
    public var train: [LabeledExample]
    /// What optimizers may use to pick a candidate.
    public var dev: [LabeledExample]
    /// Held out: used only by the host for the final report.
    public var test: [LabeledExample]
    /// Unlabeled in-domain texts for methods that learn from them.
    public var unlabeled: [String]
    /// Rows the loader left out (only under `"bad_rows": "skip"`), each with file, line and reason.
    public var skipped: [SkippedRow]
    /// How many test examples have an input that also appears in train or dev (the few-shot
    /// cr and trec splits have one for some seeds): worth a warning, since such a test example
    /// is not held out.
    public var testOverlap: Int

    /// Creates splits; `testOverlap` is counted from the splits unless given.
    public init(train: [LabeledExample], dev: [LabeledExample], test: [LabeledExample], unlabeled: [String] = [], skipped: [SkippedRow] = [], testOverlap: Int? = nil) {
        self.train = train
        self.dev = dev
        self.test = test
        self.unlabeled = unlabeled
        self.skipped = skipped
        if let testOverlap {
            self.testOverlap = testOverlap
        } else {
            let seen = Set(train.map(\.input) + dev.map(\.input))
            self.testOverlap = test.reduce(0) { $0 + (seen.contains($1.input) ? 1 : 0) }
        }
    }

    /// The number of skipped rows for each reason, e.g. `["label \"7\" is not among ...": 2]`.
    /// Reasons are compared as written, so two different unknown labels count separately.
    public var skippedByReason: [String: Int] {
        skipped.reduce(into: [:]) { counts, row in counts[row.reason, default: 0] += 1 }
    }
}
