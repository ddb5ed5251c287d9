import Foundation

/// One call to record: what was asked, how long it took and what the backend did for it.
///
/// The backend's counters are cumulative, so a call's work is the difference of
/// ``Backend/usage`` read before and after it. A stage's calls run one at a time on the
/// stage's thread, so the difference belongs to that call.
struct BackendCallRecord {
    /// The stage, or nil for the host's baseline and final scorings.
    var stage: Int?
    /// "evaluate", "embed", "score" or "generate".
    var op: String
    /// SHA-256 (hex) of the request's content: identical requests have identical hashes.
    var requestHash: String
    /// Items asked for.
    var items: Int
    /// What the backend did for it (counter differences).
    var usage: BackendUsage
    /// Wall time of the call.
    var latencySeconds: Double
    /// The error, if the call failed.
    var error: String?

    /// Whether the cache answered the whole call: it succeeded, and the model computed
    /// nothing for it.
    var isCached: Bool { error == nil && usage.itemsComputed == 0 && usage.modelCalls == 0 }

    /// Measures `body`, recording the backend's work and any error it throws (then rethrows).
    static func measure<R>(
        backend: Backend, stage: Int?, op: String, requestHash: @autoclosure () -> String, items: Int,
        record: (BackendCallRecord) -> Void, _ body: () throws -> R
    ) throws -> R {
        let before = backend.usage
        let start = DispatchTime.now().uptimeNanoseconds
        func finish(_ error: Error?) {
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            record(BackendCallRecord(
                stage: stage, op: op, requestHash: requestHash(), items: items,
                usage: backend.usage.subtracting(before), latencySeconds: seconds,
                error: error.map { "\($0)" }))
        }
        do {
            let result = try body()
            finish(nil)
            return result
        } catch {
            finish(error)
            throw error
        }
    }

    /// The SHA-256 (hex) of `parts` joined by a separator no text holds.
    static func hash(_ parts: [String]) -> String {
        SHA256.hex(Array(parts.joined(separator: "\u{1F}").utf8))
    }
}
