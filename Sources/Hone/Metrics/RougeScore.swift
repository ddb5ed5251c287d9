/// Precision, recall and F-measure of one ROUGE comparison, as `rouge-score`'s `Score`.
public struct RougeScore: Hashable, Sendable, Codable {
    /// Overlap divided by the prediction's size.
    public var precision: Double
    /// Overlap divided by the reference's size.
    public var recall: Double
    /// 2PR / (P + R), or 0 when both are 0.
    public var fmeasure: Double

    /// Creates a score.
    public init(precision: Double, recall: Double, fmeasure: Double) {
        self.precision = precision
        self.recall = recall
        self.fmeasure = fmeasure
    }

    /// The score from precision and recall, with `rouge-score`'s F-measure.
    init(precision: Double, recall: Double) {
        self.init(precision: precision, recall: recall, fmeasure: precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0)
    }

    /// All zeros.
    public static let zero = RougeScore(precision: 0, recall: 0, fmeasure: 0)
}
