/// A metric a program brings: how good one output is against its reference, as simple as a
/// DSPy metric function. Register it by name with ``HoneComponents/register(metric:_:)`` and
/// name it in `task.metric`; a prompt's score is the mean over the examples. In a generation
/// task it compares the generated text with the reference; in a classification task, the
/// predicted label's name with the gold label's name (so partial credit between related
/// labels, or a cost per kind of error, is a few lines).
///
/// ```swift
/// struct KeywordRecall: TextMetric {
///     func score(generated: String, reference: String) -> Double { ... }
/// }
/// components.register(metric: "keyword_recall", KeywordRecall())
/// ```
///
/// The host may score examples from several threads at once.
public protocol TextMetric: Sendable {
    /// The score of `generated` against `reference`, higher is better (typically in [0, 1]).
    func score(generated: String, reference: String) throws -> Double
}

/// A ``TextMetric`` made of a closure (``HoneComponents/register(metric:score:)``).
public struct ClosureTextMetric: TextMetric {
    private let body: @Sendable (_ generated: String, _ reference: String) throws -> Double

    /// A metric computed by `body(generated, reference)`.
    public init(_ body: @escaping @Sendable (_ generated: String, _ reference: String) throws -> Double) {
        self.body = body
    }

    public func score(generated: String, reference: String) throws -> Double {
        try body(generated, reference)
    }
}
