// hone-plugin-host: runs one optimizer plugin in a process of its own, so a plugin that
// crashes, exits or hangs cannot take the `hone` process down with it.
//
//     hone-plugin-host LIBRARY PLUGIN_ID [--memory-mb N] [--cpu-seconds N]
//
// The `hone` process (Sources/Hone/Plugins/PluginProcess.swift) starts it with a stream socket
// on file descriptor 3 and standard output pointed at standard error. It applies the limits,
// loads the library, then reads a `start` frame (the operation and the stage config) and, for
// `run`, a `request` frame (the run request). Every host function the plugin calls becomes a
// frame to `hone`; those that answer (`evaluate`, `backend_call`, `checkpoint_save`,
// `checkpoint_load`) wait for the reply. `is_cancelled` is answered here from the `cancel`
// frames `hone` pushes. The last frame is `done`, with the status and the text the plugin wrote.
// See docs/plugins.md, "Process isolation", for the frames.
import CHoneABI
import Foundation
import Glibc
import HoneSDK
import Synchronization

/// The state the C callbacks reach: one plugin instance per process.
///
/// `@unchecked Sendable`: the reply slot is handed from the reading thread to the calling one
/// under the `replies` condition, which a `Mutex` cannot wait on; every access to `reply` holds
/// that condition's lock, and calls are serialized by `calling`.
final class PluginBridge: @unchecked Sendable {
    let channel: FrameChannel
    private let replies = NSCondition()
    private var reply: (status: Int32, text: String)?
    private let calling = Mutex(())
    private let cancelledFlag = Atomic(false)

    init(channel: FrameChannel) { self.channel = channel }

    var cancelled: Bool { cancelledFlag.load(ordering: .acquiring) }

    /// Asks `hone` to serve `call` with `text` and waits for its answer.
    func call(_ call: String, _ text: String) -> (status: Int32, text: String) {
        calling.withLock { _ in
            guard channel.send(["type": "call", "call": .string(call)], payload: text) else { exitParentGone() }
            replies.lock()
            defer { replies.unlock() }
            while reply == nil { replies.wait() }
            let answer = reply!
            reply = nil
            return answer
        }
    }

    /// Reads `hone`'s frames after the start: replies and cancellation. Exits the process when
    /// `hone` closes the channel (it gave up on this run or is gone).
    func readForever() {
        while let (header, payload) = channel.receive() {
            switch header["type"]?.stringValue {
            case "reply":
                replies.lock()
                reply = (Int32(header["status"]?.intValue ?? Int(HONE_ERR_INTERNAL)), payload)
                replies.signal()
                replies.unlock()
            case "cancel":
                cancelledFlag.store(true, ordering: .releasing)
            default:
                break
            }
        }
        exitParentGone()
    }
}

/// Leaves at once when `hone` is gone: nobody is left to answer the plugin.
func exitParentGone() -> Never {
    fflush(nil)
    _exit(70)
}

/// Reports a failure before the plugin ran and leaves with `code`.
func fail(_ channel: FrameChannel, phase: String, _ message: String, code: Int32) -> Never {
    channel.send(["type": "done", "phase": .string(phase), "status": .number(Double(HONE_ERR_INTERNAL))], payload: message)
    fflush(nil)
    _exit(code)
}

nonisolated(unsafe) var bridge: PluginBridge!

func hostTable() -> hone_host {
    hone_host(
        struct_size: UInt32(MemoryLayout<hone_host>.size),
        abi_major: UInt32(HONE_ABI_VERSION_MAJOR),
        abi_minor: UInt32(HONE_ABI_VERSION_MINOR),
        host_data: nil,
        evaluate: { _, request, result in
            guard let request else { result?.send("NULL request"); return hone_status(HONE_ERR_INVALID_ARGUMENT) }
            let answer = bridge.call("evaluate", String(cString: request))
            result?.send(answer.text)
            return answer.status
        },
        backend_call: { _, request, result in
            guard let request else { result?.send("NULL request"); return hone_status(HONE_ERR_INVALID_ARGUMENT) }
            let answer = bridge.call("backend_call", String(cString: request))
            result?.send(answer.text)
            return answer.status
        },
        log: { _, level, message in
            guard let message else { return }
            bridge.channel.send(["type": "log", "level": .number(Double(level))], payload: String(cString: message))
        },
        progress: { _, fraction, message in
            let header: JSONValue = ["type": "progress", "fraction": .number(fraction.isFinite ? fraction : -1), "has_text": .bool(message != nil)]
            bridge.channel.send(header, payload: message.map { String(cString: $0) } ?? "")
        },
        is_cancelled: { _ in bridge.cancelled ? 1 : 0 },
        checkpoint_save: { _, state in
            guard let state else { return hone_status(HONE_ERR_INVALID_ARGUMENT) }
            return bridge.call("checkpoint_save", String(cString: state)).status
        },
        checkpoint_load: { _, sink in
            let answer = bridge.call("checkpoint_load", "")
            if answer.status == HONE_OK { sink?.send(answer.text) }
            return answer.status
        },
        get_extension: { _, _ in nil })
}

/// Sets a resource limit (soft `value`, hard `hard`) or reports why it could not be set.
func limit(_ resource: __rlimit_resource, _ value: UInt64, hard: UInt64, _ name: String, _ channel: FrameChannel) {
    var limit = rlimit(rlim_cur: rlim_t(value), rlim_max: rlim_t(hard))
    if setrlimit(__rlimit_resource_t(resource.rawValue), &limit) != 0 {
        fail(channel, phase: "load", "could not set \(name) to \(value): \(String(cString: strerror(errno)))", code: 2)
    }
}

let arguments = CommandLine.arguments
let channel = FrameChannel(fd: 3)
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: hone-plugin-host LIBRARY PLUGIN_ID [--memory-mb N] [--cpu-seconds N]; started by hone with its channel on fd 3\n".utf8))
    exit(64)
}
let libraryPath = arguments[1], pluginID = arguments[2]
var option = 3
while option + 1 < arguments.count {
    guard let value = UInt64(arguments[option + 1]), value > 0 else {
        fail(channel, phase: "load", "option \(arguments[option]) needs a positive whole number, got \(arguments[option + 1])", code: 64)
    }
    switch arguments[option] {
    case "--memory-mb": limit(RLIMIT_AS, value << 20, hard: value << 20, "RLIMIT_AS", channel)
    case "--cpu-seconds": limit(RLIMIT_CPU, value, hard: value + 1, "RLIMIT_CPU", channel)
    default: fail(channel, phase: "load", "unknown option \(arguments[option])", code: 64)
    }
    option += 2
}

guard let handle = dlopen(libraryPath, RTLD_NOW | RTLD_LOCAL) else {
    fail(channel, phase: "load", "dlopen of \(libraryPath) failed: \(dlerror().map { String(cString: $0) } ?? "unknown error")", code: 2)
}
guard let symbol = dlsym(handle, HONE_PLUGIN_ENTRY_SYMBOL),
      let library = unsafeBitCast(symbol, to: hone_plugin_entry_fn.self)(),
      let list = library.pointee.plugins
else {
    fail(channel, phase: "load", "\(libraryPath) has no usable \(HONE_PLUGIN_ENTRY_SYMBOL)", code: 2)
}
// The `hone` process checked the library, its descriptors and its vtable before starting us.
let descriptor: UnsafePointer<hone_plugin_descriptor>? = (0..<Int(library.pointee.plugin_count)).lazy
    .compactMap { list[$0] }
    .first { $0.pointee.id.map { String(cString: $0) } == pluginID }
guard let descriptor, let vtable = descriptor.pointee.vtable?.assumingMemoryBound(to: hone_optimizer_vtable.self) else {
    fail(channel, phase: "load", "\(libraryPath) holds no plugin \(pluginID)", code: 2)
}

guard let (start, configText) = channel.receive(), start["type"]?.stringValue == "start", let op = start["op"]?.stringValue else {
    exitParentGone()
}
var runText = ""
if op == "run" {
    guard let (request, text) = channel.receive(), request["type"]?.stringValue == "request" else { exitParentGone() }
    runText = text
}
bridge = PluginBridge(channel: channel)
let reader = Thread { bridge.readForever() }
reader.name = "hone-plugin-host-reader"
reader.start()

let host = UnsafeMutablePointer<hone_host>.allocate(capacity: 1)
host.initialize(to: hostTable())
var instance: UnsafeMutableRawPointer?
let createError = SinkBuffer()
let created = createError.withSink { sink in vtable.pointee.create!(descriptor, host, configText, &instance, sink) }
guard created == HONE_OK, let instance else {
    channel.send(["type": "done", "phase": "create", "status": .number(Double(created))], payload: createError.string)
    fflush(nil)
    _exit(0)
}
if op == "run" {
    let result = SinkBuffer()
    let status = result.withSink { sink in vtable.pointee.run!(instance, runText, sink) }
    fflush(nil)
    // Sent before `destroy`, so a plugin that crashes while cleaning up does not lose its result.
    channel.send(["type": "done", "phase": "run", "status": .number(Double(status))], payload: result.string)
} else {
    channel.send(["type": "done", "phase": "create", "status": .number(Double(HONE_OK))])
}
vtable.pointee.destroy!(instance)
fflush(nil)
_exit(0)
