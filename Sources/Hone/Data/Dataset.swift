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

    /// Creates splits.
    public init(train: [LabeledExample], dev: [LabeledExample], test: [LabeledExample], unlabeled: [String] = []) {
        self.train = train
        self.dev = dev
        self.test = test
        self.unlabeled = unlabeled
    }
}
