import Foundation
import Logging

/// Where a plugin stage's `create`, `run` and `destroy` execute.
///
/// In a process of its own (``process(_:)``), a plugin that crashes, calls `exit` or hangs fails
/// its stage with a ``PluginProcessError`` instead of taking the host down; in-process
/// (``inProcess``) it shares the host's address space and costs nothing extra per call.
/// Discovery (`dlopen`, the entry function and the descriptors) always happens in the host.
public enum PluginIsolation: Sendable, Equatable {
    /// The plugin runs on a thread of the host process.
    case inProcess
    /// The plugin runs in a `hone-plugin-host` process, with these limits.
    case process(PluginProcessSettings)

    /// The isolation of a stage of `plugin` as the pipeline config asks for it: the stage's
    /// `isolation` when given; otherwise in-process for the built-ins shipped with Hone (the
    /// `libHonePlugin*.so` files next to the executable) and a process of its own for every
    /// other plugin. When a process is asked for explicitly and no `hone-plugin-host` can be
    /// found, a ``ConfigError`` at `$.stages[i].isolation` says where it was looked for; when it
    /// is only the default, the stage runs in-process with a warning.
    public static func forStage(
        _ stage: StageConfig, plugin: LoadedPlugin, searchPath: PluginSearchPath,
        hostExecutable: String? = PluginHostExecutable.locate(), logger: Logger
    ) throws -> PluginIsolation {
        let explicit = stage.isolation
        if explicit == .inProcess { return .inProcess }
        if explicit == nil && isBuiltIn(plugin, searchPath: searchPath) { return .inProcess }
        guard let hostExecutable else {
            let looked = PluginHostExecutable.placesLooked().joined(separator: ", ")
            if explicit == .process {
                throw ConfigError(path: "\(stage.path).isolation", message: "\"process\" needs the hone-plugin-host executable, which was not found (looked for \(looked)); install it next to hone or set HONE_PLUGIN_HOST to its path, or set \"isolation\": \"in-process\"")
            }
            logger.warning("stage \(stage.plugin) runs in-process, unprotected from crashes: hone-plugin-host was not found (looked for \(looked)); install it next to hone or set HONE_PLUGIN_HOST")
            return .inProcess
        }
        return .process(PluginProcessSettings(executable: hostExecutable, limits: stage.processLimits))
    }

    /// Whether `plugin` is one of the built-ins: a `libHonePlugin*.so` in a built-in directory
    /// of `searchPath` (next to the executable).
    public static func isBuiltIn(_ plugin: LoadedPlugin, searchPath: PluginSearchPath) -> Bool {
        let file = URL(fileURLWithPath: plugin.info.file).resolvingSymlinksInPath()
        let directory = file.deletingLastPathComponent().path
        return file.lastPathComponent.hasPrefix("libHonePlugin")
            && searchPath.builtInDirectories.contains { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path == directory }
    }
}

/// How a stage's plugin process is started and watched.
public struct PluginProcessSettings: Sendable, Equatable {
    /// The `hone-plugin-host` executable.
    public var executable: String
    /// The limits of the process.
    public var limits: PluginProcessLimits

    /// Creates settings for `executable` with `limits`.
    public init(executable: String, limits: PluginProcessLimits = PluginProcessLimits()) {
        self.executable = executable
        self.limits = limits
    }
}

/// The limits of a plugin process (a stage's `process_limits`).
public struct PluginProcessLimits: Sendable, Equatable {
    /// Seconds the plugin may go without any message (a call, a log line, a progress report)
    /// while `hone` is not serving one of its calls; past it the process is killed. Default 600.
    public var timeoutSeconds: Double
    /// The process's address-space limit (`RLIMIT_AS`) in MiB; nil for none. Default 16384.
    public var memoryMB: Int?
    /// The process's CPU-time limit (`RLIMIT_CPU`) in seconds; nil (the default) for none.
    public var cpuSeconds: Int?

    /// The default timeout, seconds.
    public static let defaultTimeoutSeconds = 600.0
    /// The default address-space limit, MiB.
    public static let defaultMemoryMB = 16384

    /// Creates limits; the defaults are those of a stage that sets none.
    public init(timeoutSeconds: Double = PluginProcessLimits.defaultTimeoutSeconds, memoryMB: Int? = PluginProcessLimits.defaultMemoryMB, cpuSeconds: Int? = nil) {
        self.timeoutSeconds = timeoutSeconds
        self.memoryMB = memoryMB
        self.cpuSeconds = cpuSeconds
    }

    /// Reads a stage's `process_limits` object: `timeout_seconds` (0.1 to 604800),
    /// `memory_mb` (64 to 16777216, or 0 for none) and `cpu_seconds` (1 to 31536000, or 0 for
    /// none).
    init(_ o: ConfigObject) throws {
        timeoutSeconds = try o.optionalDouble("timeout_seconds", in: 0.1...604_800) ?? PluginProcessLimits.defaultTimeoutSeconds
        let memory = try o.optionalInt("memory_mb", in: 0...16_777_216) ?? PluginProcessLimits.defaultMemoryMB
        if memory > 0 && memory < 64 {
            throw ConfigError(path: o.path(of: "memory_mb"), message: "\(memory) MiB is too little for any process to start; give at least 64, or 0 for no limit")
        }
        memoryMB = memory == 0 ? nil : memory
        let cpu = try o.optionalInt("cpu_seconds", in: 0...31_536_000) ?? 0
        cpuSeconds = cpu == 0 ? nil : cpu
        try o.finish()
    }
}

/// Finds the `hone-plugin-host` executable.
public enum PluginHostExecutable {
    /// The file name of the executable.
    public static let name = "hone-plugin-host"

    /// `HONE_PLUGIN_HOST` when set, else `hone-plugin-host` in the running executable's
    /// directory; nil when that file is not an executable.
    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executableDirectory: String? = PluginSearchPath.executableDirectory
    ) -> String? {
        placesLooked(environment: environment, executableDirectory: executableDirectory).first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// Where ``locate(environment:executableDirectory:)`` looks, in order.
    public static func placesLooked(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executableDirectory: String? = PluginSearchPath.executableDirectory
    ) -> [String] {
        if let given = environment["HONE_PLUGIN_HOST"], !given.isEmpty { return [given] }
        return executableDirectory.map { [$0 + "/" + name] } ?? []
    }
}
