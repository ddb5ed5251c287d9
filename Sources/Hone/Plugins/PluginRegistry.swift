import Synchronization

/// The plugins found on a search path, and the libraries that were refused.
///
/// Discovery loads every library on the path; a refused library is recorded in ``refusals``
/// and never stops the others from loading. The first library to claim an id wins; a later
/// one with the same id is refused with both files named.
public final class PluginRegistry: Sendable {
    /// The plugins and refusals found so far.
    private struct Contents {
        var plugins: [LoadedPlugin] = []
        var refusals: [PluginLoadError] = []
    }
    private let contents = Mutex(Contents())

    /// Loaded plugins by id, in discovery order.
    public var plugins: [LoadedPlugin] { contents.withLock { $0.plugins } }
    /// Libraries that were refused, with the reason.
    public var refusals: [PluginLoadError] { contents.withLock { $0.refusals } }

    /// Discovers plugins on `searchPath`.
    public init(searchPath: PluginSearchPath) {
        for file in searchPath.libraryFiles() { add(file: file) }
    }

    /// Loads one library file into the registry; refusals are recorded, not thrown.
    public func add(file: String) {
        if let problem = ELFFileCheck.problem(file) {
            refuse(PluginLoadError(file: file, reason: .notASharedLibrary, message: "not loadable: \(problem)"))
            return
        }
        let found: [LoadedPlugin]
        do {
            found = try PluginLoader.load(file: file)
        } catch let error as PluginLoadError {
            refuse(error)
            return
        } catch {
            refuse(PluginLoadError(file: file, reason: .invalidDescriptor, message: "\(error)"))
            return
        }
        contents.withLock { contents in
            for plugin in found {
                if let existing = contents.plugins.first(where: { $0.info.id == plugin.info.id }) {
                    contents.refusals.append(PluginLoadError(
                        file: file, reason: .duplicateID,
                        message: "plugin id \(plugin.info.id) is already provided by \(existing.info.file); remove one of the two files from the plugin search path or give one plugin another id"))
                    continue
                }
                contents.plugins.append(plugin)
            }
        }
    }

    private func refuse(_ error: PluginLoadError) {
        contents.withLock { $0.refusals.append(error) }
    }

    /// The plugin with `id`, or an error listing what is available and what was refused.
    public func plugin(id: String) throws -> LoadedPlugin {
        let (plugins, refusals) = contents.withLock { ($0.plugins, $0.refusals) }
        if let p = plugins.first(where: { $0.info.id == id }) { return p }
        var message = "no plugin with id \(id) on the plugin search path"
        message += plugins.isEmpty ? "; no plugins were found" : "; available: \(plugins.map(\.info.id).joined(separator: ", "))"
        if !refusals.isEmpty {
            message += "; refused: " + refusals.map(\.description).joined(separator: "; ")
        }
        message += ". Add the plugin's directory to the plugin search path (the config's plugin_paths, HONE_PLUGIN_PATH, or PluginSearchPath's directories)."
        throw PipelineError(message, remedy: .addPluginDirectory(pluginID: id))
    }
}
