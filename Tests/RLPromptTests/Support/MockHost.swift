import CHoneABI
import Foundation
import HoneSDK

/// An in-process stand-in for the Hone host: a real `hone_host` table whose `evaluate` scores
/// prompts with a Swift closure, counts the budget as the host does (one call per prompt and
/// example), stores checkpoints and can cancel. Lets the plugin's run loop be tested without
/// the host library or a model.
final class MockHost {
    /// Probabilities over the labels for one prompt text and one example.
    typealias Scorer = (_ prompt: String, _ example: TaskExample) -> [Double]

    let train: [TaskExample]
    let dev: [TaskExample]
    let scorer: Scorer
    var limitCalls: Int?
    var usedCalls = 0
    var checkpoint: String?
    var cancelAfterCalls: Int?
    var evaluateRequests = 0
    /// Every evaluate request: its split, whether it asked for the whole split, its prompts.
    var requests: [(split: VisibleSplit, wholeSplit: Bool, prompts: [String])] = []
    var logs: [String] = []

    private var table: UnsafeMutablePointer<hone_host>

    init(train: [TaskExample], dev: [TaskExample], limitCalls: Int?, scorer: @escaping Scorer) {
        self.train = train
        self.dev = dev
        self.limitCalls = limitCalls
        self.scorer = scorer
        table = .allocate(capacity: 1)
        table.initialize(to: hone_host(
            struct_size: UInt32(MemoryLayout<hone_host>.size), abi_major: 1, abi_minor: 0, host_data: nil,
            evaluate: { host, request, sink in MockHost.of(host).evaluate(request, sink) },
            backend_call: { _, _, sink in
                sink?.send("the mock host has no backend")
                return hone_status(HONE_ERR_UNSUPPORTED)
            },
            log: { host, _, message in MockHost.of(host).logs.append(message.map { String(cString: $0) } ?? "") },
            progress: { _, _, _ in },
            is_cancelled: { host in
                let mock = MockHost.of(host)
                return mock.cancelAfterCalls.map { mock.usedCalls >= $0 } == true ? 1 : 0
            },
            checkpoint_save: { host, state in
                MockHost.of(host).checkpoint = state.map { String(cString: $0) }
                return hone_status(HONE_OK)
            },
            checkpoint_load: { host, sink in
                guard let saved = MockHost.of(host).checkpoint else { return hone_status(HONE_ERR_NOT_FOUND) }
                sink?.send(saved)
                return hone_status(HONE_OK)
            },
            get_extension: { _, _ in nil }))
        table.pointee.host_data = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit {
        table.deinitialize(count: 1)
        table.deallocate()
    }

    /// The connection a plugin instance receives.
    var connection: HostConnection { HostConnection(UnsafePointer(table)) }

    private static func of(_ host: UnsafePointer<hone_host>?) -> MockHost {
        Unmanaged<MockHost>.fromOpaque(host!.pointee.host_data!).takeUnretainedValue()
    }

    private func evaluate(_ requestText: UnsafePointer<CChar>?, _ sink: UnsafeMutablePointer<hone_sink>?) -> hone_status {
        evaluateRequests += 1
        guard let requestText, let request = try? Wire.decode(EvaluateRequest.self, from: String(cString: requestText)) else {
            sink?.send("bad evaluate request")
            return hone_status(HONE_ERR_INVALID_ARGUMENT)
        }
        if cancelAfterCalls.map({ usedCalls >= $0 }) == true {
            sink?.send("cancelled")
            return hone_status(HONE_ERR_CANCELLED)
        }
        requests.append((request.split, request.indices == nil, request.prompts.map(\.text)))
        let split = request.split == .train ? train : dev
        let examples = request.indices.map { wanted in split.filter { wanted.contains($0.index) } } ?? split
        let cost = examples.count * request.prompts.count
        if let limit = limitCalls, usedCalls + cost > limit {
            sink?.send("budget of \(limit) calls cannot cover \(cost) more")
            return hone_status(HONE_ERR_BUDGET_EXHAUSTED)
        }
        usedCalls += cost
        let results = request.prompts.map { prompt -> PromptScore in
            let outcomes = examples.map { example -> ExampleOutcome in
                let p = scorer(prompt.text, example)
                let predicted = p.indices.max { p[$0] < p[$1] } ?? 0
                return ExampleOutcome(index: example.index, label: example.label, predicted: predicted, probabilities: p)
            }
            let accuracy = Double(outcomes.filter { $0.predicted == $0.label }.count) / Double(max(outcomes.count, 1))
            return PromptScore(score: accuracy, examples: request.details ? outcomes : nil)
        }
        let response = EvaluateResponse(results: results, budget: BudgetStatus(limitCalls: limitCalls, usedCalls: usedCalls))
        sink?.send((try? Wire.encode(response)) ?? "{}")
        return hone_status(HONE_OK)
    }
}
