import Foundation
import HoneSDK

extension RunDirectoryReport {
    /// The report of a run whose ledger cannot be read, from its `result.json` alone; nil when
    /// that file is missing or is not a Hone result (then the ledger's error stands).
    ///
    /// The run's name, backend, stages (plugin, calls, prompts, summary) and baseline and best
    /// scores come from the file; candidates, backend call totals, sessions and the config were
    /// only in the ledger and are left empty. The start and finish times are the file's
    /// modification time less and at its `wall_seconds`.
    init?(resultFileIn directory: String, ledgerFailure: Error) {
        let path = directory + "/result.json"
        guard let data = FileManager.default.contents(atPath: path),
              let result = try? JSONValue(parsingUTF8: Array(data)),
              let name = result["name"]?.stringValue,
              result["scores"]?["best"]?["test"]?.doubleValue != nil,
              let stageList = result["stages"]?.arrayValue else { return nil }
        let written = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? Date()
        let wall = result["wall_seconds"]?.doubleValue ?? 0
        func artifact(_ value: JSONValue?) -> PromptArtifact? {
            value.flatMap { try? Wire.decode(PromptArtifact.self, from: $0.serialized()) }
        }
        let stages = stageList.enumerated().map { index, stage in
            RecordedStage(
                index: index, plugin: stage["plugin"]?.stringValue ?? "?", status: .done,
                budgetCalls: stage["budget_calls"]?.intValue, usedCalls: stage["used_calls"]?.intValue ?? 0,
                evaluatedPrompts: stage["evaluated_prompts"]?.intValue ?? 0, attempts: 1,
                seedPrompt: artifact(stage["seed_prompt"]), bestPrompt: artifact(stage["best_prompt"]),
                summary: stage["summary"], curve: stage["curve"]?.arrayValue, error: nil,
                wallSeconds: stage["wall_seconds"]?.doubleValue ?? 0,
                selection: stage["selection"].flatMap(StageSelection.init(json:)))
        }
        let ledger = directory + "/" + RunLedger.fileName
        let reason = "\(ledgerFailure)"
        self.directory = directory
        self.result = result
        run = RecordedRun(
            name: name, configJSON: nil, baseDirectory: directory, pluginPaths: [], persistentCache: false,
            backend: result["backend"]?.stringValue ?? "?", status: .done, error: nil, sessions: 0,
            started: written.addingTimeInterval(-wall), finished: written, wallSeconds: wall,
            stages: stages, baseline: nil, best: nil)
        topCandidates = stages.map { _ in [] }
        candidateCounts = stages.map { _ in 0 }
        stageCalls = stages.map { _ in BackendCallTotals() }
        hostCalls = BackendCallTotals()
        allCalls = BackendCallTotals()
        ledgerProblem = "the run's ledger \(ledger) cannot be read (\(reason)); this report is from \(path) alone: "
            + "scores, stages and prompts, without candidates, backend calls or the config"
    }
}
