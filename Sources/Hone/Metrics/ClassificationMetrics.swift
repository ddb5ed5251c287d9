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

    /// Micro-averaged F1 over every label except `nullLabel` (SemEval-2010 Task 8's "Other"),
    /// as the KnowPrompt/BayesPrompt scorer computes it: a prediction of a non-null label counts
    /// as a guess, a non-null gold label as a gold, and a guess equal to its gold as correct;
    /// precision = correct / guesses (1 when there are no guesses), recall = correct / golds
    /// (0 when there are none), F1 = 2PR / (P + R) (0 when both are 0). Equal to scikit-learn's
    /// `f1_score(average="micro", labels=<all but null>)` whenever there is a guess and a gold.
    public static func microF1(gold: [Int], predicted: [Int], excluding nullLabel: Int) -> Double {
        precondition(gold.count == predicted.count)
        var correct = 0, guesses = 0, golds = 0
        for (g, p) in zip(gold, predicted) {
            if p != nullLabel { guesses += 1 }
            if g != nullLabel { golds += 1 }
            if g != nullLabel && p == g { correct += 1 }
        }
        let precision = guesses > 0 ? Double(correct) / Double(guesses) : 1
        let recall = golds > 0 ? Double(correct) / Double(golds) : 0
        return precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
    }

    /// Names of the classification metrics ``compute(_:gold:predicted:labelCount:nullLabel:)`` knows.
    public static let names = ["accuracy", "macro_f1", "micro_f1"]

    /// The metric `name` ("accuracy", "macro_f1" or "micro_f1") of the predictions.
    /// `micro_f1` leaves out `nullLabel`; without one it counts every label, which for
    /// single-label classification equals accuracy.
    public static func compute(_ name: String, gold: [Int], predicted: [Int], labelCount: Int, nullLabel: Int? = nil) -> Double {
        switch name {
        case "macro_f1": return macroF1(gold: gold, predicted: predicted, labelCount: labelCount)
        case "micro_f1":
            guard let nullLabel else { return accuracy(gold: gold, predicted: predicted) }
            return microF1(gold: gold, predicted: predicted, excluding: nullLabel)
        default: return accuracy(gold: gold, predicted: predicted)
        }
    }
}
