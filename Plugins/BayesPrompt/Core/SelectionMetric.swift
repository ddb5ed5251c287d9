/// The task metric a candidate is selected by, computed by the plugin from its own
/// predictions (embedding mode), with the definitions of docs/metrics.md.
public struct SelectionMetric: Sendable, Equatable {
    /// Which metric.
    public enum Kind: String, Sendable { case accuracy, macroF1 = "macro_f1", microF1 = "micro_f1" }

    /// The metric.
    public var kind: Kind
    /// Number of labels.
    public var labelCount: Int
    /// The label left out of micro-F1 (SemEval's "Other"), if any.
    public var nullLabel: Int?

    /// The metric named `name` (a task's `metric`); unknown names fall back to accuracy.
    public init(name: String, labelCount: Int, nullLabel: Int? = nil) {
        kind = Kind(rawValue: name) ?? .accuracy
        self.labelCount = labelCount
        self.nullLabel = nullLabel
    }

    /// The metric of `predicted` against `gold` (equal lengths).
    public func value(gold: [Int], predicted: [Int]) -> Double {
        kind.evaluate(self, gold: gold, predicted: predicted)
    }
}

extension SelectionMetric.Kind {
    func evaluate(_ metric: SelectionMetric, gold: [Int], predicted: [Int]) -> Double {
        precondition(gold.count == predicted.count)
        guard !gold.isEmpty else { return 0 }
        let labelCount = metric.labelCount, nullLabel = metric.nullLabel
        switch self {
        case .accuracy:
            return Double(zip(gold, predicted).filter { $0 == $1 }.count) / Double(gold.count)
        case .macroF1:
            var tp = [Double](repeating: 0, count: labelCount), fp = tp, fn = tp
            for (g, p) in zip(gold, predicted) {
                if g == p { tp[g] += 1 } else { fp[p] += 1; fn[g] += 1 }
            }
            var f1 = 0.0
            for c in 0..<labelCount where tp[c] > 0 { f1 += 2 * tp[c] / (2 * tp[c] + fp[c] + fn[c]) }
            return f1 / Double(max(labelCount, 1))
        case .microF1:
            // As the host's scorer: precision over non-null guesses (1 with none), recall over
            // non-null golds; without a null label, every label counts (accuracy).
            guard let nullLabel else { return SelectionMetric.Kind.accuracy.evaluate(metric, gold: gold, predicted: predicted) }
            var correct = 0.0, guesses = 0.0, golds = 0.0
            for (g, p) in zip(gold, predicted) {
                if p != nullLabel { guesses += 1 }
                if g != nullLabel { golds += 1 }
                if g == p && g != nullLabel { correct += 1 }
            }
            let precision = guesses > 0 ? correct / guesses : 1
            let recall = golds > 0 ? correct / golds : 0
            return precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
        }
    }
}
