/// A pipeline could not run: a missing plugin, a capability the backend lacks, a stage that failed.
public struct PipelineError: Error, CustomStringConvertible, Sendable {
    /// What went wrong and what to do.
    public var message: String

    /// Creates a pipeline error.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}
