import Foundation

/// The best prompt's gain over the baseline on the held-out test split, with its sampling
/// error: what a run's summary states, so a gain inside the noise of the test sample is seen
/// as such.
///
/// The standard error is **binomial**, for metrics that are a proportion of test examples
/// (`accuracy`, `exact_match`): `sqrt(p₁(1−p₁)/n + p₀(1−p₀)/n)` for test scores `p₁` (best)
/// and `p₀` (baseline) on `n` rows. It treats the two scores as independent samples; both
/// prompts are scored on the same rows, whose errors are positively correlated, so the error
/// of the paired difference is smaller and this one is conservative. Other metrics (F1, ROUGE,
/// BLEU) are not proportions, and get no error here.
public struct HeldOutGain: Sendable, Equatable {
    /// Best minus baseline test score.
    public var difference: Double
    /// The binomial standard error of ``difference``; nil for metrics that are not proportions.
    public var standardError: Double?
    /// Test rows both scores were measured on.
    public var rows: Int

    /// Metrics whose score is the fraction of test examples that are right.
    public static let proportionMetrics: Set<String> = ["accuracy", "exact_match"]

    /// The gain of `best` over `baseline` on `rows` test examples of `metric`.
    public init(baseline: Double, best: Double, rows: Int, metric: String) {
        difference = best - baseline
        self.rows = rows
        if HeldOutGain.proportionMetrics.contains(metric), rows > 0 {
            let n = Double(rows)
            standardError = (best * (1 - best) / n + baseline * (1 - baseline) / n).squareRoot()
        } else {
            standardError = nil
        }
    }

    /// The gain of a finished run.
    public init(report: RunReport) {
        self.init(baseline: report.baseline.test, best: report.best.test, rows: report.splitSizes.test, metric: report.metric)
    }

    /// `+0.0560 ± 0.0290 (binomial standard error; 2.0 standard errors)`, or the bare signed
    /// difference when there is no error.
    public var summary: String {
        let gain = String(format: "%+.4f", difference)
        guard let standardError, standardError > 0 else { return gain }
        let ratio = difference / standardError
        return "\(gain) ± \(String(format: "%.4f", standardError)) (binomial standard error of the difference; \(String(format: "%.1f", ratio)) standard errors)"
    }
}
