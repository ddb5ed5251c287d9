/// A metric that compares generated texts with reference texts, by its config name.
///
/// Embedding similarity is not here because it needs the backend's embeddings; see
/// ``EmbeddingSimilarity``. A C metric is an ``FFIMetric``.
public enum GenerationMetric: String, Sendable, CaseIterable {
    /// ``ExactMatch`` after SQuAD normalization; the mean over examples.
    case exactMatch = "exact_match"
    /// ROUGE-1 F-measure (stemmed), mean over examples.
    case rouge1
    /// ROUGE-2 F-measure (stemmed), mean over examples.
    case rouge2
    /// ROUGE-L F-measure (stemmed), mean over examples.
    case rougeL
    /// ROUGE-Lsum F-measure (stemmed, summary-level LCS over lines), mean over examples.
    case rougeLsum
    /// Corpus BLEU (sacrebleu defaults, 0–100); per example, sentence BLEU.
    case bleu

    /// The aggregate score and the per-example scores of `predictions` against `references`.
    public func evaluate(predictions: [String], references: [String]) -> (score: Double, perExample: [Double]) {
        precondition(predictions.count == references.count, "one reference per prediction")
        guard !predictions.isEmpty else { return (0, []) }
        let perExample: [Double]
        switch self {
        case .exactMatch:
            perExample = zip(predictions, references).map { ExactMatch.score(prediction: $0, references: [$1]) }
        case .rouge1, .rouge2, .rougeL, .rougeLsum:
            let scorer = RougeScorer(usesStemmer: true)
            perExample = zip(predictions, references).map { p, r in
                switch self {
                case .rouge1: return scorer.rougeN(1, prediction: p, reference: r).fmeasure
                case .rouge2: return scorer.rougeN(2, prediction: p, reference: r).fmeasure
                case .rougeLsum: return scorer.rougeLsum(prediction: p, reference: r).fmeasure
                default: return scorer.rougeL(prediction: p, reference: r).fmeasure
                }
            }
        case .bleu:
            var total = BLEU.Statistics()
            var sentences: [Double] = []
            for (p, r) in zip(predictions, references) {
                let stats = BLEU.statistics(hypothesis: p, references: [r])
                total += stats
                sentences.append(BLEU.score(stats, effectiveOrder: true))
            }
            return (BLEU.score(total, effectiveOrder: false), sentences)
        }
        return (perExample.reduce(0, +) / Double(perExample.count), perExample)
    }

    /// ``evaluate(predictions:references:)`` with one ``GenerationOutcome`` per example.
    public func outcomes(predictions: [String], references: [String], indices: [Int]? = nil) -> (score: Double, examples: [GenerationOutcome]) {
        let (score, perExample) = evaluate(predictions: predictions, references: references)
        let examples = predictions.indices.map { k in
            GenerationOutcome(index: indices?[k] ?? k, generated: predictions[k], reference: references[k], score: perExample[k])
        }
        return (score, examples)
    }
}
