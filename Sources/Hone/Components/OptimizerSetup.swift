import HoneSDK

/// What a program's optimizer factory gets (``HoneComponents/register(optimizer:_:)``): the
/// stage it runs and that stage's `config` object.
public struct OptimizerSetup: Sendable {
    /// The stage's position in the pipeline (0-based).
    public var stageIndex: Int
    /// The stage as configured (plugin id, budget, `keep_if_worse`).
    public var stage: StageConfig
    /// The stage's `config` object (`{}` when the stage has none); the factory validates it.
    public var config: JSONValue { stage.config }
    /// The JSON path of the stage's `config`, for errors (e.g. `$.stages[0].config`).
    public var configPath: String { "\(stage.path).config" }

    /// Creates a setup.
    public init(stageIndex: Int, stage: StageConfig) {
        self.stageIndex = stageIndex
        self.stage = stage
    }
}
