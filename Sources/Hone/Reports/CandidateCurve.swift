/// A stage's learning curve on one split: the score of every candidate against the calls the
/// stage had used, and the best score so far among candidates scored on the whole split.
struct CandidateCurve: Sendable, Equatable {
    /// Every candidate's (calls used, score), in the order scored.
    var all: [Point]
    /// The best score so far, among candidates scored on all `wholeSplit` examples: one point
    /// where it improved, and one at `end` calls, so a step chart holds it to the end.
    var bestSoFar: [Point]

    /// One point of a curve.
    struct Point: Sendable, Equatable {
        var calls: Double
        var score: Double
        var prompt: String
        var wholeSplit: Bool
    }

    /// The curve of `split` from `points`; `wholeSplit` is the split's size (nil: the largest
    /// number of examples any candidate was scored on), `end` the stage's calls at its end.
    init(_ points: [CandidatePoint], split: String, wholeSplit: Int?, end: Int?) {
        let mine = points.filter { $0.candidate.split == split }
        let size = wholeSplit ?? mine.map(\.candidate.examples).max() ?? 0
        all = mine.map {
            Point(calls: Double($0.callsUsed), score: $0.candidate.score, prompt: $0.candidate.promptText, wholeSplit: $0.candidate.examples >= size)
        }
        var best: [Point] = []
        for p in all where p.wholeSplit {
            if let last = best.last, p.score <= last.score { continue }
            if best.last?.calls == p.calls { best.removeLast() }  // one request's candidates: its best only
            best.append(p)
        }
        if let last = best.last, let end, Double(end) > last.calls {
            best.append(Point(calls: Double(end), score: last.score, prompt: last.prompt, wholeSplit: true))
        }
        bestSoFar = best
    }

    /// The best score so far at `calls` (nil before the first candidate on the whole split).
    func best(at calls: Double) -> Double? {
        bestSoFar.last { $0.calls <= calls }?.score
    }
}
