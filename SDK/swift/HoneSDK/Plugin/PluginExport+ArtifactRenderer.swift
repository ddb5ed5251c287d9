import CHoneABI

/// The C table of the `"hone.artifact.renderer/1"` extension for Swift plugins, bridging
/// `open`, `render` and `close` to the ``HoneArtifactRenderer`` type the plugin names.
extension PluginExport {
    /// The renderer opened for one artifact, handed to the host as `void *`.
    private final class RendererBox {
        let renderer: any HoneArtifactRenderer
        let host: HostConnection
        init(renderer: any HoneArtifactRenderer, host: HostConnection) {
            self.renderer = renderer
            self.host = host
        }
    }

    /// One static table shared by every optimizer of the library: `open` finds the renderer type
    /// from the descriptor it is given. Written once (a static `let` is initialized exactly once,
    /// thread-safely) and only read afterwards, by the host through C.
    nonisolated(unsafe) static let rendererTable: UnsafeMutablePointer<hone_artifact_renderer> = {
        let table = UnsafeMutablePointer<hone_artifact_renderer>.allocate(capacity: 1)
        table.initialize(to: hone_artifact_renderer(
            struct_size: UInt32(MemoryLayout<hone_artifact_renderer>.size),
            open: { descriptor, host, artifact, outRenderer, error in
                PluginExport.openRenderer(descriptor, host, artifact, outRenderer, error)
            },
            render: { renderer, request, result in
                PluginExport.render(renderer, request, result)
            },
            close: { renderer in
                guard let renderer else { return }
                Unmanaged<RendererBox>.fromOpaque(renderer).release()
            }))
        return table
    }()

    private static func openRenderer(
        _ descriptor: UnsafePointer<hone_plugin_descriptor>?, _ host: UnsafePointer<hone_host>?,
        _ artifact: UnsafePointer<CChar>?, _ outRenderer: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
        _ errorSink: UnsafeMutablePointer<hone_sink>?
    ) -> hone_status {
        instantiate("open", descriptor, host, outRenderer, errorSink) { type, connection in
            guard let rendererType = type.artifactRenderer else {
                throw PluginError.unsupported("\(type.descriptor.id) offers no artifact renderer")
            }
            guard let artifact else { throw PluginError.invalidArgument("open called with a NULL artifact") }
            let decoded = try Wire.decode(PromptArtifact.self, from: String(cString: artifact))
            return RendererBox(renderer: try rendererType.init(artifact: decoded, host: connection), host: connection)
        }
    }

    private static func render(
        _ renderer: UnsafeMutableRawPointer?, _ request: UnsafePointer<CChar>?, _ result: UnsafeMutablePointer<hone_sink>?
    ) -> hone_status {
        guard let renderer, let request else {
            result?.send("render called with a NULL renderer or request")
            return hone_status(HONE_ERR_INVALID_ARGUMENT)
        }
        let box = Unmanaged<RendererBox>.fromOpaque(renderer).takeUnretainedValue()
        do {
            let document = try JSONValue(parsing: String(cString: request))
            guard let items = document["inputs"]?.arrayValue else {
                throw PluginError.invalidArgument("render request: expected {\"inputs\": [string, ...]}")
            }
            let inputs = try items.enumerated().map { i, item -> String in
                guard let text = item.stringValue else {
                    throw PluginError.invalidArgument("render request: inputs[\(i)] is \(item.serialized()), expected a string")
                }
                return text
            }
            let prompts = try box.renderer.render(inputs)
            let answer: JSONValue = ["prompts": .array(prompts.map { .string($0) })]
            result?.send(answer.serialized())
            return hone_status(HONE_OK)
        } catch {
            return status(of: error, into: result)
        }
    }
}
