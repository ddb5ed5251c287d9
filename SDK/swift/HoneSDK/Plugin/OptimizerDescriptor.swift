/// What a Swift optimizer plugin says about itself; the SDK turns it into a `hone_plugin_descriptor`.
public struct OptimizerDescriptor: Sendable {
    /// Unique reverse-DNS id, e.g. "org.hone.rlprompt".
    public var id: String
    /// Human name.
    public var name: String
    /// Semantic version of the plugin.
    public var version: String
    /// One line saying what it does.
    public var description: String
    /// JSON Schema of the stage config (see docs/plugins.md for the supported subset).
    public var configSchema: JSONValue
    /// Backend capabilities the plugin needs: any of "generate", "score", "embed".
    public var capabilities: [String]

    /// Creates a descriptor.
    public init(id: String, name: String, version: String, description: String, configSchema: JSONValue, capabilities: [String]) {
        self.id = id
        self.name = name
        self.version = version
        self.description = description
        self.configSchema = configSchema
        self.capabilities = capabilities
    }
}
