import Foundation
import HoneSDK

/// One stage as the ledger records it.
public struct RecordedStage: Sendable {
    /// The stage's position in the pipeline (0-based).
    public var index: Int
    /// The plugin id.
    public var plugin: String
    /// Where the stage stands.
    public var status: StageStatus
    /// The stage's budget, if it has one.
    public var budgetCalls: Int?
    /// Calls charged to the stage so far, over every attempt.
    public var usedCalls: Int
    /// Candidate prompts scored so far, over every attempt.
    public var evaluatedPrompts: Int
    /// Times the stage was started.
    public var attempts: Int
    /// The prompt the stage started from, once started.
    public var seedPrompt: PromptArtifact?
    /// The prompt it returned (set when done or cancelled).
    public var bestPrompt: PromptArtifact?
    /// The plugin's summary, when it returned one.
    public var summary: JSONValue?
    /// The plugin's learning curve, when it returned one.
    public var curve: [JSONValue]?
    /// Why the stage failed, when it did.
    public var error: String?
    /// Seconds spent in the stage's finished attempts.
    public var wallSeconds: Double
    /// The host's check of the stage's pick against its start, once made.
    public var selection: StageSelection? = nil

    /// The stage as `result.json` reports it (needs the seed and best prompts).
    var report: StageReport? {
        guard let seedPrompt, let bestPrompt else { return nil }
        return StageReport(
            plugin: plugin, seedPrompt: seedPrompt, bestPrompt: bestPrompt, budgetCalls: budgetCalls,
            usedCalls: usedCalls, evaluatedPrompts: evaluatedPrompts, summary: summary, curve: curve,
            wallSeconds: wallSeconds, selection: selection)
    }
}
