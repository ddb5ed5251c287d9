/// Where a run recorded in a ledger stands.
public enum RunStatus: String, Sendable, CaseIterable {
    /// Started and not finished: running now, or killed (`hone resume` continues it).
    case running
    /// Stopped by Ctrl-C (``PipelineRunner/cancel(_:)``): `result.json` holds the best prompt so
    /// far, and `hone resume` continues the stage that was stopped and the stages after it.
    case cancelled
    /// A stage or the final scoring threw; the error is recorded. `hone resume` tries again.
    case failed
    /// Every stage ran and `result.json` was written; there is nothing to resume.
    case done
}

/// Where one stage of a recorded run stands.
public enum StageStatus: String, Sendable, CaseIterable {
    /// Not started yet.
    case pending
    /// Started and not finished: running now, or its run was killed.
    case running
    /// Returned its best prompt; a resumed run does not run it again.
    case done
    /// Stopped by Ctrl-C: its best prompt so far is recorded, but a resumed run runs it again
    /// from its last checkpoint, with the calls it used counted against its budget.
    case cancelled
    /// The plugin failed; the error is recorded. A resumed run runs it again.
    case failed
}
