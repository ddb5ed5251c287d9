import Foundation

extension PluginOptimizer {
    /// Asks the plugin whether it accepts its stage config, without running it: creates an
    /// instance with the config (on a dedicated thread, as a run does) and destroys it at once.
    ///
    /// `context` is the host the instance sees during `create`; give it a zero budget, so a
    /// plugin that evaluates in `create` scores nothing.
    /// - Throws: ``ConfigError`` at `path` with the plugin's own message when `create` refuses.
    public func checkConfig(context: StageContext, path: String, file: String? = nil) throws {
        let plugin = self.plugin
        let configText = config.serialized()
        let refusal = PluginOptimizer.onDedicatedThread { () -> CreateRefusal? in
            let host = HostTable(context: context)
            switch PluginOptimizer.create(plugin, host: host, config: configText) {
            case .success(let instance):
                withExtendedLifetime(host) { plugin.vtable.pointee.destroy!(instance) }
                return nil
            case .failure(let refusal):
                return refusal
            }
        }
        if let refusal {
            throw ConfigError(file: file, path: path, message: "plugin \(plugin.info.id) refused this config (\(refusal.status)): \(refusal.message)")
        }
    }
}
