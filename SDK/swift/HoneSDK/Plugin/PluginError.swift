import Foundation
import CHoneABI

/// An error a plugin reports to the host: a status code of the ABI plus a message for the user.
///
/// Throw it from ``HoneOptimizer`` methods; the SDK turns it into a `hone_status` and a
/// message. Any other Swift error becomes `HONE_ERR_INTERNAL` with its description.
public struct PluginError: Error, CustomStringConvertible, Sendable {
    /// The ABI status code.
    public var status: Int32
    /// What went wrong and, where possible, what to do.
    public var message: String

    /// Creates an error with an explicit status code.
    public init(status: Int32, message: String) {
        self.status = status
        self.message = message
    }

    public var description: String {
        "\(String(cString: hone_status_name(status))): \(message)"
    }

    /// The plugin's configuration is not acceptable.
    public static func config(_ message: String) -> PluginError { .init(status: Int32(HONE_ERR_CONFIG), message: message) }
    /// A JSON argument had the wrong shape.
    public static func invalidArgument(_ message: String) -> PluginError { .init(status: Int32(HONE_ERR_INVALID_ARGUMENT), message: message) }
    /// The backend failed.
    public static func backend(_ message: String) -> PluginError { .init(status: Int32(HONE_ERR_BACKEND), message: message) }
    /// The budget is spent.
    public static func budgetExhausted(_ message: String) -> PluginError { .init(status: Int32(HONE_ERR_BUDGET_EXHAUSTED), message: message) }
    /// The run was cancelled.
    public static func cancelled(_ message: String) -> PluginError { .init(status: Int32(HONE_ERR_CANCELLED), message: message) }
    /// Something unsupported was asked for.
    public static func unsupported(_ message: String) -> PluginError { .init(status: Int32(HONE_ERR_UNSUPPORTED), message: message) }
    /// Nothing stored under that name.
    public static func notFound(_ message: String) -> PluginError { .init(status: Int32(HONE_ERR_NOT_FOUND), message: message) }
    /// A bug or an unexpected state.
    public static func `internal`(_ message: String) -> PluginError { .init(status: Int32(HONE_ERR_INTERNAL), message: message) }

    /// Whether the stage should stop and return its best result (budget spent or cancelled).
    public var shouldStop: Bool {
        status == Int32(HONE_ERR_BUDGET_EXHAUSTED) || status == Int32(HONE_ERR_CANCELLED)
    }
}

extension PluginError: LocalizedError {
    /// The same message as `description`, so `localizedDescription` reads as the CLI prints it.
    public var errorDescription: String? { description }
}
