import Foundation
/// A pipeline could not run: a missing plugin, a capability the backend lacks, a stage that failed.
public struct PipelineError: RemediableError, CustomStringConvertible, Sendable {
    /// What went wrong and what to do.
    public var message: String

    /// The fix the error proposes, for a front end to spell in its own terms.
    public var remedy: ErrorRemedy?

    /// Creates a pipeline error.
    public init(_ message: String, remedy: ErrorRemedy? = nil) {
        self.message = message
        self.remedy = remedy
    }

    /// The message.
    public var description: String { message }
}

extension PipelineError: LocalizedError {
    /// The same message as `description`, so `localizedDescription` reads as the CLI prints it.
    public var errorDescription: String? { description }
}
