import Foundation

/// Counts of scores in bins shared by several groups (splits or methods): one bin per distinct
/// score when there are few (accuracy on a small split takes few values), else equal bins.
struct ScoreHistogram: Sendable {
    /// The bins' labels, lowest first.
    var labels: [String]
    /// Per group, how many scores fall in each bin.
    var counts: [String: [Int]]

    /// Bins `scores` (per group); at most `maxBins` bins.
    init(scores: [String: [Double]], maxBins: Int = 16) {
        let all = scores.values.flatMap { $0 }
        let distinct = Array(Set(all.map { ($0 * 1e6).rounded() / 1e6 })).sorted()
        guard let lo = distinct.first, let hi = distinct.last else {
            labels = []
            counts = [:]
            return
        }
        if distinct.count <= maxBins {
            labels = distinct.map { String(format: "%.3f", $0) }
            counts = scores.mapValues { group in
                distinct.map { value in group.filter { abs($0 - value) < 5e-7 }.count }
            }
            return
        }
        let width = (hi - lo) / Double(maxBins)
        labels = (0..<maxBins).map { String(format: "%.3f", lo + width * (Double($0) + 0.5)) }
        counts = scores.mapValues { group in
            var c = [Int](repeating: 0, count: maxBins)
            for s in group { c[min(maxBins - 1, max(0, Int((s - lo) / width)))] += 1 }
            return c
        }
    }
}
