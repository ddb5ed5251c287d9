import Foundation
import HoneSDK

/// A run as its ledger records it: where its config came from, its status, its stages and
/// the scores of the baseline and best prompts once known.
public struct RecordedRun: Sendable {
    /// The pipeline's name.
    public var name: String
    /// The config JSON as given to `hone run` (nil when a program embedding Hone gave none).
    public var configJSON: String?
    /// The folder the config's relative paths resolve against (the config file's folder).
    public var baseDirectory: String
    /// Plugin paths given on the command line (`--plugin-path`).
    public var pluginPaths: [String]
    /// Whether the run used the persistent cache.
    public var persistentCache: Bool
    /// The backend's name.
    public var backend: String
    /// Where the run stands.
    public var status: RunStatus
    /// Why the run failed, when it did.
    public var error: String?
    /// How many times the run was started: 1, plus one per `hone resume`.
    public var sessions: Int
    /// When the run was first started.
    public var started: Date
    /// When it last finished (done, cancelled or failed); nil while running or after a kill.
    public var finished: Date?
    /// Seconds of the sessions that finished (a killed session's time is not counted).
    public var wallSeconds: Double
    /// Every stage of the pipeline, in order.
    public var stages: [RecordedStage]
    /// The task prompt's scores on train, dev and test, once computed.
    public var baseline: RecordedScores?
    /// The final best prompt's scores, once computed.
    public var best: RecordedScores?
}

/// A prompt and its scores on the three splits, as recorded.
public struct RecordedScores: Sendable {
    /// The prompt.
    public var prompt: PromptArtifact
    /// Its scores.
    public var scores: SplitScores
}
