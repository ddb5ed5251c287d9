/// How far a cancelled run goes before it stops (``PipelineRunner/cancel(_:)``).
public enum CancellationMode: Sendable, Equatable {
    /// `hone run`'s first Ctrl-C: the running stage returns its best prompt so far (the ledger
    /// records it), later stages are skipped, and that prompt is checked and scored on train,
    /// dev and test, so `PipelineRunner.run()` returns a report with status `cancelled`. The
    /// host's scoring that runs when the cancel arrives (the baseline, or the final scoring
    /// after an earlier cancel) stops at its next batch and the run throws ``RunCancelledError``.
    case keepBestSoFar
    /// Everything stops at its next batch: the running stage (its best prompt so far is
    /// recorded), the host's scoring, and backend calls in flight (``Backend/cancel()``).
    /// Nothing more is scored; the run throws ``RunCancelledError``. What the task-based
    /// ``PipelineRunner/run(cancellation:)`` uses by default when its task is cancelled.
    case immediately
}
