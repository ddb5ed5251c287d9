import Foundation

/// Where the host looks for plugin libraries, in order of precedence.
///
/// 1. `--plugin-path` directories given on the command line;
/// 2. the pipeline config's `plugin_paths`;
/// 3. `HONE_PLUGIN_PATH` (colon-separated);
/// 4. the built-in plugins next to the `hone` executable: files named `libHonePlugin*.so` in its
///    directory, and every `*.so` in `<executable dir>/hone-plugins/`.
///
/// A directory contributes its `*.so` files; a path naming a file contributes that file.
public struct PluginSearchPath: Sendable, Equatable {
    /// Directories or files, in order.
    public var entries: [String]
    /// Directories holding built-ins, searched for `libHonePlugin*.so` only.
    public var builtInDirectories: [String]

    /// Creates a search path.
    public init(entries: [String], builtInDirectories: [String] = []) {
        self.entries = entries
        self.builtInDirectories = builtInDirectories
    }

    /// The standard search path for this process.
    public static func standard(
        commandLine: [String] = [], config: [String] = [],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executableDirectory: String? = PluginSearchPath.executableDirectory
    ) -> PluginSearchPath {
        var entries = commandLine + config
        if let env = environment["HONE_PLUGIN_PATH"] {
            entries += env.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        }
        var builtIns: [String] = []
        if let dir = executableDirectory {
            entries.append(dir + "/hone-plugins")
            builtIns.append(dir)
        }
        return PluginSearchPath(entries: entries, builtInDirectories: builtIns)
    }

    /// The directory of the running executable, resolved through symlinks.
    public static var executableDirectory: String? {
        guard let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            return Bundle.main.executableURL?.deletingLastPathComponent().path
        }
        return (path as NSString).deletingLastPathComponent
    }

    /// The library files to try, in order, without duplicates (by resolved path).
    public func libraryFiles() -> [String] {
        let fm = FileManager.default
        var seen = Set<String>()
        var files: [String] = []
        func add(_ file: String) {
            let resolved = (file as NSString).resolvingSymlinksInPath
            if seen.insert(resolved).inserted { files.append(file) }
        }
        for entry in entries {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: entry, isDirectory: &isDir) else { continue }
            if isDir.boolValue {
                let names = ((try? fm.contentsOfDirectory(atPath: entry)) ?? []).filter { $0.hasSuffix(".so") }.sorted()
                names.forEach { add(entry + "/" + $0) }
            } else {
                add(entry)
            }
        }
        for dir in builtInDirectories {
            let names = ((try? fm.contentsOfDirectory(atPath: dir)) ?? [])
                .filter { $0.hasPrefix("libHonePlugin") && $0.hasSuffix(".so") }.sorted()
            names.forEach { add(dir + "/" + $0) }
        }
        return files
    }
}
