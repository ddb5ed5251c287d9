import Foundation

/// The checks every backend answer passes before Hone scores it or caches it, and every cache
/// entry passes before it is served.
///
/// - A log-probability is a number `<= 0` (a probability is at most 1), or `-infinity` (a
///   probability of 0). Values up to ``logprobTolerance`` above 0 are float rounding in the
///   server and read as 0; anything larger, NaN or `+infinity` is refused.
/// - The `top_logprobs` of one token are distinct outcomes, so their probabilities sum to at
///   most `1 + ``probabilityMassTolerance```.
/// - An embedding is non-empty, every component finite, and as wide as the model's vectors.
///
/// A refused answer is an error of its call: the HTTP backend retries it as a malformed answer
/// and reports it when the retries are spent; it is never cached. A refused cache entry is
/// dropped and the answer asked for again.
enum AnswerValidation {
    /// How far above 0 a log-probability may be and still be read as 0 (rounding).
    static let logprobTolerance = 1e-4
    /// How far above 1 the summed probabilities of one token's `top_logprobs` may be.
    static let probabilityMassTolerance = 0.01

    /// An answer broke one of the rules; the message says which value and why.
    struct Violation: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// `value` as a log-probability (rounding above 0 clamped to 0), or a ``Violation``
    /// naming `what`.
    static func logprob(_ value: Double, _ what: @autoclosure () -> String) throws -> Double {
        if value == -.infinity { return value }
        guard value.isFinite else { throw Violation("\(what()) is \(value), not a log-probability") }
        guard value <= logprobTolerance else {
            throw Violation("\(what()) is \(value), but a log-probability is at most 0 (tolerance \(logprobTolerance)); the server's answer is wrong")
        }
        return min(value, 0)
    }

    /// Checks one token's `top_logprobs`: each a log-probability, their probabilities summing
    /// to at most 1 (within tolerance).
    static func topLogprobs(_ list: [(token: String, logprob: Double)]) throws -> [(token: String, logprob: Double)] {
        let checked = try list.enumerated().map { i, entry in
            (token: entry.token, logprob: try logprob(entry.logprob, "top_logprobs[\(i)].logprob (token \"\(entry.token)\")"))
        }
        let mass = checked.reduce(0.0) { $0 + exp($1.logprob) }
        guard mass <= 1 + probabilityMassTolerance else {
            throw Violation("the top_logprobs' probabilities sum to \(mass), more than 1; the server's answer is wrong")
        }
        return checked
    }

    /// Checks a vector: non-empty, finite, and `dimension` wide when that is known.
    static func vector(_ vector: [Float], dimension: Int?, _ what: @autoclosure () -> String) throws {
        guard !vector.isEmpty else { throw Violation("\(what()) is empty") }
        if let dimension, vector.count != dimension {
            throw Violation("\(what()) has \(vector.count) values, but the model's vectors have \(dimension)")
        }
        if let i = vector.firstIndex(where: { !$0.isFinite }) {
            throw Violation("\(what()) holds \(vector[i]) at position \(i); every component must be a finite number")
        }
    }

    /// Whether a cached vector passes ``vector(_:dimension:_:)``.
    static func isValid(_ vector: [Float], dimension: Int?) -> Bool {
        (try? self.vector(vector, dimension: dimension, "")) != nil
    }
}
