import Foundation
import HoneSDK

/// What `hone report` prints about a run directory: per stage its plugin, status, calls and
/// best prompt; baseline and best scores on train, dev and test; each stage's top candidates
/// by score; and backend call totals. Read from `result.json` (when the run wrote one) and the
/// ledger; rendered as Markdown (``markdown``) or JSON (``json``).
public struct RunDirectoryReport: Sendable {
    /// The run directory.
    public var directory: String
    /// The run as its ledger records it.
    public var run: RecordedRun
    /// `result.json`, when present.
    public var result: JSONValue?
    /// Per stage, its best candidates, best first.
    public var topCandidates: [[RecordedCandidate]]
    /// Per stage, how many candidates it scored.
    public var candidateCounts: [Int]
    /// Per stage, its backend call totals.
    public var stageCalls: [BackendCallTotals]
    /// The host's own baseline and final scorings.
    public var hostCalls: BackendCallTotals
    /// Every recorded backend call.
    public var allCalls: BackendCallTotals

    /// Why the ledger could not be read, when this report comes from `result.json` alone (see
    /// ``init(directory:top:)``); nil when it was read from the ledger.
    public var ledgerProblem: String?

    /// Reads the report of the run in `directory`, with the `top` best candidates per stage.
    ///
    /// When the ledger cannot be read (damaged, missing, or not a Hone ledger) but the run wrote
    /// an intact `result.json`, the report is read from that file alone and ``ledgerProblem``
    /// says why: scores, stages and prompts, without candidates, backend calls or the config.
    /// Throws a ``LedgerError`` naming what is missing when neither can be read.
    public init(directory: String, top: Int = 10) throws {
        do {
            try self.init(ledgerIn: directory, top: top)
        } catch let failure {
            guard let fromResult = RunDirectoryReport(resultFileIn: directory, ledgerFailure: failure) else { throw failure }
            self = fromResult
        }
    }

    /// The status as reports show it: the ledger's, or "unknown" when it could not be read
    /// (`result.json` is written by finished and cancelled runs alike).
    public var statusName: String { ledgerProblem == nil ? run.status.rawValue : "unknown" }

    private init(ledgerIn directory: String, top: Int) throws {
        let ledger = try RunLedger.open(directory: directory)
        self.directory = directory
        run = try ledger.recordedRun()
        let resultFile = directory + "/result.json"
        result = FileManager.default.contents(atPath: resultFile).flatMap { try? JSONValue(parsingUTF8: Array($0)) }
        topCandidates = try run.stages.map { try ledger.topCandidates(stage: $0.index, limit: top) }
        candidateCounts = try run.stages.map { try ledger.candidateCount(stage: $0.index) }
        stageCalls = try run.stages.map { try ledger.callTotals(stage: .some($0.index)) }
        hostCalls = try ledger.callTotals(stage: .some(nil))
        allCalls = try ledger.callTotals()
    }

    /// The baseline prompt and its scores: from the ledger, else (an older run) from `result.json`.
    public var baselineScores: (prompt: PromptArtifact, scores: SplitScores)? {
        run.baseline.map { ($0.prompt, $0.scores) } ?? fromResult("baseline", prompt: result?["baseline_prompt"])
    }

    /// The best prompt and its scores: from the ledger, else (an older run) from `result.json`.
    public var bestScores: (prompt: PromptArtifact, scores: SplitScores)? {
        run.best.map { ($0.prompt, $0.scores) } ?? fromResult("best", prompt: result?["best_prompt"])
    }

    private func fromResult(_ which: String, prompt: JSONValue?) -> (prompt: PromptArtifact, scores: SplitScores)? {
        guard let s = result?["scores"]?[which], let train = s["train"]?.doubleValue, let dev = s["dev"]?.doubleValue,
              let test = s["test"]?.doubleValue, let prompt, let artifact = try? Wire.decode(PromptArtifact.self, from: prompt.serialized()) else { return nil }
        return (artifact, SplitScores(train: train, dev: dev, test: test))
    }

    /// Baseline and best scores with their prompts.
    private var scores: (baseline: (prompt: PromptArtifact, scores: SplitScores)?, best: (prompt: PromptArtifact, scores: SplitScores)?) {
        (baselineScores, bestScores)
    }

    /// The report as Markdown.
    public var markdown: String {
        var lines: [String] = []
        lines.append("# Run \(run.name)")
        lines.append("")
        let metric = result?["metric"]?.stringValue
        if let ledgerProblem {
            lines.append("> **Warning:** \(ledgerProblem)")
            lines.append("")
        }
        var facts = ["- status: **\(statusName)**" + (run.error.map { " (\(oneLine($0)))" } ?? "")]
        facts.append("- directory: `\(directory)`")
        facts.append("- backend: \(run.backend)" + (metric.map { "; metric: \($0)" } ?? ""))
        facts.append("- started: \(Self.timestamp(run.started))" + (run.finished.map { "; finished: \(Self.timestamp($0))" } ?? "")
                     + "; sessions: \(run.sessions)")
        lines += facts
        lines.append("")
        lines.append("## Scores")
        lines.append("")
        let (baseline, best) = scores
        if baseline == nil && best == nil {
            lines.append("No scores yet.")
        } else {
            lines.append("| prompt | text | train | dev | test |")
            lines.append("|---|---|---:|---:|---:|")
            for (label, entry) in [("baseline", baseline), ("best", best)] {
                guard let entry else { continue }
                lines.append("| \(label) | \(cell(described(entry.prompt))) | \(Self.score(entry.scores.train)) | \(Self.score(entry.scores.dev)) | \(Self.score(entry.scores.test)) |")
            }
        }
        lines.append("")
        lines.append("## Stages")
        lines.append("")
        lines.append("| # | plugin | status | calls used / budget | candidates | seconds | best prompt |")
        lines.append("|---:|---|---|---:|---:|---:|---|")
        for stage in run.stages {
            let budget = stage.budgetCalls.map(String.init) ?? "unlimited"
            let bestPrompt = stage.bestPrompt.map { cell(described($0)) } ?? "—"
            lines.append("| \(stage.index + 1) | \(stage.plugin) | \(stage.status.rawValue)\(stage.error.map { ": " + cell(oneLine($0)) } ?? "") | \(stage.usedCalls) / \(budget) | \(candidateCounts[stage.index]) | \(String(format: "%.1f", stage.wallSeconds)) | \(bestPrompt) |")
        }
        let checked = run.stages.compactMap { stage in stage.selection.map { (stage.index, $0) } }
        if !checked.isEmpty {
            lines.append("")
            lines.append("Each stage's pick against the prompt it started from, both scored by the host on train+dev:")
            lines.append("")
            for (index, selection) in checked { lines.append("- stage \(index + 1): \(selection.sentence)") }
        }
        for stage in run.stages {
            lines.append("")
            let top = topCandidates[stage.index]
            lines.append("### Stage \(stage.index + 1) (\(stage.plugin)): top \(top.count) of \(candidateCounts[stage.index]) candidates by score")
            lines.append("")
            if candidateCounts[stage.index] == 0 {
                lines.append("No candidates scored.")
                continue
            }
            if top.isEmpty { continue }
            lines.append("| rank | score | split | examples | failed | prompt |")
            lines.append("|---:|---:|---|---:|---:|---|")
            for (rank, c) in top.enumerated() {
                lines.append("| \(rank + 1) | \(Self.score(c.score)) | \(c.split) | \(c.examples) | \(c.failed) | \(cell(quoted(c.promptText))) |")
            }
        }
        lines.append("")
        lines.append("## Backend calls")
        lines.append("")
        lines.append("| who | calls | cached calls | uncached calls | failures | items | cache hits | items computed | model calls | mean latency (ms) | tokens in / out | cost (USD) |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        var rows: [(String, BackendCallTotals)] = run.stages.map { ("stage \($0.index + 1)", stageCalls[$0.index]) }
        rows.append(("host scoring", hostCalls))
        rows.append(("**total**", allCalls))
        for (who, t) in rows {
            lines.append("| \(who) | \(t.calls) | \(t.cachedCalls) | \(t.calls - t.cachedCalls) | \(t.failures) | \(t.items) | \(t.cacheHits) | \(t.itemsComputed) | \(t.modelCalls) | \(String(format: "%.1f", t.meanLatencySeconds * 1000)) | \(t.promptTokens) / \(t.completionTokens) | \(String(format: "%.4f", t.costUSD)) |")
        }
        lines.append("")
        lines.append("A call is one evaluate request, one direct backend call or one host scoring of a split; a cached call had every item answered by the cache.")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The report as JSON: `run`, `scores`, `stages` (each with `top_candidates`) and `backend_calls`.
    public var json: JSONValue {
        var runObject: [String: JSONValue] = [
            "name": .string(run.name), "status": .string(statusName), "backend": .string(run.backend),
            "directory": .string(directory), "sessions": .number(Double(run.sessions)),
            "started": .string(Self.timestamp(run.started)), "wall_seconds": .number(run.wallSeconds),
        ]
        runObject["finished"] = run.finished.map { .string(Self.timestamp($0)) } ?? .null
        runObject["error"] = run.error.map { .string($0) } ?? .null
        runObject["metric"] = result?["metric"] ?? .null
        runObject["ledger_problem"] = ledgerProblem.map(JSONValue.string) ?? .null
        let stages: [JSONValue] = run.stages.map { stage in
            var o: [String: JSONValue] = [
                "index": .number(Double(stage.index)), "plugin": .string(stage.plugin), "status": .string(stage.status.rawValue),
                "used_calls": .number(Double(stage.usedCalls)), "evaluated_prompts": .number(Double(stage.evaluatedPrompts)),
                "attempts": .number(Double(stage.attempts)), "candidates": .number(Double(candidateCounts[stage.index])),
                "wall_seconds": .number(stage.wallSeconds), "backend_calls": stageCalls[stage.index].json,
                "top_candidates": .array(topCandidates[stage.index].map {
                    ["prompt": .string($0.promptText), "split": .string($0.split), "score": .number($0.score),
                     "examples": .number(Double($0.examples)), "failed": .number(Double($0.failed))]
                }),
            ]
            o["budget_calls"] = stage.budgetCalls.map { .number(Double($0)) } ?? .null
            o["best_prompt"] = stage.bestPrompt.map { .string($0.text) } ?? .null
            o["error"] = stage.error.map { .string($0) } ?? .null
            return .object(o)
        }
        return [
            "run": .object(runObject),
            "scores": ["baseline": baselineScores.map(Self.scoresJSON) ?? .null, "best": bestScores.map(Self.scoresJSON) ?? .null],
            "stages": .array(stages),
            "backend_calls": ["total": allCalls.json, "host_scoring": hostCalls.json],
        ]
    }

    private static func score(_ x: Double) -> String { String(format: "%.4f", x) }

    /// `{prompt, train, dev, test}` of a prompt and its scores (the report's and the export's `scores`).
    static func scoresJSON(_ entry: (prompt: PromptArtifact, scores: SplitScores)) -> JSONValue {
        ["prompt": .string(entry.prompt.text), "train": .number(entry.scores.train), "dev": .number(entry.scores.dev),
         "test": .number(entry.scores.test)]
    }

    /// `date` in ISO 8601 (UTC).
    static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }

    private func quoted(_ text: String) -> String { "\"" + text + "\"" }

    /// A prompt artifact's text, quoted, with how it is applied when that is more than its text.
    private func described(_ prompt: PromptArtifact) -> String {
        switch prompt.kind {
        case .text: return quoted(prompt.text)
        case .rendered: return quoted(prompt.text) + " (rendered per input by \(prompt.method ?? "?") \(prompt.methodVersion ?? ""))"
        case .embeddingHead: return quoted(prompt.text) + " (embedding head in \(prompt.head.map { $0.space.description } ?? "?"))"
        }
    }

    private func oneLine(_ text: String) -> String { text.replacingOccurrences(of: "\n", with: " ") }

    /// Text safe in a Markdown table cell.
    private func cell(_ text: String) -> String {
        oneLine(text).replacingOccurrences(of: "|", with: "\\|")
    }
}
