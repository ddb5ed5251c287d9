import Foundation

/// Scores candidates from the `top_logprobs` of a chat answer's first token: the approximate
/// `score` of servers without echoed prompt log-probabilities.
///
/// A top token matches a candidate when, without surrounding whitespace and ignoring case, it
/// equals the candidate or is a non-empty prefix of it (a multi-token candidate is judged by its
/// first token). A candidate's score is the log of the summed probability of its matching tokens
/// (" positive", "positive" and "Positive" are different tokens for the same answer).
///
/// The floor: a candidate with no matching top token gets `min(lowest listed log-probability,
/// log(1 - total listed probability))`, an upper bound on its true log-probability (it had less
/// mass than every listed token, and at most the mass the list leaves). Such scores are counted
/// in ``BackendUsage/flooredScores``.
enum ChatLogprobScoring {
    /// The scores of `candidates`, and how many of them are the floor.
    static func scores(candidates: [String], top: [(token: String, logprob: Double)]) -> (scores: [Double], floored: Int) {
        let listed = top.map { (token: $0.token.trimmingCharacters(in: .whitespacesAndNewlines).lowercased(), logprob: $0.logprob) }
        let lowest = top.map(\.logprob).min() ?? 0
        let mass = top.reduce(0.0) { $0 + exp($1.logprob) }
        let left = log(max(1e-12, 1 - mass))
        let floor = min(lowest, left)
        var floored = 0
        let scores = candidates.map { candidate -> Double in
            let c = candidate.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            let matches = listed.filter { !$0.token.isEmpty && ($0.token == c || c.hasPrefix($0.token)) }.map(\.logprob)
            guard let best = matches.max() else {
                floored += 1
                return floor
            }
            return best + log(matches.reduce(0.0) { $0 + exp($1 - best) })
        }
        return (scores, floored)
    }
}
