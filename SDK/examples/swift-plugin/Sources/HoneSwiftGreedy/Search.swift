import HoneSDK

/// The evaluations of one run, with the budget bookkeeping that lets the optimizer stop cleanly:
/// a request that the remaining budget cannot cover is never sent, and a budget-exhausted or
/// cancelled answer from the host ends the search instead of failing it. Any other failure (the
/// backend broke) is thrown, and the SDK hands its status and message to the host.
struct Search {
    let host: HostConnection
    let trainCount: Int
    let devCount: Int
    /// Calls left in the stage, or `nil` when the stage has no limit.
    private(set) var remainingCalls: Int?
    /// Calls the stage has used, as the host last reported.
    private(set) var usedCalls: Int
    /// Prompts scored so far.
    private(set) var evaluated = 0
    /// Why the search ended: "completed", "budget" or "cancelled".
    var stopped = "completed"

    init(host: HostConnection, budget: BudgetStatus, trainCount: Int, devCount: Int) {
        self.host = host
        self.trainCount = trainCount
        self.devCount = devCount
        remainingCalls = budget.remainingCalls
        usedCalls = budget.usedCalls
    }

    /// Scores token lists on train, as many as the budget allows; `nil` when none could be.
    mutating func scoreOnTrain(_ candidates: [[String]]) throws -> [Double]? {
        var prompts = candidates.map { $0.joined(separator: " ") }
        if let remaining = remainingCalls {
            let affordable = remaining / trainCount
            if affordable == 0 { stopped = "budget"; return nil }
            prompts = Array(prompts.prefix(affordable))
        }
        return try evaluate(prompts, on: .train)
    }

    /// Scores one prompt on dev when the budget allows and there is a dev split.
    mutating func scoreOnDev(_ text: String) throws -> Double? {
        if devCount == 0 || stopped == "cancelled" { return nil }
        if let remaining = remainingCalls, remaining < devCount { return nil }
        return try evaluate([text], on: .dev)?.first
    }

    /// The facts of the run for the result's summary.
    func summary(best: (train: Double, dev: Double?)?) -> JSONValue {
        var summary: [String: JSONValue] = [
            "stopped": .string(stopped), "prompts_evaluated": .number(Double(evaluated)),
            "calls_used": .number(Double(usedCalls)),
        ]
        if let best {
            summary["best_train"] = .number(best.train)
            if let dev = best.dev { summary["best_dev"] = .number(dev) }
        }
        return .object(summary)
    }

    /// Scores prompts on a split; `nil` when the host said the budget is spent or the run cancelled.
    private mutating func evaluate(_ prompts: [String], on split: VisibleSplit) throws -> [Double]? {
        do {
            let response = try host.evaluate(EvaluateRequest(prompts: prompts.map { PromptArtifact(text: $0) }, split: split))
            remainingCalls = response.budget.remainingCalls
            usedCalls = response.budget.usedCalls
            evaluated += prompts.count
            return response.results.map(\.score)
        } catch let error as PluginError where error.shouldStop {
            stopped = error.status == PluginError.cancelled("").status ? "cancelled" : "budget"
            return nil
        } catch let error as PluginError {
            throw PluginError(status: error.status, message: "evaluating \(prompts.count) prompts on \(split.rawValue): \(error.message)")
        }
    }
}
