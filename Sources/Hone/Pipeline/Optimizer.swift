import HoneSDK

/// An optimizer stage as the host runs it. Loaded plugins conform through ``PluginOptimizer``;
/// a Swift program embedding Hone may also conform its own types and run them in-process.
public protocol Optimizer: AnyObject, Sendable {
    /// The optimizer's id, e.g. "org.hone.random-search".
    var id: String { get }
    /// Backend capabilities it needs; checked before the run starts.
    var requiredCapabilities: [BackendCapability] { get }
    /// Runs the stage. Blocking; the host calls it from a dedicated thread.
    func optimize(_ request: RunRequest, context: StageContext) throws -> RunResult
}
