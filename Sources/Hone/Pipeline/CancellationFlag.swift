import Synchronization

/// A flag that a cancel raises and evaluators check between batches; once raised it stays raised.
public final class CancellationFlag: Sendable {
    private let raised: Atomic<Bool>
    /// What ``check()`` throws, e.g. "the run was cancelled while the host scored the baseline prompt".
    public let message: String

    /// A flag, lowered unless `raised`.
    public init(raised: Bool = false, message: String = "the run was cancelled") {
        self.raised = Atomic(raised)
        self.message = message
    }

    /// Raises the flag.
    public func raise() { raised.store(true, ordering: .releasing) }

    /// Whether the flag is raised.
    public var isRaised: Bool { raised.load(ordering: .acquiring) }

    /// Throws ``RunCancelledError`` when the flag is raised.
    public func check() throws {
        if isRaised { throw RunCancelledError(message) }
    }
}
