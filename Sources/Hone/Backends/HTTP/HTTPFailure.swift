import Foundation
/// Why an HTTP request finally failed, after the retries the policy allowed.
///
/// Messages are for people: they say what happened, where, and what to do. They never contain
/// the API key: bodies quoted from servers are redacted before they get here.
public struct HTTPFailure: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this was.
    public enum Kind: Sendable, Equatable {
        /// The server answered with a non-2xx status.
        case status(Int)
        /// The connection failed, was dropped, or the body arrived truncated.
        case transport
        /// The connect or total timeout passed.
        case timeout
        /// A 2xx answer whose body is not the JSON the endpoint documents.
        case malformed
        /// The caller (or the client shutting down) cancelled the transfer.
        case cancelled
    }

    /// The kind of failure.
    public var kind: Kind
    /// What happened, with the server's own error message where there was one.
    public var message: String
    /// Whether trying again later might succeed (429, 5xx, timeouts, dropped connections, malformed answers).
    public var isTransient: Bool
    /// Attempts made, including the last one.
    public var attempts: Int
    /// Wall time of all attempts, in seconds.
    public var totalLatency: Double

    /// Creates a failure.
    public init(kind: Kind, message: String, isTransient: Bool, attempts: Int = 1, totalLatency: Double = 0) {
        self.kind = kind
        self.message = message
        self.isTransient = isTransient
        self.attempts = attempts
        self.totalLatency = totalLatency
    }

    /// The message, with the number of attempts when there were several.
    public var description: String {
        attempts > 1 ? "\(message) (after \(attempts) attempts)" : message
    }
}

extension HTTPFailure: LocalizedError {
    /// The same message as `description`, so `localizedDescription` reads as the CLI prints it.
    public var errorDescription: String? { description }
}
