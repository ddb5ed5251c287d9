import Foundation
import HoneSDK

/// Something that happened in a run: what ``PipelineRunner/onEvent`` receives and what
/// `events.jsonl` in the run directory records, one JSON object a line (docs/runs.md).
public enum RunEvent: Sendable {
    /// A session of the run started (`hone run`, or `hone resume` with `session` > 1).
    case runStarted(name: String, session: Int, backend: String, stages: [StagePlan])
    /// A prompt the host scored on train, dev and test: `which` is `baseline` or `best`.
    case scored(which: String, prompt: String, scores: SplitScores)
    /// A stage started (or a resumed stage started again, with the calls it used before).
    case stageStarted(stage: Int, plugin: String, budgetCalls: Int?, usedCalls: Int, seedPrompt: String)
    /// A stage's `evaluate` request scored a candidate prompt.
    case candidateScored(stage: Int, split: String, prompt: String, score: Double, examples: Int, usedCalls: Int)
    /// Where the running stage stands, after each evaluate request and each progress report of its plugin.
    case progress(StageProgress)
    /// A stage ended: `done`, `cancelled` (Ctrl-C; its best prompt so far stands) or `failed`.
    case stageEnded(stage: Int, plugin: String, status: StageStatus, bestPrompt: String?, usedCalls: Int, wallSeconds: Double, error: String?)
    /// The session ended: `done`, `cancelled` or `failed`; the test scores are there when the
    /// final scoring happened.
    case runFinished(status: RunStatus, baselineTest: Double?, bestTest: Double?, backendCalls: Int?, wallSeconds: Double, error: String?)

    /// A stage as planned when the run starts.
    public struct StagePlan: Sendable, Equatable {
        /// The plugin id.
        public var plugin: String
        /// The stage's budget, if it has one.
        public var budgetCalls: Int?

        /// Creates a stage plan.
        public init(plugin: String, budgetCalls: Int?) {
            self.plugin = plugin
            self.budgetCalls = budgetCalls
        }
    }

    /// The event's name, the `event` field of its line: `run_started`, `scored`,
    /// `stage_started`, `candidate_scored`, `progress`, `stage_ended` or `run_finished`.
    public var name: String {
        switch self {
        case .runStarted: return "run_started"
        case .scored: return "scored"
        case .stageStarted: return "stage_started"
        case .candidateScored: return "candidate_scored"
        case .progress: return "progress"
        case .stageEnded: return "stage_ended"
        case .runFinished: return "run_finished"
        }
    }

    /// The event's fields (without `event` and `time`), snake_case keys.
    public var fields: [String: JSONValue] {
        func optional(_ x: Double?) -> JSONValue { x.map(JSONValue.number) ?? .null }
        func optional(_ x: Int?) -> JSONValue { x.map { .number(Double($0)) } ?? .null }
        func optional(_ x: String?) -> JSONValue { x.map(JSONValue.string) ?? .null }
        switch self {
        case let .runStarted(name, session, backend, stages):
            return ["name": .string(name), "session": .number(Double(session)), "backend": .string(backend),
                    "stages": .array(stages.map { ["plugin": .string($0.plugin), "budget_calls": optional($0.budgetCalls)] })]
        case let .scored(which, prompt, scores):
            return ["which": .string(which), "prompt": .string(prompt), "train": .number(scores.train),
                    "dev": .number(scores.dev), "test": .number(scores.test)]
        case let .stageStarted(stage, plugin, budgetCalls, usedCalls, seedPrompt):
            return ["stage": .number(Double(stage)), "plugin": .string(plugin), "budget_calls": optional(budgetCalls),
                    "used_calls": .number(Double(usedCalls)), "seed_prompt": .string(seedPrompt)]
        case let .candidateScored(stage, split, prompt, score, examples, usedCalls):
            return ["stage": .number(Double(stage)), "split": .string(split), "prompt": .string(prompt), "score": .number(score),
                    "examples": .number(Double(examples)), "used_calls": .number(Double(usedCalls))]
        case let .progress(progress):
            return progress.json.objectValue ?? [:]
        case let .stageEnded(stage, plugin, status, bestPrompt, usedCalls, wallSeconds, error):
            return ["stage": .number(Double(stage)), "plugin": .string(plugin), "status": .string(status.rawValue),
                    "best_prompt": optional(bestPrompt), "used_calls": .number(Double(usedCalls)),
                    "wall_seconds": .number(wallSeconds), "error": optional(error)]
        case let .runFinished(status, baselineTest, bestTest, backendCalls, wallSeconds, error):
            return ["status": .string(status.rawValue), "baseline_test": optional(baselineTest), "best_test": optional(bestTest),
                    "backend_calls": optional(backendCalls), "wall_seconds": .number(wallSeconds), "error": optional(error)]
        }
    }

    /// The event as one `events.jsonl` line (no newline): `event`, `time` (Unix seconds) and its fields.
    public func line(time: Date) -> String {
        var o = fields
        o["event"] = .string(name)
        o["time"] = .number((time.timeIntervalSince1970 * 1000).rounded() / 1000)
        return JSONValue.object(o).serialized()
    }
}
