/// Renders a `rendered` prompt artifact for new inputs: the Swift side of the ABI 1.1 extension
/// `"hone.artifact.renderer/1"` (`hone_artifact_renderer` in `hone.h`).
///
/// An optimizer whose best prompt is not one text but a method that writes a prompt for each
/// input (a policy, a hint generator) returns an artifact of kind `rendered` and names a
/// renderer type in ``HoneOptimizer/artifactRenderer``. The host then opens one renderer per
/// artifact (at evaluation, `hone eval --artifact`, `hone export`, `hone apply`) and asks it for
/// the `{prompt}` text of each input. ``PluginExport`` answers the extension for exactly the
/// optimizers that name a renderer.
///
/// ```swift
/// final class HintRenderer: HoneArtifactRenderer {
///     private let weights: [Double]
///     init(artifact: PromptArtifact, host: HostConnection) throws {
///         guard let w = artifact.data?["weights"]?.arrayValue?.compactMap(\.doubleValue) else {
///             throw PluginError.invalidArgument("artifact.data.weights: expected an array of numbers")
///         }
///         weights = w
///     }
///     func render(_ inputs: [String]) throws -> [String] { inputs.map { hint(for: $0) } }
/// }
/// ```
///
/// > Warning: A renderer sees inputs only, never labels or references: the host table it gets
/// > refuses `evaluate`. Its ``HostConnection/backend(_:)`` calls are budgeted, cached and
/// > recorded like a stage's. The host serializes calls on one renderer, from any thread.
public protocol HoneArtifactRenderer: AnyObject {
    /// Opens a renderer for `artifact`, the whole artifact object the optimizer's `run` returned.
    /// Throw ``PluginError/invalidArgument(_:)`` when its `data` is not what this method wrote.
    init(artifact: PromptArtifact, host: HostConnection) throws

    /// Returns exactly one `{prompt}` text per input, in the order of `inputs`.
    func render(_ inputs: [String]) throws -> [String]
}
