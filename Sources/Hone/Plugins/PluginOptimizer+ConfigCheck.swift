import CHoneABI
import Foundation

extension PluginOptimizer {
    /// Asks the plugin whether it accepts its stage config, without running it: creates an
    /// instance with the config (on a dedicated thread, or in its own process when the stage is
    /// isolated, as a run does) and destroys it at once.
    ///
    /// `context` is the host the instance sees during `create`; give it a zero budget, so a
    /// plugin that evaluates in `create` scores nothing.
    /// - Throws: ``ConfigError`` at `path` with the plugin's own message when `create` refuses;
    ///   ``PluginProcessError`` when an isolated plugin's process dies or hangs in `create`.
    public func checkConfig(context: StageContext, path: String, file: String? = nil) throws {
        let plugin = self.plugin
        let configText = config.serialized()
        let refusal = try PluginOptimizer.onDedicatedThread { () -> Result<CreateRefusal?, Error> in
            if case .process(let settings) = self.isolation {
                return Result {
                    let (answer, created) = try PluginProcess(plugin: plugin, settings: settings, phase: "create")
                        .perform(op: "check", config: configText, request: nil, context: context)
                    return created ? nil : CreateRefusal(status: String(cString: hone_status_name(answer.status)), message: answer.text)
                }
            }
            let host = HostTable(context: context)
            switch PluginOptimizer.create(plugin, host: host, config: configText) {
            case .success(let instance):
                withExtendedLifetime(host) { plugin.vtable.pointee.destroy!(instance) }
                return .success(nil)
            case .failure(let refusal):
                return .success(refusal)
            }
        }.get()
        if let refusal {
            throw ConfigError(file: file, path: path, message: "plugin \(plugin.info.id) refused this config (\(refusal.status)): \(refusal.message)")
        }
    }
}
