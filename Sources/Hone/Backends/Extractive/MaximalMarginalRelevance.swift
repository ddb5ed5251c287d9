/// Maximal marginal relevance (Carbonell & Goldstein, 1998): picks items relevant to a query
/// and not redundant with the ones already picked.
///
/// Each step takes the item maximizing `λ · relevance(i) − (1 − λ) · max_{j picked} similarity(i, j)`;
/// ties go to the earlier item. `λ = 1` is plain relevance ranking; lower values trade relevance
/// for diversity.
enum MaximalMarginalRelevance {
    /// Indices of up to `k` items, in the order they were picked.
    /// - Parameters:
    ///   - relevance: each item's similarity to the query.
    ///   - similarity: similarity of items `i` and `j`.
    ///   - lambda: the relevance weight λ in `[0, 1]`.
    ///   - accept: called with each candidate pick and the picks so far; returning false stops the
    ///     selection (used for length budgets). The first pick is always kept.
    static func select(k: Int, relevance: [Double], lambda: Double, similarity: (Int, Int) -> Double,
                              accept: (Int, [Int]) -> Bool = { _, _ in true }) -> [Int] {
        var picked: [Int] = []
        var redundancy = [Double](repeating: -.infinity, count: relevance.count)
        var remaining = Set(relevance.indices)
        while picked.count < k, !remaining.isEmpty {
            var best = -1
            var bestValue = -Double.infinity
            for i in remaining.sorted() {
                let penalty = picked.isEmpty ? 0 : redundancy[i]
                let value = lambda * relevance[i] - (1 - lambda) * penalty
                if value > bestValue { bestValue = value; best = i }
            }
            if !picked.isEmpty && !accept(best, picked) { break }
            picked.append(best)
            remaining.remove(best)
            for i in remaining { redundancy[i] = max(redundancy[i], similarity(i, best)) }
        }
        return picked
    }
}
