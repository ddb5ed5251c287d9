import CHoneABI
import Foundation
import HoneSDK

/// A loaded optimizer plugin driven through the C ABI.
///
/// Each `optimize` creates an instance, runs it and destroys it: in-process on a dedicated
/// thread (never Swift's cooperative pool, since the plugin blocks), with the instance's calls
/// serialized; or, with ``PluginIsolation/process(_:)``, in a `hone-plugin-host` process of its
/// own, so that a crash, an `exit` or a hang fails the stage with a
/// ``PluginProcessError`` instead of ending the host.
public final class PluginOptimizer: Optimizer {
    /// The plugin.
    public let plugin: LoadedPlugin
    /// The stage config (already validated against the plugin's schema).
    public let config: JSONValue
    /// Where the plugin's `create`, `run` and `destroy` execute.
    public let isolation: PluginIsolation

    public var id: String { plugin.info.id }
    public var requiredCapabilities: [BackendCapability] { plugin.info.capabilities }

    /// Prepares a stage of `plugin` with `config`, run as `isolation` says (in-process unless
    /// told otherwise; a pipeline chooses with ``PluginIsolation/forStage(_:plugin:searchPath:hostExecutable:logger:)``);
    /// throws a ``ConfigError`` at `path` when the config fails the plugin's schema.
    public init(plugin: LoadedPlugin, config: JSONValue, path: String = "$.config", isolation: PluginIsolation = .inProcess) throws {
        try JSONSchemaValidator.validate(config, against: plugin.info.configSchema, path: path)
        self.plugin = plugin
        self.config = config
        self.isolation = isolation
    }

    public func optimize(_ request: RunRequest, context: StageContext) throws -> RunResult {
        let requestText = try Wire.encode(request)
        let plugin = self.plugin
        let configText = config.serialized()
        let outcome = PluginOptimizer.onDedicatedThread { () -> Result<String, Error> in
            if case .process(let settings) = self.isolation {
                return Result {
                    let (answer, created) = try PluginProcess(plugin: plugin, settings: settings, phase: "run")
                        .perform(op: "run", config: configText, request: requestText, context: context)
                    guard created else {
                        throw PipelineError("plugin \(plugin.info.id) refused its config (\(String(cString: hone_status_name(answer.status)))): \(answer.text)")
                    }
                    guard answer.status == HONE_OK else {
                        throw PipelineError("plugin \(plugin.info.id) failed (\(String(cString: hone_status_name(answer.status)))): \(answer.text)")
                    }
                    return answer.text
                }
            }
            let host = HostTable(context: context)
            let instance: UnsafeMutableRawPointer
            switch PluginOptimizer.create(plugin, host: host, config: configText) {
            case .success(let created): instance = created
            case .failure(let refusal): return .failure(PipelineError("plugin \(plugin.info.id) refused its config (\(refusal.status)): \(refusal.message)"))
            }
            defer { withExtendedLifetime(host) { plugin.vtable.pointee.destroy!(instance) } }
            let result = SinkBuffer()
            let status = result.withSink { sink in plugin.vtable.pointee.run!(instance, requestText, sink) }
            guard status == HONE_OK else {
                return .failure(PipelineError("plugin \(plugin.info.id) failed (\(String(cString: hone_status_name(status)))): \(result.string)"))
            }
            return .success(result.string)
        }
        let text = try outcome.get()
        guard !text.allSatisfy(\.isWhitespace) else {
            throw PipelineError("plugin \(plugin.info.id) returned HONE_OK but wrote nothing to the result sink; run must write a run result, at least {\"best_prompt\": {\"text\": \"...\"}} (docs/plugins.md, section 6.3)")
        }
        do {
            return try Wire.decode(RunResult.self, from: text)
        } catch {
            let shown = text.count > 300 ? text.prefix(300) + "…" : Substring(text)
            throw PipelineError("plugin \(plugin.info.id) returned a run result the host cannot read, \(WireDecodingFailure(decoding: error, text: text)); expected at least {\"best_prompt\": {\"text\": \"...\"}} (docs/plugins.md, section 6.3); it wrote: \(shown)")
        }
    }

    /// Why a plugin's `create` refused its config: the status name and the plugin's message.
    struct CreateRefusal: Error {
        let status: String
        let message: String
    }

    /// An instance of `plugin` with `config`, made by its `create` (the caller destroys it).
    static func create(_ plugin: LoadedPlugin, host: HostTable, config: String) -> Result<UnsafeMutableRawPointer, CreateRefusal> {
        let createError = SinkBuffer()
        var instance: UnsafeMutableRawPointer?
        let created = createError.withSink { sink in
            plugin.vtable.pointee.create!(plugin.descriptor, host.table, config, &instance, sink)
        }
        guard created == HONE_OK, let instance else {
            return .failure(CreateRefusal(status: String(cString: hone_status_name(created)), message: createError.string))
        }
        return .success(instance)
    }

    /// Runs `body` on a new thread with an 8 MiB stack and waits for it.
    static func onDedicatedThread<T>(_ body: @escaping () -> T) -> T {
        let box = ThreadResultBox<T>(body)
        let thread = Thread {
            box.value = box.body()
            box.done.signal()
        }
        thread.stackSize = 8 << 20
        thread.name = "hone-plugin"
        thread.start()
        box.done.wait()
        return box.value!
    }
}

/// Carries a value from a worker thread back to its waiter.
///
/// `@unchecked Sendable`: the caller hands `body` (not `Sendable`) to exactly one worker thread
/// and blocks until it is done, so `body` never runs concurrently with its caller; starting the
/// thread orders the caller's writes before the worker, and the worker writes `value` once, then
/// signals `done`, after which alone the waiter reads it.
private final class ThreadResultBox<T>: @unchecked Sendable {
    let body: () -> T
    var value: T?
    let done = DispatchSemaphore(value: 0)

    init(_ body: @escaping () -> T) { self.body = body }
}
