/// What a loader does with a row it cannot use (ragged, unknown or missing label, invalid UTF-8).
public enum BadRowPolicy: String, Sendable, CaseIterable {
    /// Stop with a ``DataError`` naming the file and line (the default).
    case error
    /// Leave the row out and record it in ``TaskSplits/skipped``.
    case skip
}

/// Collects skipped rows while a dataset loads, or throws, as the policy says.
struct RowProblems {
    let policy: BadRowPolicy
    private(set) var skipped: [SkippedRow] = []

    init(policy: BadRowPolicy) { self.policy = policy }

    /// Throws `error` under ``BadRowPolicy/error``; records it as skipped under ``BadRowPolicy/skip``.
    mutating func report(_ error: DataError) throws {
        guard policy == .skip else { throw error }
        skipped.append(SkippedRow(file: error.file, line: error.line, record: error.record, reason: error.message))
    }
}
