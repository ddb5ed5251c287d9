import Hone
import HoneSDK

/// A deterministic in-memory backend for the host-table target: the thing fuzzed is how the
/// host reads a plugin's requests, not a model, so answers are derived from a hash of the text
/// (8-wide unit vectors, log-probabilities in [-10, 0], the prompt's first words).
final class FuzzBackend: Backend, @unchecked Sendable {
    let name = "fuzz"
    let capabilities: Set<BackendCapability> = [.embed, .score, .generate]
    var usage: BackendUsage { BackendUsage() }
    let embeddingSpace: EmbeddingSpace? = EmbeddingSpace(backend: "fuzz", model: "hash-8")
    let classifierTemperature: Double? = 0.05

    static let dimension = 8

    func embed(_ texts: [String], role: EmbeddingRole) throws -> [[Float]] {
        texts.map { text in
            var state = FuzzBackend.hash(text + role.rawValue)
            var v = (0..<FuzzBackend.dimension).map { _ -> Float in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Float(Int64(bitPattern: state >> 11) % 2000 - 1000) / 1000
            }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm > 0 { v = v.map { $0 / norm } }
            return v
        }
    }

    func score(_ items: [ScoreItem]) throws -> [[Double]] {
        items.map { item in item.candidates.map { -Double(FuzzBackend.hash(item.context + "\u{1F}" + $0) % 1000) / 100 } }
    }

    func generate(_ requests: [GenerateRequest]) throws -> [String] {
        requests.map { $0.prompt.split(separator: " ").prefix(3).joined(separator: " ") }
    }

    func suspendBudget() {}

    /// FNV-1a over the UTF-8 bytes.
    static func hash(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }
}
