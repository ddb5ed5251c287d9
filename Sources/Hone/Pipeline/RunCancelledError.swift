import Foundation

/// The run was cancelled (``PipelineRunner/cancel(_:)``, or the task running
/// ``PipelineRunner/run(cancellation:)`` was cancelled) before it had a report to return.
///
/// The ledger records the run as `cancelled`; `hone resume` (``PipelineRunner/init(resuming:pluginPaths:components:logger:)``
/// and `PipelineRunner.resume()`) continues it. Evaluators and backends throw it when they
/// stop between batches because the run was cancelled.
public struct RunCancelledError: Error, CustomStringConvertible, Sendable {
    /// What was stopped, e.g. "the run was cancelled while the host scored the baseline prompt".
    public var message: String

    /// Creates the error.
    public init(_ message: String = "the run was cancelled") {
        self.message = message
    }

    public var description: String { message }
}

extension RunCancelledError: LocalizedError {
    /// The same message as `description`, so `localizedDescription` reads as the CLI prints it.
    public var errorDescription: String? { description }
}
