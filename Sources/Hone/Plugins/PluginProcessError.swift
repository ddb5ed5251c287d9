import Foundation

/// A plugin running in a process of its own (``PluginIsolation/process(_:)``) stopped without
/// answering: it was killed by a signal, exited, went silent past its timeout, broke the
/// channel's format, or its process could not be started.
///
/// The stage fails with this error, the run is recorded `failed`, and resuming the run (with the
/// plugin fixed) runs the stage again from its last checkpoint.
public struct PluginProcessError: Error, CustomStringConvertible, Sendable, Equatable {
    /// How the process ended.
    public enum Ending: Sendable, Equatable {
        /// Killed by this signal (e.g. 11, SIGSEGV).
        case signal(Int32)
        /// Exited with this code before answering.
        case exit(Int32)
        /// No message for this many seconds; the host killed it.
        case timeout(Double)
        /// It wrote something that is not a frame of the channel, or a frame out of place.
        case protocolViolation(String)
        /// The process could not be started.
        case spawnFailed(String)
    }

    /// The plugin id.
    public var pluginID: String
    /// The plugin's library file.
    public var file: String
    /// What the host had asked of it: "run" or "create" (a config check).
    public var phase: String
    /// How it ended.
    public var ending: Ending
    /// The limits it ran under.
    public var limits: PluginProcessLimits

    /// Creates the error.
    public init(pluginID: String, file: String, phase: String, ending: Ending, limits: PluginProcessLimits) {
        self.pluginID = pluginID
        self.file = file
        self.phase = phase
        self.ending = ending
        self.limits = limits
    }

    public var description: String {
        let who = "plugin \(pluginID) (\(file))"
        let after = "; the stage failed, and resuming the run once the plugin is fixed runs it again from its last checkpoint"
        switch ending {
        case .signal(let number):
            var text = "\(who) was killed by signal \(number) (\(PluginProcessError.signalName(number))) during \(phase)"
            if number == SIGXCPU || number == SIGKILL, let cpu = limits.cpuSeconds {
                text += "; its CPU-time limit was \(cpu) s (process_limits.cpu_seconds)"
            }
            // Named only when set below the default: an allocation past it fails, which a plugin
            // that does not check ends with one of these signals.
            if [SIGSEGV, SIGABRT, SIGBUS].contains(number), let memory = limits.memoryMB, memory < PluginProcessLimits.defaultMemoryMB {
                text += "; its address space was limited to \(memory) MiB (process_limits.memory_mb), past which allocations fail"
            }
            return text + after
        case .exit(let code):
            return "\(who) exited with code \(code) during \(phase) without answering" + after
        case .timeout(let seconds):
            return "\(who) timed out after \(PluginProcessError.seconds(seconds)) s without a message during \(phase) and was killed (process_limits.timeout_seconds)" + after
        case .protocolViolation(let what):
            return "\(who) broke the plugin host channel during \(phase): \(what)" + after
        case .spawnFailed(let why):
            return "\(who) could not be started in a process of its own: \(why); check the hone-plugin-host executable (HONE_PLUGIN_HOST names it) or set the stage's \"isolation\": \"in-process\""
        }
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    /// "SIGSEGV" for 11, and so on; "signal N" for one without a name here.
    public static func signalName(_ number: Int32) -> String {
        let names: [Int32: String] = [
            SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGTRAP: "SIGTRAP",
            SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV",
            SIGPIPE: "SIGPIPE", SIGALRM: "SIGALRM", SIGTERM: "SIGTERM", SIGXCPU: "SIGXCPU", SIGXFSZ: "SIGXFSZ",
            SIGSYS: "SIGSYS", SIGUSR1: "SIGUSR1", SIGUSR2: "SIGUSR2",
        ]
        return names[number] ?? "signal \(number)"
    }
}

extension PluginProcessError: LocalizedError {
    /// The same message as `description`, so `localizedDescription` reads as the CLI prints it.
    public var errorDescription: String? { description }
}
