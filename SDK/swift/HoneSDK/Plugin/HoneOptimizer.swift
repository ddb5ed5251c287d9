/// An optimizer written in Swift. Conform to it, then export the library with
/// ``PluginExport/library(_:)`` from a `@_cdecl("hone_plugin_entry_v1")` function:
///
/// ```swift
/// @_cdecl("hone_plugin_entry_v1")
/// public func honePluginEntry() -> UnsafeRawPointer { PluginExport.library(MyOptimizer.self) }
/// ```
///
/// The SDK owns the C boundary: it decodes JSON, turns thrown errors into status codes and
/// messages, and never lets a Swift error or type cross into the host.
///
/// > Warning: The host serializes calls on one instance but may call from any thread; do not
/// > assume the main thread. Poll ``HostConnection/isCancelled`` in long loops.
public protocol HoneOptimizer: AnyObject {
    /// The plugin's descriptor (id, version, schema, capabilities).
    static var descriptor: OptimizerDescriptor { get }

    /// Creates an instance for one stage. `config` has passed the descriptor's schema.
    init(config: JSONValue, host: HostConnection) throws

    /// Optimizes and returns the best prompt found. When the budget runs out or the run is
    /// cancelled, return the best prompt so far rather than throwing.
    func run(_ request: RunRequest) throws -> RunResult

    /// The renderer of the `rendered` artifacts this optimizer returns, or `nil` (the default)
    /// when its artifacts are plain text. ``PluginExport`` offers the extension
    /// `"hone.artifact.renderer/1"` for this plugin exactly when it is set (ABI 1.1).
    static var artifactRenderer: (any HoneArtifactRenderer.Type)? { get }
}

extension HoneOptimizer {
    /// No renderer: the optimizer's artifacts are plain text.
    public static var artifactRenderer: (any HoneArtifactRenderer.Type)? { nil }
}
