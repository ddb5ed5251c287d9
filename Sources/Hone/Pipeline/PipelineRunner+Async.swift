import Foundation

extension PipelineRunner {
    /// Runs the pipeline as the synchronous `run()` does, on a thread of its own (never Swift's
    /// cooperative pool: stages block on the backend). Cancelling the calling task cancels the
    /// run ``CancellationMode/immediately``: the stage, the host's scoring and the backend's
    /// calls in flight stop at their next batch, the ledger records the run `cancelled`, and
    /// this throws ``RunCancelledError``.
    public func run() async throws -> RunReport {
        try await run(cancellation: .immediately)
    }

    /// `run() async`, with what cancelling the calling task does: with
    /// ``CancellationMode/keepBestSoFar`` the running stage returns its best prompt so far and
    /// that prompt is scored and reported with status `cancelled`.
    public func run(cancellation mode: CancellationMode) async throws -> RunReport {
        try await onOwnThread(cancellation: mode) { try $0.run() }
    }

    /// Continues the run recorded in the output directory as the synchronous `resume()` does, on a
    /// thread of its own; nil when that run already finished. Task cancellation as for
    /// `run() async`.
    public func resume() async throws -> RunReport? {
        try await resume(cancellation: .immediately)
    }

    /// `resume() async`, with what cancelling the calling task does.
    public func resume(cancellation mode: CancellationMode) async throws -> RunReport? {
        try await onOwnThread(cancellation: mode) { try $0.resume() }
    }

    /// The events of the next run or resume of this runner, as they happen; the stream finishes
    /// when that run ends (returns or throws). Subscribe before starting the run; each access
    /// is a stream of its own. The same events go to ``onEvent`` and the run's `events.jsonl`.
    ///
    /// ```swift
    /// let events = runner.events
    /// async let report = runner.run()
    /// for await event in events { print(event.name) }
    /// print(try await report.bestPrompt.text)
    /// ```
    public var events: AsyncStream<RunEvent> { broadcast.subscribe() }

    /// Runs `body` on a new thread and waits for it without blocking the cooperative pool;
    /// cancelling the task cancels the run with `mode`.
    private func onOwnThread<R: Sendable>(cancellation mode: CancellationMode, _ body: @escaping @Sendable (PipelineRunner) throws -> R) async throws -> R {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<R, Error>) in
                let thread = Thread { [self] in
                    continuation.resume(with: Result { try body(self) })
                }
                thread.name = "hone-run"
                // Plugins run on this thread; give them a main thread's stack.
                thread.stackSize = 8 << 20
                thread.start()
            }
        } onCancel: {
            self.cancel(mode)
        }
    }
}
