import Foundation

/// A candidate a stage scored, with the calls the stage had used once its request was answered:
/// one point of the stage's learning curve (score against backend calls).
public struct CandidatePoint: Sendable, Equatable {
    /// The candidate.
    public var candidate: RecordedCandidate
    /// Calls charged to the stage up to and including the request that scored it, over every
    /// attempt (the budget's count, as `used_calls`).
    public var callsUsed: Int
}

extension RunLedger {
    /// Every candidate stage `index` scored, in the order scored, each with the calls the stage
    /// had used when it was scored (the running total of its recorded calls' items).
    public func candidatePoints(stage index: Int) throws -> [CandidatePoint] {
        try database.locked {
            let s = try database.prepare("""
                WITH used AS (
                    SELECT id, SUM(items) OVER (ORDER BY id) AS calls_used FROM backend_calls WHERE stage = ?
                )
                SELECT c.prompt_text, c.split, c.score, c.examples, c.failed, c.time, used.calls_used
                FROM candidates c JOIN used ON used.id = c.call
                WHERE c.stage = ? ORDER BY c.id
                """)
            s.bind(1, int: index)
            s.bind(2, int: index)
            var points: [CandidatePoint] = []
            while try s.step() {
                points.append(CandidatePoint(
                    candidate: RecordedCandidate(
                        stage: index, promptText: s.text(0), split: s.text(1), score: s.double(2), examples: s.int(3),
                        failed: s.int(4), time: Date(timeIntervalSince1970: s.double(5))),
                    callsUsed: s.int(6)))
            }
            return points
        }
    }
}
