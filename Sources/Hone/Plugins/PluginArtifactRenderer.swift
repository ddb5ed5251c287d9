import CHoneABI
import Foundation
import HoneSDK

/// A `rendered` prompt artifact opened through the plugin that made it: for each new input, the
/// text that fills the template's `{prompt}` slot (ABI 1.1 extension `"hone.artifact.renderer/1"`).
///
/// `init` asks the plugin for the extension (``LoadedPlugin/extensionPointer(_:)``) and opens a
/// renderer for the artifact with a `hone_host` table built from `context`, whose
/// `backend_call` is budgeted, cached and recorded like a stage's and whose `evaluate` is
/// refused (a renderer sees inputs only). ``render(_:)`` may be called any number of times;
/// the renderer is closed when this object is released. Calls into the plugin run one at a
/// time on a dedicated thread, as for optimizer stages.
///
/// `@unchecked Sendable`: it owns the plugin's renderer handle and function table (C pointers),
/// immutable after `init`; every call into the renderer, including `close`, holds `lock`.
final class PluginArtifactRenderer: @unchecked Sendable {
    /// The plugin rendering the artifact.
    let plugin: LoadedPlugin
    /// The artifact rendered.
    let artifact: PromptArtifact

    private let functions: UnsafePointer<hone_artifact_renderer>
    private let host: HostTable
    /// Kept alive for the host table, which points at it unretained.
    private let context: StageContext
    private let handle: UnsafeMutableRawPointer
    private let lock = NSLock()

    /// Opens a renderer of `plugin` for `artifact`.
    ///
    /// Throws ``ArtifactRendererError`` (naming the plugin id) when the plugin offers no
    /// renderer, the artifact names another plugin, or the renderer refuses the artifact.
    init(plugin: LoadedPlugin, artifact: PromptArtifact, context: StageContext) throws {
        let id = plugin.info.id
        if let method = artifact.method, method != id {
            throw ArtifactRendererError(pluginID: id, reason: .wrongPlugin,
                                        message: "the artifact was made by \(method), not by \(id); open it with the plugin its \"method\" names")
        }
        guard let raw = plugin.extensionPointer(HONE_EXT_ARTIFACT_RENDERER) else {
            throw ArtifactRendererError(
                pluginID: id, reason: .noRenderer,
                message: "the plugin (\(plugin.info.file)) offers no \(HONE_EXT_ARTIFACT_RENDERER) extension, so it cannot render its artifacts; a plugin returning \"rendered\" artifacts must answer get_extension(descriptor, HONE_EXT_ARTIFACT_RENDERER) with a hone_artifact_renderer table")
        }
        let functions = raw.assumingMemoryBound(to: hone_artifact_renderer.self)
        let size = functions.pointee.struct_size
        guard ABILayout.covers(size, \hone_artifact_renderer.close), let open = functions.pointee.open,
              functions.pointee.render != nil, functions.pointee.close != nil else {
            throw ArtifactRendererError(
                pluginID: id, reason: .noRenderer,
                message: "its hone_artifact_renderer table is malformed (struct_size \(size), at least \(ABILayout.end(of: \hone_artifact_renderer.close)) needed; open, render and close must all be set)")
        }
        let artifactText = try Wire.encode(artifact)
        let host = HostTable(context: context, role: .renderer)
        let opened = PluginOptimizer.onDedicatedThread { () -> (hone_status, UnsafeMutableRawPointer?, String) in
            let error = SinkBuffer()
            var handle: UnsafeMutableRawPointer?
            let status = error.withSink { sink in open(plugin.descriptor, host.table, artifactText, &handle, sink) }
            return (status, handle, error.string)
        }
        guard opened.0 == HONE_OK, let handle = opened.1 else {
            throw ArtifactRendererError(
                pluginID: id, reason: .openFailed,
                message: "open refused the artifact (\(String(cString: hone_status_name(opened.0)))): \(opened.2)")
        }
        self.plugin = plugin
        self.artifact = artifact
        self.functions = functions
        self.host = host
        self.context = context
        self.handle = handle
    }

    deinit {
        let close = functions.pointee.close!
        let handle = self.handle
        let host = self.host
        lock.withLock {
            PluginOptimizer.onDedicatedThread { withExtendedLifetime(host) { close(handle) } }
        }
    }

    /// The `{prompt}` text of each input, in order: exactly one per input.
    ///
    /// Throws ``ArtifactRendererError`` when the renderer fails or answers with anything but
    /// `{"prompts": [string, ...]}` of `inputs.count` texts.
    func render(_ inputs: [String]) throws -> [String] {
        let id = plugin.info.id
        if inputs.isEmpty { return [] }
        let request: JSONValue = ["inputs": .array(inputs.map { .string($0) })]
        let requestText = request.serialized()
        let render = functions.pointee.render!
        let handle = self.handle
        let (status, answer) = lock.withLock {
            PluginOptimizer.onDedicatedThread { () -> (hone_status, String) in
                let result = SinkBuffer()
                let status = result.withSink { sink in render(handle, requestText, sink) }
                return (status, result.string)
            }
        }
        guard status == HONE_OK else {
            throw ArtifactRendererError(pluginID: id, reason: .renderFailed,
                                        message: "render failed (\(String(cString: hone_status_name(status)))): \(answer)")
        }
        let prompts: [String]
        do {
            guard let items = try JSONValue(parsing: answer)["prompts"]?.arrayValue else { throw PluginError.invalidArgument("no \"prompts\" array") }
            prompts = try items.map { item in
                guard let text = item.stringValue else { throw PluginError.invalidArgument("\(item.serialized()) is not a string") }
                return text
            }
        } catch {
            throw ArtifactRendererError(pluginID: id, reason: .malformedAnswer,
                                        message: "render answered \(answer.prefix(300)), not {\"prompts\": [string, ...]} (\(error))")
        }
        guard prompts.count == inputs.count else {
            throw ArtifactRendererError(pluginID: id, reason: .malformedAnswer,
                                        message: "render returned \(prompts.count) prompts for \(inputs.count) inputs; it must return exactly one per input, in order")
        }
        return prompts
    }
}
