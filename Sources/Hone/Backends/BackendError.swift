import Foundation
/// A backend failed or was asked for something it cannot do.
public struct BackendError: Error, CustomStringConvertible, Sendable {
    /// What went wrong and what to do about it.
    public var message: String
    /// Whether trying again later might succeed (timeouts, 429, 5xx).
    public var isTransient: Bool

    /// Creates a backend error.
    public init(_ message: String, isTransient: Bool = false) {
        self.message = message
        self.isTransient = isTransient
    }

    public var description: String { message }

    /// The backend does not offer the capability.
    public static func unsupported(_ capability: BackendCapability, backend: String) -> BackendError {
        BackendError("backend \(backend) does not offer '\(capability.rawValue)'; choose a backend that does (see docs/backends.md)")
    }
}

extension BackendError: LocalizedError {
    /// The same message as `description`, so `localizedDescription` reads as the CLI prints it.
    public var errorDescription: String? { description }
}
