import Foundation

/// Limits on what a backend may spend; when one is reached the backend stops sending requests
/// and throws ``BudgetExhaustedError``, so a run stops cleanly with the best result so far.
public struct BackendBudget: Sendable, Equatable {
    /// Requests sent to servers (cache hits are free; retries are not counted again).
    public var maxCalls: Int?
    /// Input plus output tokens.
    public var maxTokens: Int?
    /// Cost in US dollars, from the price table.
    public var maxCostUSD: Double?
    /// Wall time in seconds since the backend was opened.
    public var maxSeconds: Double?

    /// Creates a budget; nil means no limit.
    public init(maxCalls: Int? = nil, maxTokens: Int? = nil, maxCostUSD: Double? = nil, maxSeconds: Double? = nil) {
        self.maxCalls = maxCalls
        self.maxTokens = maxTokens
        self.maxCostUSD = maxCostUSD
        self.maxSeconds = maxSeconds
    }

    /// How many of `wanted` new calls fit, given the usage so far, and the limit that stopped
    /// the rest (nil when all fit).
    func admit(_ wanted: Int, callsSoFar: Int, usage: BackendUsage, elapsed: Double) -> (admitted: Int, limit: String?) {
        if let maxSeconds, elapsed >= maxSeconds {
            return (0, "the time budget (\(maxSeconds) s) is spent")
        }
        if let maxTokens, usage.promptTokens + usage.completionTokens >= maxTokens {
            return (0, "the token budget (\(maxTokens) tokens) is spent")
        }
        if let maxCostUSD, usage.costUSD >= maxCostUSD {
            return (0, "the cost budget ($\(maxCostUSD)) is spent")
        }
        if let maxCalls {
            let left = max(0, maxCalls - callsSoFar)
            if left < wanted { return (left, "the call budget (\(maxCalls) calls) is spent") }
        }
        return (wanted, nil)
    }
}

/// A backend budget ran out: the calls that fitted were made (and cached); the rest were not.
///
/// The runner treats this as the clean end of the run: it keeps the best result found so far.
public struct BudgetExhaustedError: Error, CustomStringConvertible, Sendable {
    /// Which limit was reached.
    public var message: String
    /// Creates the error.
    public init(_ message: String) { self.message = message }
    /// The message with what to do.
    public var description: String { "budget exhausted: \(message); raise the backend's \"budget\" to go further" }
}

extension BudgetExhaustedError: LocalizedError {
    /// The same message as `description`, so `localizedDescription` reads as the CLI prints it.
    public var errorDescription: String? { description }
}
