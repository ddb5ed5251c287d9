/// ROUGE-N and ROUGE-L between a prediction and a reference, computed as Google's
/// `rouge-score` 0.1.2 computes them (`RougeScorer([...], use_stemmer=True).score(reference,
/// prediction)`); see docs/metrics.md.
///
/// - ROUGE-N: clipped n-gram overlap; precision over the prediction's n-grams and recall over
///   the reference's (each count at least 1 in the denominator).
/// - ROUGE-L: longest common subsequence of the token sequences (0 if either is empty).
/// - ROUGE-Lsum: summary-level LCS over the texts' lines (see ``rougeLsum(prediction:reference:)``).
///
/// Not thread-safe (it caches stems and token ids); use one per thread.
public final class RougeScorer {
    /// The tokenizer (shared by predictions and references so their ids compare).
    let tokenizer: RougeTokenizer
    private var lcsRow: [Int32] = []

    /// Creates a scorer; `usesStemmer` matches `use_stemmer`.
    public init(usesStemmer: Bool = true) { tokenizer = RougeTokenizer(usesStemmer: usesStemmer) }

    /// ROUGE-N (`n` ≥ 1) of `prediction` against `reference`.
    public func rougeN(_ n: Int, prediction: String, reference: String) -> RougeScore {
        RougeScorer.rougeN(n, prediction: tokenizer.tokenIDs(prediction), reference: tokenizer.tokenIDs(reference))
    }

    /// ROUGE-L of `prediction` against `reference`.
    public func rougeL(prediction: String, reference: String) -> RougeScore {
        rougeL(prediction: tokenizer.tokenIDs(prediction), reference: tokenizer.tokenIDs(reference))
    }

    /// ROUGE-1, ROUGE-2 and ROUGE-L, tokenizing each text once.
    public func scores(prediction: String, reference: String) -> (rouge1: RougeScore, rouge2: RougeScore, rougeL: RougeScore) {
        let p = tokenizer.tokenIDs(prediction), r = tokenizer.tokenIDs(reference)
        return (RougeScorer.rougeN(1, prediction: p, reference: r), RougeScorer.rougeN(2, prediction: p, reference: r), rougeL(prediction: p, reference: r))
    }

    /// ROUGE-N over token ids.
    public static func rougeN(_ n: Int, prediction: [Int32], reference: [Int32]) -> RougeScore {
        precondition(n >= 1, "ROUGE-N needs n >= 1")
        let referenceCounts = ngramCounts(reference, n)
        let predictionCounts = ngramCounts(prediction, n)
        var overlap = 0
        for (gram, count) in referenceCounts { overlap += min(count, predictionCounts[gram] ?? 0) }
        let predictionTotal = max(prediction.count - n + 1, 0), referenceTotal = max(reference.count - n + 1, 0)
        return RougeScore(precision: Double(overlap) / Double(max(predictionTotal, 1)),
                          recall: Double(overlap) / Double(max(referenceTotal, 1)))
    }

    /// ROUGE-L over token ids.
    public func rougeL(prediction: [Int32], reference: [Int32]) -> RougeScore {
        guard !prediction.isEmpty, !reference.isEmpty else { return .zero }
        let lcs = longestCommonSubsequence(reference, prediction)
        return RougeScore(precision: Double(lcs) / Double(prediction.count), recall: Double(lcs) / Double(reference.count))
    }

    /// ROUGE-Lsum (summary-level LCS) of `prediction` against `reference`: both are split into
    /// sentences at line breaks (empty lines dropped); for each reference sentence the union of
    /// its LCS token positions with every prediction sentence counts as hits, each token at most
    /// as often as it occurs on both sides; precision = hits / prediction tokens, recall = hits /
    /// reference tokens. As `rouge-score`'s `rougeLsum` without `split_summaries`.
    public func rougeLsum(prediction: String, reference: String) -> RougeScore {
        func sentences(_ text: String) -> [[Int32]] {
            text.split(separator: "\n", omittingEmptySubsequences: true).map { tokenizer.tokenIDs(String($0)) }
        }
        let referenceSentences = sentences(reference), predictionSentences = sentences(prediction)
        guard !referenceSentences.isEmpty, !predictionSentences.isEmpty else { return .zero }
        let m = referenceSentences.reduce(0) { $0 + $1.count }, n = predictionSentences.reduce(0) { $0 + $1.count }
        guard m > 0, n > 0 else { return .zero }
        var referenceCounts: [Int32: Int] = [:], predictionCounts: [Int32: Int] = [:]
        for s in referenceSentences { for t in s { referenceCounts[t, default: 0] += 1 } }
        for s in predictionSentences { for t in s { predictionCounts[t, default: 0] += 1 } }
        var hits = 0
        for r in referenceSentences {
            var union = Set<Int>()
            for c in predictionSentences { union.formUnion(RougeScorer.lcsPositions(r, c)) }
            for index in union.sorted() {
                let t = r[index]
                if let pc = predictionCounts[t], pc > 0, let rc = referenceCounts[t], rc > 0 {
                    hits += 1
                    predictionCounts[t] = pc - 1
                    referenceCounts[t] = rc - 1
                }
            }
        }
        return RougeScore(precision: Double(hits) / Double(n), recall: Double(hits) / Double(m))
    }

    /// Positions in `reference` of one longest common subsequence with `candidate`, read out of
    /// the full table exactly as `rouge-score`'s `_backtrack_norec` does (ties move up).
    static func lcsPositions(_ reference: [Int32], _ candidate: [Int32]) -> [Int] {
        let rows = reference.count, columns = candidate.count
        guard rows > 0, columns > 0 else { return [] }
        var table = [Int32](repeating: 0, count: (rows + 1) * (columns + 1))
        let width = columns + 1
        for i in 1...rows {
            for j in 1...columns {
                table[i * width + j] = reference[i - 1] == candidate[j - 1]
                    ? table[(i - 1) * width + j - 1] + 1
                    : max(table[(i - 1) * width + j], table[i * width + j - 1])
            }
        }
        var positions: [Int] = []
        var i = rows, j = columns
        while i > 0 && j > 0 {
            if reference[i - 1] == candidate[j - 1] {
                positions.append(i - 1)
                i -= 1
                j -= 1
            } else if table[i * width + j - 1] > table[(i - 1) * width + j] {
                j -= 1
            } else {
                i -= 1
            }
        }
        return positions.reversed()
    }

    /// Length of the longest common subsequence, in O(|a|·|b|) time and O(|b|) memory.
    public func longestCommonSubsequence(_ a: [Int32], _ b: [Int32]) -> Int {
        let columns = b.count
        if lcsRow.count < columns + 1 { lcsRow = [Int32](repeating: 0, count: columns + 1) }
        return lcsRow.withUnsafeMutableBufferPointer { row in
            for j in 0...columns { row[j] = 0 }
            b.withUnsafeBufferPointer { bs in
                for x in a {
                    var diagonal: Int32 = 0
                    for j in 0..<columns {
                        let up = row[j + 1]
                        let value: Int32 = bs[j] == x ? diagonal + 1 : max(up, row[j])
                        diagonal = up
                        row[j + 1] = value
                    }
                }
            }
            return Int(row[columns])
        }
    }

    private static func ngramCounts(_ tokens: [Int32], _ n: Int) -> [NGram: Int] {
        guard tokens.count >= n else { return [:] }
        var counts: [NGram: Int] = [:]
        counts.reserveCapacity(tokens.count - n + 1)
        for start in 0...(tokens.count - n) {
            counts[NGram(tokens[start..<(start + n)]), default: 0] += 1
        }
        return counts
    }

    /// An n-gram of token ids; up to two ids are packed into one integer.
    private struct NGram: Hashable {
        let packed: UInt64
        let rest: [Int32]
        init(_ ids: ArraySlice<Int32>) {
            var it = ids.makeIterator()
            let first = UInt64(UInt32(bitPattern: it.next()!))
            let second = it.next().map { UInt64(UInt32(bitPattern: $0)) } ?? 0xFFFF_FFFF
            packed = first << 32 | second
            rest = ids.count > 2 ? Array(ids.dropFirst(2)) : []
        }
    }
}
