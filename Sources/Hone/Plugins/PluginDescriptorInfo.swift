import CHoneABI
import HoneSDK

/// A plugin's descriptor, copied out of the library into Swift values.
public struct PluginDescriptorInfo: Sendable, Equatable {
    /// Reverse-DNS id.
    public var id: String
    /// Kind (`HONE_KIND_OPTIMIZER` = 1).
    public var kind: UInt32
    /// Human name.
    public var name: String
    /// Plugin version.
    public var version: String
    /// One-line description.
    public var summary: String
    /// JSON Schema of the stage config.
    public var configSchema: JSONValue
    /// Backend capabilities the plugin needs.
    public var capabilities: [BackendCapability]
    /// Toolchain whose runtime the library needs ("c" or "swift-X.Y").
    public var toolchain: String
    /// The library file it came from.
    public var file: String

    /// The descriptor as JSON, for `hone plugins list --json` and `info`.
    public var json: JSONValue {
        [
            "id": .string(id), "kind": .string(kind == UInt32(HONE_KIND_OPTIMIZER) ? "optimizer" : "kind-\(kind)"),
            "name": .string(name), "version": .string(version), "description": .string(summary),
            "config_schema": configSchema, "capabilities": .array(capabilities.map { .string($0.rawValue) }),
            "toolchain": .string(toolchain), "file": .string(file),
        ]
    }
}
