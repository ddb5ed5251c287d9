/// ROUGE-N and ROUGE-L between a prediction and a reference, computed as Google's
/// `rouge-score` 0.1.2 computes them (`RougeScorer([...], use_stemmer=True).score(reference,
/// prediction)`); see docs/metrics.md.
///
/// - ROUGE-N: clipped n-gram overlap; precision over the prediction's n-grams and recall over
///   the reference's (each count at least 1 in the denominator).
/// - ROUGE-L: longest common subsequence of the token sequences (0 if either is empty).
///
/// Not thread-safe (it caches stems and token ids); use one per thread.
public final class RougeScorer {
    /// The tokenizer (shared by predictions and references so their ids compare).
    public let tokenizer: RougeTokenizer
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
