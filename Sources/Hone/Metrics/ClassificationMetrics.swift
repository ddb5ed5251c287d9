/// Metrics over predicted and gold label indices.
public enum ClassificationMetrics {
    /// Fraction of examples whose prediction equals the gold label; 0 for no examples.
    public static func accuracy(gold: [Int], predicted: [Int]) -> Double {
        precondition(gold.count == predicted.count)
        guard !gold.isEmpty else { return 0 }
        return Double(zip(gold, predicted).filter { $0 == $1 }.count) / Double(gold.count)
    }

    /// Unweighted mean over the labels of per-label F1 (scikit-learn's `f1_score(average="macro")`
    /// over `labelCount` labels; a label with no gold and no predicted example scores 0, as
    /// scikit-learn does with `labels=range(labelCount)` and `zero_division=0`).
    public static func macroF1(gold: [Int], predicted: [Int], labelCount: Int) -> Double {
        precondition(gold.count == predicted.count)
        guard labelCount > 0 else { return 0 }
        var tp = [Int](repeating: 0, count: labelCount), fp = tp, fn = tp
        for (g, p) in zip(gold, predicted) {
            if g == p { tp[g] += 1 } else { fp[p] += 1; fn[g] += 1 }
        }
        var total = 0.0
        for c in 0..<labelCount {
            let denominator = 2 * tp[c] + fp[c] + fn[c]
            total += denominator == 0 ? 0 : Double(2 * tp[c]) / Double(denominator)
        }
        return total / Double(labelCount)
    }

    /// The metric `name` ("accuracy" or "macro_f1") of the predictions.
    public static func compute(_ name: String, gold: [Int], predicted: [Int], labelCount: Int) -> Double {
        switch name {
        case "macro_f1": return macroF1(gold: gold, predicted: predicted, labelCount: labelCount)
        default: return accuracy(gold: gold, predicted: predicted)
        }
    }
}
