import Foundation

/// BLEU as sacrebleu 2.x computes it with its defaults: 13a tokenization
/// (`BLEUTokenizer13a`), n-grams up to 4, case-sensitive, `exp` smoothing (the NIST/mteval
/// method: the k-th order without matches counts as 1/2^k matches), brevity penalty against
/// the closest reference length. Scores are on sacrebleu's 0–100 scale. See docs/metrics.md.
public enum BLEU {
    /// The highest n-gram order.
    public static let maxOrder = 4

    /// Sufficient statistics of a set of segments; corpus BLEU adds them up before scoring.
    public struct Statistics: Hashable, Sendable {
        /// Total hypothesis length in tokens.
        public var hypothesisLength = 0
        /// Total closest-reference length in tokens.
        public var referenceLength = 0
        /// Clipped n-gram matches for orders 1...4.
        public var matches = [Int](repeating: 0, count: BLEU.maxOrder)
        /// Hypothesis n-grams for orders 1...4.
        public var totals = [Int](repeating: 0, count: BLEU.maxOrder)

        /// Empty statistics.
        public init() {}

        /// Adds another segment's statistics.
        public static func += (lhs: inout Statistics, rhs: Statistics) {
            lhs.hypothesisLength += rhs.hypothesisLength
            lhs.referenceLength += rhs.referenceLength
            for n in 0..<BLEU.maxOrder {
                lhs.matches[n] += rhs.matches[n]
                lhs.totals[n] += rhs.totals[n]
            }
        }
    }

    /// Corpus BLEU of `hypotheses` against one reference each (`sacrebleu.corpus_bleu(hyps, [refs])`).
    public static func corpus(hypotheses: [String], references: [String]) -> Double {
        precondition(hypotheses.count == references.count, "one reference per hypothesis")
        var total = Statistics()
        for (h, r) in zip(hypotheses, references) { total += statistics(hypothesis: h, references: [r]) }
        return score(total, effectiveOrder: false)
    }

    /// Sentence BLEU (`sacrebleu.sentence_bleu(hyp, refs)`: effective order, exp smoothing).
    public static func sentence(hypothesis: String, references: [String]) -> Double {
        score(statistics(hypothesis: hypothesis, references: references), effectiveOrder: true)
    }

    /// The statistics of one segment against its references.
    public static func statistics(hypothesis: String, references: [String]) -> Statistics {
        let tokenizer = BLEUTokenizer13a()
        var referenceCounts: [[[UInt32]]: Int] = [:]
        var referenceLengths: [Int] = []
        for reference in references {
            let tokens = tokenizer.tokenize(reference)
            referenceLengths.append(tokens.count)
            for (gram, count) in ngrams(tokens) { referenceCounts[gram] = max(referenceCounts[gram] ?? 0, count) }
        }
        let tokens = tokenizer.tokenize(hypothesis)
        var stats = Statistics()
        stats.hypothesisLength = tokens.count
        stats.referenceLength = closestLength(tokens.count, referenceLengths)
        for (gram, count) in ngrams(tokens) {
            stats.totals[gram.count - 1] += count
            if let available = referenceCounts[gram] { stats.matches[gram.count - 1] += min(count, available) }
        }
        return stats
    }

    /// BLEU (0–100) from statistics, as sacrebleu's `compute_bleu` with `exp` smoothing.
    public static func score(_ stats: Statistics, effectiveOrder: Bool) -> Double {
        var brevityPenalty = 1.0
        if stats.hypothesisLength < stats.referenceLength {
            brevityPenalty = stats.hypothesisLength > 0 ? exp(1 - Double(stats.referenceLength) / Double(stats.hypothesisLength)) : 0
        }
        guard stats.matches.contains(where: { $0 != 0 }) else { return 0 }
        var precisions = [Double](repeating: 0, count: maxOrder)
        var smooth = 1.0
        var order = maxOrder
        for n in 1...maxOrder {
            if stats.totals[n - 1] == 0 { break }
            if effectiveOrder { order = n }
            if stats.matches[n - 1] == 0 {
                smooth *= 2
                precisions[n - 1] = 100.0 / (smooth * Double(stats.totals[n - 1]))
            } else {
                precisions[n - 1] = 100.0 * Double(stats.matches[n - 1]) / Double(stats.totals[n - 1])
            }
        }
        var sum = 0.0
        for p in precisions.prefix(order) { sum += p == 0 ? -9_999_999_999 : log(p) }
        return brevityPenalty * exp(sum / Double(order))
    }

    private static func closestLength(_ length: Int, _ candidates: [Int]) -> Int {
        var bestDiff = -1, best = -1
        for c in candidates {
            let diff = abs(length - c)
            if bestDiff == -1 || diff < bestDiff { bestDiff = diff; best = c } else if diff == bestDiff && c < best { best = c }
        }
        return best
    }

    private static func ngrams(_ tokens: [[UInt32]]) -> [[[UInt32]]: Int] {
        var counts: [[[UInt32]]: Int] = [:]
        for n in 1...maxOrder where tokens.count >= n {
            for start in 0...(tokens.count - n) { counts[Array(tokens[start..<(start + n)]), default: 0] += 1 }
        }
        return counts
    }
}
