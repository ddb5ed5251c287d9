import HoneSDK

/// Scores of one prompt on the three splits.
public struct SplitScores: Sendable, Equatable {
    /// Score on train.
    public var train: Double
    /// Score on dev.
    public var dev: Double
    /// Score on the held-out test split (never seen by any optimizer).
    public var test: Double

    var json: JSONValue { ["train": .number(train), "dev": .number(dev), "test": .number(test)] }
}

/// What one stage did.
public struct StageReport: Sendable {
    /// The plugin id.
    public var plugin: String
    /// The prompt the stage started from.
    public var seedPrompt: PromptArtifact
    /// The prompt the stage returned (its pick).
    public var bestPrompt: PromptArtifact
    /// The budget limit, if any.
    public var budgetCalls: Int?
    /// Calls the stage used.
    public var usedCalls: Int
    /// Candidate prompts it evaluated.
    public var evaluatedPrompts: Int
    /// The plugin's summary.
    public var summary: JSONValue?
    /// The plugin's learning curve.
    public var curve: [JSONValue]?
    /// Seconds the stage took.
    public var wallSeconds: Double
    /// The host's check of the stage's pick against its starting prompt (nil when the stage
    /// returned its starting prompt, or the run predates the check).
    public var selection: StageSelection?

    /// The prompt that went on from the stage: its pick, unless the host kept its starting
    /// prompt because the pick scored lower on train+dev (see ``selection``).
    public var outputPrompt: PromptArtifact { selection?.kept ?? bestPrompt }

    var json: JSONValue {
        var o: [String: JSONValue] = [
            "plugin": .string(plugin),
            "seed_prompt": (try? JSONValue(parsing: Wire.encode(seedPrompt.stored))) ?? .null,
            "best_prompt": (try? JSONValue(parsing: Wire.encode(bestPrompt.stored))) ?? .null,
            "used_calls": .number(Double(usedCalls)),
            "evaluated_prompts": .number(Double(evaluatedPrompts)),
            "wall_seconds": .number(wallSeconds),
        ]
        o["budget_calls"] = budgetCalls.map { .number(Double($0)) } ?? .null
        if let summary { o["summary"] = summary }
        if let curve { o["curve"] = .array(curve) }
        if let selection {
            o["selection"] = selection.json
            o["output_prompt"] = (try? JSONValue(parsing: Wire.encode(outputPrompt.stored))) ?? .null
        }
        return .object(o)
    }
}

/// The outcome of a pipeline run, written as `result.json`.
public struct RunReport: Sendable {
    /// The pipeline's name.
    public var name: String
    /// The metric.
    public var metric: String
    /// The task's own prompt.
    public var baselinePrompt: PromptArtifact
    /// The final best prompt.
    public var bestPrompt: PromptArtifact
    /// Baseline scores.
    public var baseline: SplitScores
    /// Best-prompt scores.
    public var best: SplitScores
    /// Split sizes.
    public var splitSizes: (train: Int, dev: Int, test: Int)
    /// Per-stage reports.
    public var stages: [StageReport]
    /// Budget units used: every (prompt, example) scoring, by stages and by the host's own
    /// baseline and final evaluations, whether the cache served it or not.
    public var backendCalls: Int
    /// Backend work actually done.
    public var usage: BackendUsage
    /// Seconds from start to end.
    public var wallSeconds: Double
    /// The backend's name.
    public var backendName: String
    /// Classification or generation.
    public var taskType: TaskType = .classification
    /// How the run ended: `done`, or `cancelled` when it was stopped
    /// (``PipelineRunner/cancel(_:)``) and reports the best prompt found so far. A failed run
    /// throws instead of reporting.
    public var status: RunStatus = .done

    /// The report as JSON (the `result.json` format; see docs/config.md).
    public var json: JSONValue {
        guard case .object(var members) = core, case .object(let counters) = usage.json else { return core }
        members.merge(counters) { current, _ in current }
        return .object(members)
    }

    private var core: JSONValue {
        [
            "name": .string(name),
            "status": .string(status.rawValue),
            "metric": .string(metric),
            "backend": .string(backendName),
            "task_type": .string(taskType.rawValue),
            "baseline_prompt": (try? JSONValue(parsing: Wire.encode(baselinePrompt.stored))) ?? .null,
            "best_prompt_text": .string(bestPrompt.text),
            "best_prompt": (try? JSONValue(parsing: Wire.encode(bestPrompt.stored))) ?? .null,
            "scores": ["baseline": baseline.json, "best": best.json],
            "split_sizes": ["train": .number(Double(splitSizes.train)), "dev": .number(Double(splitSizes.dev)), "test": .number(Double(splitSizes.test))],
            "stages": .array(stages.map(\.json)),
            "backend_calls": .number(Double(backendCalls)),
            "wall_seconds": .number(wallSeconds),
        ]
    }
}
