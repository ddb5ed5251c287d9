import CHoneABI
import Foundation
import HoneSDK

/// An in-process host for BayesPrompt runs without a model: a real `hone_host` table whose
/// `embed` maps each text to a vector by a Swift closure and whose `evaluate` scores text
/// prompts by another, both counting the budget as the host does (one call per embedded text,
/// one per prompt and example).
final class EmbeddingHost {
    typealias Embedder = (_ text: String, _ role: String) -> [Float]
    typealias Scorer = (_ prompt: PromptArtifact, _ example: TaskExample) -> Int

    let train: [TaskExample], dev: [TaskExample]
    let embedder: Embedder
    let scorer: Scorer
    var limitCalls: Int?
    var usedCalls = 0
    var cancelled = false
    /// Every embedded text with its role, in order.
    var embedded: [(text: String, role: String)] = []
    /// The prompts of every evaluate request.
    var evaluated: [[PromptArtifact]] = []
    private var table: UnsafeMutablePointer<hone_host>

    init(train: [TaskExample], dev: [TaskExample], limitCalls: Int?, embedder: @escaping Embedder, scorer: @escaping Scorer = { _, _ in 0 }) {
        self.train = train
        self.dev = dev
        self.limitCalls = limitCalls
        self.embedder = embedder
        self.scorer = scorer
        table = .allocate(capacity: 1)
        table.initialize(to: hone_host(
            struct_size: UInt32(MemoryLayout<hone_host>.size), abi_major: 1, abi_minor: 0, host_data: nil,
            evaluate: { host, request, sink in EmbeddingHost.of(host).answer(request, sink, EmbeddingHost.evaluate) },
            backend_call: { host, request, sink in EmbeddingHost.of(host).answer(request, sink, EmbeddingHost.backend) },
            log: { _, _, _ in }, progress: { _, _, _ in },
            is_cancelled: { host in EmbeddingHost.of(host).cancelled ? 1 : 0 },
            checkpoint_save: { _, _ in hone_status(HONE_OK) },
            checkpoint_load: { _, _ in hone_status(HONE_ERR_NOT_FOUND) },
            get_extension: { _, _ in nil }))
        table.pointee.host_data = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit {
        table.deinitialize(count: 1)
        table.deallocate()
    }

    /// The connection a plugin instance receives.
    var connection: HostConnection { HostConnection(UnsafePointer(table)) }

    private static func of(_ host: UnsafePointer<hone_host>?) -> EmbeddingHost {
        Unmanaged<EmbeddingHost>.fromOpaque(host!.pointee.host_data!).takeUnretainedValue()
    }

    private struct Refusal: Error { let status: Int32; let message: String }

    private func answer(_ request: UnsafePointer<CChar>?, _ sink: UnsafeMutablePointer<hone_sink>?,
                        _ handler: (EmbeddingHost) -> (String) throws -> String) -> hone_status {
        do {
            sink?.send(try handler(self)(String(cString: request!)))
            return hone_status(HONE_OK)
        } catch let refusal as Refusal {
            sink?.send(refusal.message)
            return hone_status(refusal.status)
        } catch {
            sink?.send("\(error)")
            return hone_status(HONE_ERR_INVALID_ARGUMENT)
        }
    }

    private func charge(_ cost: Int) throws {
        if cancelled { throw Refusal(status: Int32(HONE_ERR_CANCELLED), message: "cancelled") }
        if let limit = limitCalls, usedCalls + cost > limit {
            throw Refusal(status: Int32(HONE_ERR_BUDGET_EXHAUSTED), message: "budget of \(limit) calls cannot cover \(cost) more")
        }
        usedCalls += cost
    }

    private func backend(_ text: String) throws -> String {
        let request = try JSONValue(parsing: text)
        guard request["op"]?.stringValue == "embed", let texts = request["texts"]?.arrayValue?.compactMap(\.stringValue) else {
            throw Refusal(status: Int32(HONE_ERR_UNSUPPORTED), message: "only embed")
        }
        let role = request["role"]?.stringValue ?? "passage"
        try charge(texts.count)
        embedded += texts.map { ($0, role) }
        let rows: [JSONValue] = texts.map { .array(embedder($0, role).map { .number(Double($0)) }) }
        return JSONValue.object(["embeddings": .array(rows)]).serialized()
    }

    private func evaluate(_ text: String) throws -> String {
        let request = try Wire.decode(EvaluateRequest.self, from: text)
        let examples = request.split == .train ? train : dev
        try charge(examples.count * request.prompts.count)
        evaluated.append(request.prompts)
        let results = request.prompts.map { prompt in
            PromptScore(score: Double(examples.filter { scorer(prompt, $0) == $0.label }.count) / Double(max(examples.count, 1)))
        }
        return try Wire.encode(EvaluateResponse(results: results, budget: BudgetStatus(limitCalls: limitCalls, usedCalls: usedCalls)))
    }
}
