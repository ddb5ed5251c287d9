/// A stage's `isolation` member: where its plugin runs.
public enum StageIsolation: String, Sendable, CaseIterable {
    /// In a `hone-plugin-host` process of its own.
    case process
    /// On a thread of the host process.
    case inProcess = "in-process"

    /// Reads `isolation` and `process_limits` of the stage object `o`. Giving `process_limits`
    /// without `isolation` asks for a process; giving it with `"in-process"` is an error, since
    /// the limits would be ignored.
    static func read(_ o: ConfigObject) throws -> (StageIsolation?, PluginProcessLimits) {
        var isolation = try o.optionalChoice("isolation", allCases.map(\.rawValue)).flatMap(StageIsolation.init(rawValue:))
        guard let limitsObject = try o.optionalObject("process_limits") else { return (isolation, PluginProcessLimits()) }
        if isolation == .inProcess {
            throw ConfigError(path: o.path(of: "process_limits"), message: "process limits apply to a plugin in a process of its own, but this stage sets \"isolation\": \"in-process\"; remove one of the two")
        }
        isolation = .process
        return (isolation, try PluginProcessLimits(limitsObject))
    }
}
