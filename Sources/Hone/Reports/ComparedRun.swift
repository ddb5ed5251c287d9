import Foundation
import HoneSDK

/// One finished run as `hone compare` sees it: which task, method and seed it is (keys built
/// from its recorded config), its baseline and best scores, the budget it had and the calls it
/// used, and its learning curves.
///
/// - The **task** is what the test scores are measured on: the test data (file, or the file
///   and split), `test_sample`, the labels and the metric.
/// - The **method** is everything else that shapes the result except the seed: the stages
///   (plugins, configs, budgets), the backend, the template and the seed prompt.
/// - The **seed** is the config's `seed` and the train and dev data (few-shot splits drawn
///   with different data seeds count as seeds).
struct ComparedRun: Sendable {
    var directory: String
    var name: String
    var taskKey: String
    /// The test (or whole) data file, resolved: what names the task.
    var taskPath: String
    var methodKey: String
    var baselineKey: String
    var seedKey: String
    var seed: UInt64?
    var trainPath: String?
    var plugins: [String]
    var metric: String
    var baseline: RecordedScores
    var best: RecordedScores
    /// The sum of the stages' budgets; nil when a stage has none.
    var budgetCalls: Int?
    /// Calls the stages used.
    var usedCalls: Int
    var testRows: Int?
    /// Per split ("train", "dev"), the best score so far against the calls the pipeline's
    /// stages had used (stages one after another).
    var curves: [String: [CandidateCurve.Point]]

    /// Reads the run in `directory`; nil (with the reason) when it has no best prompt scored on
    /// test yet or no recorded config.
    static func read(_ directory: String) throws -> Result<ComparedRun, Skip> {
        let ledger = try RunLedger.open(directory: directory)
        let run = try ledger.recordedRun()
        guard let baseline = run.baseline, let best = run.best else {
            return .failure(Skip(directory: directory, reason: "no best prompt scored on test yet (status \(run.status.rawValue))"))
        }
        guard let text = run.configJSON, let config = try? JSONValue(parsing: text) else {
            return .failure(Skip(directory: directory, reason: "the ledger holds no config, so its task and method are unknown"))
        }
        let task = config["task"]
        var dataset = task?["dataset"]?.objectValue ?? [:]
        for key in ["train", "dev", "test", "file", "unlabeled"] {
            if let path = dataset[key]?.stringValue { dataset[key] = .string(PipelineConfig.resolve(path, against: run.baseDirectory)) }
        }
        let trainPath = dataset["train"]?.stringValue ?? dataset["file"]?.stringValue
        let taskPath = dataset["test"]?.stringValue ?? dataset["file"]?.stringValue ?? "task"
        var taskIdentity: [String: JSONValue] = [
            "labels": task?["labels"] ?? .null, "metric": task?["metric"] ?? "accuracy",
            "test_sample": dataset["test_sample"] ?? .null,
        ]
        if let test = dataset["test"] { taskIdentity["test"] = test } else {
            taskIdentity["file"] = dataset["file"] ?? .null
            taskIdentity["split"] = dataset["split"] ?? .null
        }
        let stagesJSON = config["stages"] ?? .array([])
        let methodIdentity: JSONValue = [
            "stages": stagesJSON, "backend": config["backend"] ?? .null,
            "template": task?["template"] ?? "{prompt} {input}", "prompt": task?["prompt"] ?? "",
        ]
        let baselineIdentity: JSONValue = [
            "backend": config["backend"] ?? .null, "template": task?["template"] ?? "{prompt} {input}", "prompt": .string(baseline.prompt.text),
        ]
        var seedIdentity = dataset
        seedIdentity["test"] = nil
        seedIdentity["test_sample"] = nil
        seedIdentity["seed"] = config["seed"] ?? .null
        let budgets = run.stages.map(\.budgetCalls)
        var curves: [String: [CandidateCurve.Point]] = [:]
        let sizes = FileManager.default.contents(atPath: directory + "/result.json").flatMap { try? JSONValue(parsingUTF8: Array($0)) }?["split_sizes"]
        var offset = 0
        for stage in run.stages {
            let points = try ledger.candidatePoints(stage: stage.index)
            for split in ["train", "dev"] {
                let curve = CandidateCurve(points, split: split, wholeSplit: sizes?[split]?.intValue, end: stage.usedCalls)
                curves[split, default: []] += curve.bestSoFar.map {
                    var p = $0
                    p.calls += Double(offset)
                    return p
                }
            }
            offset += stage.usedCalls
        }
        return .success(ComparedRun(
            directory: directory, name: run.name, taskKey: JSONValue.object(taskIdentity).serialized(), taskPath: taskPath,
            methodKey: methodIdentity.serialized(), baselineKey: baselineIdentity.serialized(), seedKey: JSONValue.object(seedIdentity).serialized(),
            seed: config["seed"]?.doubleValue.map { UInt64(max(0, $0)) }, trainPath: trainPath, plugins: run.stages.map(\.plugin),
            metric: task?["metric"]?.stringValue ?? "accuracy", baseline: baseline, best: best,
            budgetCalls: budgets.contains(nil) ? nil : budgets.reduce(0) { $0 + ($1 ?? 0) },
            usedCalls: run.stages.reduce(0) { $0 + $1.usedCalls }, testRows: sizes?["test"]?.intValue, curves: curves))
    }

    /// A run left out of a comparison, and why.
    struct Skip: Error, Sendable {
        var directory: String
        var reason: String
    }
}
