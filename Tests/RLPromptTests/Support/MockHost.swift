import CHoneABI
import Foundation
import HoneSDK
import HoneTestSupport

/// An in-process stand-in for the Hone host: an ``InProcessHost`` whose `evaluate` scores
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
    var cancelAfterCalls: Int?
    var evaluateRequests = 0
    /// Every evaluate request: its split, whether it asked for the whole split, its prompts.
    var requests: [(split: VisibleSplit, wholeSplit: Bool, prompts: [String])] = []
    private let host = InProcessHost(abiMinor: 0)

    init(train: [TaskExample], dev: [TaskExample], limitCalls: Int?, scorer: @escaping Scorer) {
        self.train = train
        self.dev = dev
        self.limitCalls = limitCalls
        self.scorer = scorer
        host.evaluate = { [unowned self] request, sink in evaluate(request, sink) }
        host.isCancelled = { [unowned self] in cancelAfterCalls.map { usedCalls >= $0 } == true }
    }

    /// The connection a plugin instance receives.
    var connection: HostConnection { host.connection }
    /// The last checkpoint the plugin saved.
    var checkpoint: String? { host.checkpoint }
    /// Messages the plugin logged.
    var logs: [String] { host.logs }

    private func evaluate(_ requestText: String, _ sink: UnsafeMutablePointer<hone_sink>?) -> hone_status {
        evaluateRequests += 1
        guard let request = try? Wire.decode(EvaluateRequest.self, from: requestText) else {
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
