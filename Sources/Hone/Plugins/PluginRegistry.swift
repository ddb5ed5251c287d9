/// The plugins found on a search path, and the libraries that were refused.
///
/// Discovery loads every library on the path; a refused library is recorded in ``refusals``
/// and never stops the others from loading. The first library to claim an id wins; a later
/// one with the same id is refused with both files named.
public final class PluginRegistry: @unchecked Sendable {
    /// Loaded plugins by id, in discovery order.
    public private(set) var plugins: [LoadedPlugin] = []
    /// Libraries that were refused, with the reason.
    public private(set) var refusals: [PluginLoadError] = []

    /// Discovers plugins on `searchPath`.
    public init(searchPath: PluginSearchPath) {
        for file in searchPath.libraryFiles() { add(file: file) }
    }

    /// Loads one library file into the registry; refusals are recorded, not thrown.
    public func add(file: String) {
        if let problem = ELFFileCheck.problem(file) {
            refusals.append(PluginLoadError(file: file, reason: .notASharedLibrary, message: "not loadable: \(problem)"))
            return
        }
        do {
            let found = try PluginLoader.load(file: file)
            for plugin in found {
                if let existing = plugins.first(where: { $0.info.id == plugin.info.id }) {
                    refusals.append(PluginLoadError(
                        file: file, reason: .duplicateID,
                        message: "plugin id \(plugin.info.id) is already provided by \(existing.info.file); remove one of the two files from the plugin search path or give one plugin another id"))
                    continue
                }
                plugins.append(plugin)
            }
        } catch let error as PluginLoadError {
            refusals.append(error)
        } catch {
            refusals.append(PluginLoadError(file: file, reason: .invalidDescriptor, message: "\(error)"))
        }
    }

    /// The plugin with `id`, or an error listing what is available and what was refused.
    public func plugin(id: String) throws -> LoadedPlugin {
        if let p = plugins.first(where: { $0.info.id == id }) { return p }
        var message = "no plugin with id \(id) on the plugin search path"
        message += plugins.isEmpty ? "; no plugins were found" : "; available: \(plugins.map(\.info.id).joined(separator: ", "))"
        if !refusals.isEmpty {
            message += "; refused: " + refusals.map(\.description).joined(separator: "; ")
        }
        message += ". Add the plugin's directory with --plugin-path, the config's plugin_paths or HONE_PLUGIN_PATH."
        throw PipelineError(message)
    }
}
