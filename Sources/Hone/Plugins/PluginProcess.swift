import CHoneABI
import Foundation
import HoneSDK

#if canImport(Glibc)
import Glibc
#endif

/// One use of a plugin in a `hone-plugin-host` process: started with `posix_spawn`, given the
/// stage config (and the run request), its host calls served on a ``StageContext`` until it
/// answers, then reaped.
///
/// The child gets a stream socket on fd 3 (its only channel; standard output is pointed at
/// standard error, so nothing a plugin prints can reach `hone`'s output or the channel), its
/// own process group (a terminal's Ctrl-C reaches `hone`, which cancels cooperatively), default
/// signal dispositions and an empty signal mask. The host's cancellation reaches the plugin as
/// a `cancel` frame, which its `is_cancelled` then reports. A child that dies, exits, goes
/// silent past the timeout or breaks the format ends the use with a ``PluginProcessError``.
final class PluginProcess {
    /// The answer of a finished use: the status and the text the plugin wrote.
    struct Answer {
        var status: hone_status
        var text: String
    }

    private let plugin: LoadedPlugin
    private let settings: PluginProcessSettings
    private let phase: String
    private let pid: pid_t
    private let channel: PluginChannel
    private var reaped = false

    /// Starts the process for `plugin`; `phase` ("run" or "create") names the use in errors.
    init(plugin: LoadedPlugin, settings: PluginProcessSettings, phase: String) throws {
        self.plugin = plugin
        self.settings = settings
        self.phase = phase
        func failure(_ why: String) -> PluginProcessError {
            PluginProcessError(pluginID: plugin.info.id, file: plugin.info.file, phase: phase, ending: .spawnFailed(why), limits: settings.limits)
        }
        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            throw failure("socketpair failed: \(String(cString: strerror(errno)))")
        }
        // Keep the child's end off fds 0-4, so the dup2 onto fd 3 always makes a fresh
        // descriptor (one without close-on-exec).
        var childEnd = pair[1]
        if childEnd <= 4 {
            childEnd = fcntl(pair[1], F_DUPFD_CLOEXEC, 5)
            close(pair[1])
        }
        defer { close(childEnd) }
        channel = PluginChannel(fd: pair[0])

        var arguments = [settings.executable, plugin.info.file, plugin.info.id]
        if let memory = settings.limits.memoryMB { arguments += ["--memory-mb", String(memory)] }
        if let cpu = settings.limits.cpuSeconds { arguments += ["--cpu-seconds", String(cpu)] }
        var environment = ProcessInfo.processInfo.environment
        // A crash is reported by hone; the Swift runtime's backtracer would take seconds to
        // symbolicate one first. A SWIFT_BACKTRACE the user set is kept.
        if environment["SWIFT_BACKTRACE"] == nil { environment["SWIFT_BACKTRACE"] = "enable=no" }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, childEnd, 3)
        posix_spawn_file_actions_adddup2(&actions, 2, 1)
        // Nothing else of hone's reaches the plugin, also descriptors opened without
        // close-on-exec by libraries (glibc 2.34 and later; looked up, as Swift does not import it).
        if let closeFrom = PluginProcess.addCloseFrom { _ = closeFrom(&actions, 4) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t(), none = sigset_t()
        sigfillset(&all)
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, settings.executable, &actions, &attributes, argv, envp)
        guard spawned == 0 else { throw failure("posix_spawn of \(settings.executable) failed: \(String(cString: strerror(spawned)))") }
        pid = child
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np`, when the C library has it.
    private static let addCloseFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    deinit {
        if !reaped {
            kill(pid, SIGKILL)
            _ = waitStatus(block: true)
        }
    }

    /// Asks the plugin to `op` ("run" or "check") with `config` (and, for "run", `request`),
    /// serving its host calls on `context` until it answers. A `create` refusal comes back as
    /// an answer with `created` false.
    func perform(op: String, config: String, request: String?, context: StageContext) throws -> (answer: Answer, created: Bool) {
        channel.send(["type": "start", "op": .string(op)], payload: config)
        if let request { channel.send(["type": "request"], payload: request) }
        let timeout = settings.limits.timeoutSeconds
        var lastHeard = Date()
        var cancelSent = false
        while true {
            if !cancelSent && context.isCancelled {
                cancelSent = true
                channel.send(["type": "cancel"])
            }
            switch channel.receive(waiting: min(0.1, timeout)) {
            case .nothing:
                if Date().timeIntervalSince(lastHeard) >= timeout {
                    kill(pid, SIGKILL)
                    _ = waitStatus(block: true)
                    throw error(.timeout(timeout))
                }
                continue
            case .closed:
                throw error(ending(of: waitStatus(block: true)))
            case .malformed(let what):
                kill(pid, SIGKILL)
                _ = waitStatus(block: true)
                throw error(.protocolViolation(what))
            case .frame(let header, let payload):
                if let done = try handle(header, payload, context: context) {
                    finish(context: context)
                    return done
                }
                lastHeard = Date()
            }
        }
    }

    /// Serves one frame; returns the answer when it is the last.
    private func handle(_ header: JSONValue, _ payload: String, context: StageContext) throws -> (answer: Answer, created: Bool)? {
        switch header["type"]?.stringValue {
        case "call":
            let answer: (status: hone_status, text: String)
            switch header["call"]?.stringValue {
            case "evaluate": answer = HostCalls.evaluate(payload, context: context)
            case "backend_call": answer = HostCalls.backendCall(payload, context: context)
            case "checkpoint_save": answer = (HostCalls.saveCheckpoint(payload, context: context), "")
            case "checkpoint_load": answer = HostCalls.loadCheckpoint(context: context)
            case let other:
                answer = (hone_status(HONE_ERR_UNSUPPORTED), "unknown host call \(other ?? "(none)")")
            }
            channel.send(["type": "reply", "status": .number(Double(answer.status))], payload: answer.text)
        case "log":
            HostCalls.log(level: Int32(header["level"]?.intValue ?? Int(HONE_LOG_INFO)), payload, context: context)
        case "progress":
            let text = header["has_text"]?.boolValue == true ? payload : nil
            context.onProgress(context.stageIndex, header["fraction"]?.doubleValue ?? -1, text)
        case "done":
            let status = hone_status(header["status"]?.intValue ?? Int(HONE_ERR_INTERNAL))
            switch header["phase"]?.stringValue {
            case "load":
                throw PipelineError("plugin \(plugin.info.id) could not be loaded by \(settings.executable): \(payload)")
            case "create":
                return (Answer(status: status, text: payload), status == HONE_OK)
            default:
                return (Answer(status: status, text: payload), true)
            }
        case let other:
            kill(pid, SIGKILL)
            _ = waitStatus(block: true)
            throw error(.protocolViolation("unknown frame type \(other ?? "(none)")"))
        }
        return nil
    }

    /// After the answer: forwards the plugin's last log lines while it destroys its instance and
    /// exits, killing it if it takes longer than its timeout. A crash at this point loses
    /// nothing, so it is logged, not thrown.
    private func finish(context: StageContext) {
        let deadline = Date().addingTimeInterval(settings.limits.timeoutSeconds)
        while Date() < deadline {
            switch channel.receive(waiting: 0.1) {
            case .frame(let header, let payload):
                if header["type"]?.stringValue == "log" {
                    HostCalls.log(level: Int32(header["level"]?.intValue ?? Int(HONE_LOG_INFO)), payload, context: context)
                }
                continue
            case .nothing:
                continue
            case .closed, .malformed:
                break
            }
            break
        }
        if Date() >= deadline { kill(pid, SIGKILL) }
        let ending = ending(of: waitStatus(block: true))
        if ending != .exit(0) {
            context.logger.warning("\(error(ending).description.replacingOccurrences(of: "during \(phase)", with: "after answering (in destroy)"))")
        }
    }

    private func error(_ ending: PluginProcessError.Ending) -> PluginProcessError {
        PluginProcessError(pluginID: plugin.info.id, file: plugin.info.file, phase: phase, ending: ending, limits: settings.limits)
    }

    /// The child's wait status (nil when it was reaped elsewhere).
    private func waitStatus(block: Bool) -> Int32? {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, block ? 0 : WNOHANG)
            if result == pid {
                reaped = true
                return status
            }
            if result < 0 && errno == EINTR { continue }
            if result < 0 { reaped = true }
            return nil
        }
    }

    /// What a wait status says about how the process ended.
    private func ending(of status: Int32?) -> PluginProcessError.Ending {
        guard let status else { return .protocolViolation("the process ended and its exit status was collected elsewhere") }
        // WIFSIGNALED / WTERMSIG / WEXITSTATUS, which Swift does not import.
        let signal = status & 0x7F
        if signal != 0 && signal != 0x7F { return .signal(signal) }
        return .exit((status >> 8) & 0xFF)
    }
}
