import CHoneABI
import Foundation
import HoneSDK
import HonePluginGRAMCore
import HoneTestSupport

/// An in-process host (``InProcessHost``) whose backend embeds texts with a bag of seeded random word vectors (a
/// text's vector is the normalized sum of its words' vectors, the `query:`/`passage:` role adding
/// a small role vector), counts one budget call per text as the host does, and refuses
/// `evaluate` (GRAM never asks for it).
final class EmbeddingMockHost {
    let dimension: Int
    var limitCalls: Int?
    var usedCalls = 0
    var embedded: [(role: String, text: String)] = []
    var evaluateRequests = 0
    private let host = InProcessHost()

    init(dimension: Int = 24, limitCalls: Int? = nil) {
        self.dimension = dimension
        self.limitCalls = limitCalls
        host.evaluate = { [unowned self] _, sink in
            evaluateRequests += 1
            sink?.send("the mock host does not evaluate")
            return hone_status(HONE_ERR_UNSUPPORTED)
        }
        host.backendCall = { [unowned self] request, sink in backendCall(request, sink) }
    }

    var connection: HostConnection { host.connection }
    var logs: [String] { host.logs }

    /// A stable vector per word (FNV-1a of the word seeds the generator).
    func wordVector(_ word: String) -> [Double] {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in word.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        var g = SeededGenerator(seed: hash)
        return (0..<dimension).map { _ in g.nextGaussian() }
    }

    func vector(_ text: String, role: String) -> [Float] {
        var v = wordVector("<\(role)>").map { 0.3 * $0 }
        for word in text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
            for (i, x) in wordVector(String(word)).enumerated() { v[i] += x }
        }
        let n = max(v.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
        return v.map { Float($0 / n) }
    }

    private func backendCall(_ requestText: String, _ sink: UnsafeMutablePointer<hone_sink>?) -> hone_status {
        guard let request = try? JSONValue(parsing: requestText),
              request["op"]?.stringValue == "embed", let texts = request["texts"]?.arrayValue?.compactMap(\.stringValue) else {
            sink?.send("the mock host only embeds")
            return hone_status(HONE_ERR_UNSUPPORTED)
        }
        if let limit = limitCalls, usedCalls + texts.count > limit {
            sink?.send("budget exhausted")
            return hone_status(HONE_ERR_BUDGET_EXHAUSTED)
        }
        usedCalls += texts.count
        let role = request["role"]?.stringValue ?? "passage"
        embedded += texts.map { (role, $0) }
        let rows = texts.map { JSONValue.array(vector($0, role: role).map { .number(Double($0)) }) }
        sink?.send(JSONValue.object(["embeddings": .array(rows)]).serialized())
        return hone_status(HONE_OK)
    }
}
