import HoneSDK

/// The JSON documents that cross the C ABI, decoded with `Wire.decode` as the host reads a
/// plugin's run result and evaluate request and as the SDK reads the host's run request and
/// evaluate answer. The first byte picks the type; the rest is the text, cut at its first NUL
/// and with invalid UTF-8 repaired, as `String(cString:)` reads it off the boundary.
/// Properties: no crash; a refused document's `WireDecodingFailure` (the message a plugin
/// author sees) can be built; a decoded value encodes to text that decodes and encodes to the
/// same text again.
enum WireTarget {
    /// One decoder per type, picked by the first byte.
    static let decoders: [(String) -> Void] = [
        { check(RunRequest.self, $0) }, { check(RunResult.self, $0) }, { check(EvaluateRequest.self, $0) },
        { check(EvaluateResponse.self, $0) }, { check(PromptArtifact.self, $0) }, { check(TaskDescription.self, $0) },
        { check(TaskExample.self, $0) }, { check(BudgetStatus.self, $0) }, { check(ExampleOutcome.self, $0) },
        { check(PromptScore.self, $0) }, { check(EmbeddingHead.self, $0) }, { check(BackendDescription.self, $0) },
        { check(PromptParts.self, $0) }, { check(JSONValue.self, $0) },
    ]

    static func run(_ bytes: [UInt8]) {
        guard let selector = bytes.first else { return }
        let body = bytes.dropFirst().prefix { $0 != 0 }
        decoders[Int(selector) % decoders.count](String(decoding: body, as: UTF8.self))
    }

    private static func check<T: Codable>(_ type: T.Type, _ text: String) {
        let value: T
        do { value = try Wire.decode(type, from: text) } catch {
            _ = WireDecodingFailure(decoding: error, text: text).description
            return
        }
        if let head = value as? EmbeddingHead { _ = head.problem(labelCount: 3) }
        if let artifact = value as? PromptArtifact { _ = artifact.identity }
        if let result = value as? RunResult { _ = result.bestPrompt.identity; _ = result.bestPrompt.head?.problem(labelCount: 2) }
        guard let encoded = try? Wire.encode(value) else {
            require(false, "a decoded \(type) does not encode")
            return
        }
        guard let again = try? Wire.decode(type, from: encoded) else {
            require(false, "a decoded \(type) encodes to text it cannot decode: \(encoded.prefix(300))")
            return
        }
        let reencoded = try? Wire.encode(again)
        require(reencoded == encoded, "\(type) does not round-trip: \(encoded.prefix(200)) then \(reencoded?.prefix(200) ?? "nil")")
    }
}
