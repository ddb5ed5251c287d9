import Foundation
import Hone
import HoneSDK

/// A deterministic stand-in for a model: scores each candidate by a hash of (context,
/// candidate), so different prompts get different but reproducible accuracies, with no model.
///
/// `onScore` runs before every `score` call with the number of calls so far; tests use it to
/// cancel a stage in the middle of a run. `@unchecked Sendable` because tests set `onScore`
/// (a plain closure capturing their own state) before the run starts and never during it; the
/// counters are guarded by `lock`.
final class HashScoringBackend: Backend, @unchecked Sendable {
    let name = "hash-scoring"
    let capabilities: Set<BackendCapability> = [.score]
    var usage: BackendUsage { lock.withLock { counters } }

    /// Called before each `score` call with the 1-based call number.
    var onScore: (Int) -> Void = { _ in }

    private let lock = NSLock()
    private var counters = BackendUsage()
    private var scoreCalls = 0

    func embed(_ texts: [String], role: EmbeddingRole) throws -> [[Float]] {
        throw BackendError.unsupported(.embed, backend: name)
    }

    func score(_ items: [ScoreItem]) throws -> [[Double]] {
        let call = lock.withLock { () -> Int in
            scoreCalls += 1
            counters.modelCalls += 1
            counters.itemsComputed += items.count
            return scoreCalls
        }
        onScore(call)
        return items.map { item in item.candidates.map { Double(Self.fnv1a(item.context + "\u{1F}" + $0) % 1000) / 100 } }
    }

    func generate(_ requests: [GenerateRequest]) throws -> [String] {
        throw BackendError.unsupported(.generate, backend: name)
    }

    /// 64-bit FNV-1a: stable across runs and platforms, unlike `Hasher`.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return hash
    }
}
