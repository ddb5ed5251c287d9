/// What the host records for one example of a generation task: the text the backend
/// generated, the reference it is judged against, and this example's own metric value.
///
/// The generation counterpart of the SDK's `ExampleOutcome` (predicted label and per-label
/// probabilities); optimizers such as RLPrompt compute their rewards from these.
public struct GenerationOutcome: Codable, Hashable, Sendable {
    /// The example's index in its split.
    public var index: Int
    /// The generated text.
    public var generated: String
    /// The reference text.
    public var reference: String
    /// The metric on this example alone (for BLEU: sentence BLEU; for the others, the same
    /// definition as the aggregate, which is their mean).
    public var score: Double

    /// Creates an outcome.
    public init(index: Int, generated: String, reference: String, score: Double) {
        self.index = index
        self.generated = generated
        self.reference = reference
        self.score = score
    }
}
