import Foundation
import HoneSDK
import Synchronization

/// Opens the renderers of `rendered` artifacts from the plugins on a search path: the plugin
/// whose id is the artifact's `method`, at the artifact's `method_version`, through its
/// `hone.artifact.renderer/1` extension.
///
/// The search path is scanned once, on the first artifact that needs it. An artifact whose
/// plugin is missing, or present at another version, is refused with both named: a policy
/// trained by one version need not mean the same to another.
public final class PluginRendererSource: ArtifactRendererSource, Sendable {
    /// Where plugins are searched.
    public let searchPath: PluginSearchPath
    /// The registry of `searchPath`, made on the first artifact that needs it.
    private let registry = Mutex<PluginRegistry?>(nil)

    /// Creates a source over `searchPath`.
    public init(searchPath: PluginSearchPath) {
        self.searchPath = searchPath
    }

    /// The loaded plugin that renders `artifact`, checked against its id and version.
    public func plugin(for artifact: PromptArtifact) throws -> LoadedPlugin {
        guard let id = artifact.method else {
            throw ArtifactError("the rendered artifact names no plugin (\"method\"); it cannot be applied")
        }
        let registry = self.registry.withLock { registry -> PluginRegistry in
            if let r = registry { return r }
            let r = PluginRegistry(searchPath: searchPath)
            registry = r
            return r
        }
        let plugin: LoadedPlugin
        do { plugin = try registry.plugin(id: id) } catch let error as PipelineError {
            throw ArtifactError("the artifact was made by plugin \(id)\(artifact.methodVersion.map { " \($0)" } ?? ""), which is needed to render it: \(error.message)")
        }
        if let wanted = artifact.methodVersion, wanted != plugin.info.version {
            throw ArtifactError("the artifact was made by \(id) \(wanted), but the plugin search path has \(id) \(plugin.info.version) (\(plugin.info.file)); install \(id) \(wanted) to apply it, or rerun the stage with \(plugin.info.version)")
        }
        return plugin
    }

    public func openRenderer(for artifact: PromptArtifact, context: StageContext) throws -> any ArtifactRendering {
        let plugin = try plugin(for: artifact)
        do {
            return try PluginArtifactRenderer(plugin: plugin, artifact: artifact, context: context)
        } catch let error as ArtifactRendererError {
            throw ArtifactError("\(error)")
        }
    }
}

extension PluginArtifactRenderer: ArtifactRendering {}
