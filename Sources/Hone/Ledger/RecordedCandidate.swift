import Foundation

/// One candidate prompt a stage scored through `evaluate`, as the ledger records it.
public struct RecordedCandidate: Sendable, Equatable {
    /// The stage that asked for the score.
    public var stage: Int
    /// The prompt text.
    public var promptText: String
    /// The split it was scored on: "train" or "dev".
    public var split: String
    /// Its score on the examples asked for.
    public var score: Double
    /// How many examples the score covers.
    public var examples: Int
    /// How many of those the backend failed on (counted as wrong).
    public var failed: Int
    /// When it was scored.
    public var time: Date
}
