import CHoneABI

/// The host as a Swift plugin sees it: a typed wrapper over the `hone_host` table.
///
/// Valid from `init(config:host:)` (or a renderer's `init(artifact:host:)`) until the instance
/// is destroyed. Every call blocks until the host answers.
///
/// Every field of the table is read only when the host's `struct_size` covers it (the rule of
/// `HONE_HAS_FIELD`, see ``ABILayout``), and then only that field's bytes: a host of an older
/// minor version, whose table is shorter, is never read past its end, and a function it does
/// not have is treated as absent (``PluginError/unsupported(_:)``, or a no-op for logging).
public final class HostConnection {
    /// The raw host table, for abilities this wrapper does not cover. Check
    /// ``has(_:)`` before reading a field appended after ABI 1.0.
    public let raw: UnsafePointer<hone_host>

    /// The host's `struct_size`: how much of the table the host filled in.
    public let structSize: UInt32

    /// Wraps a host table handed to a plugin.
    public init(_ raw: UnsafePointer<hone_host>) {
        self.raw = raw
        self.structSize = UnsafeRawPointer(raw).load(as: UInt32.self)
    }

    /// The host's ABI version (`abi_major`, `abi_minor`), or `nil` if its table is too short to say.
    public var abiVersion: (major: UInt32, minor: UInt32)? {
        guard let major = field(\.abi_major), let minor = field(\.abi_minor) else { return nil }
        return (major, minor)
    }

    /// Whether the host's table has `field` (its `struct_size` covers it): `HONE_HAS_FIELD`.
    public func has<Field>(_ field: KeyPath<hone_host, Field>) -> Bool {
        ABILayout.covers(structSize, field)
    }

    /// The value of `field` when the host's table covers it, reading only that field.
    private func field<Field>(_ field: KeyPath<hone_host, Field>) -> Field? {
        ABILayout.read(field, of: raw, structSize: structSize)
    }

    /// A function of the table, `nil` when the table does not cover it or it is not set.
    private func function<Function>(_ field: KeyPath<hone_host, Function?>) -> Function? {
        self.field(field) ?? nil
    }

    /// Log levels of the ABI.
    public enum LogLevel: Int32, Sendable {
        case trace = 0, debug, info, warning, error
    }

    /// Scores candidate prompts on train or dev.
    ///
    /// Throws ``PluginError`` with `HONE_ERR_BUDGET_EXHAUSTED` when the budget cannot cover the
    /// request (nothing was evaluated), or `HONE_ERR_CANCELLED`.
    public func evaluate(_ request: EvaluateRequest) throws -> EvaluateResponse {
        let text = try call(function(\.evaluate), "evaluate", try Wire.encode(request))
        return try Wire.decode(EvaluateResponse.self, from: text)
    }

    /// Calls the backend directly: `{"op": "embed"|"score"|"generate", ...}` (docs/plugins.md).
    public func backend(_ request: JSONValue) throws -> JSONValue {
        try JSONValue(parsing: try call(function(\.backend_call), "backend_call", request.serialized()))
    }

    /// Embeds texts as e5 queries or passages (or plain texts on other backends); one vector per text.
    public func embed(_ texts: [String], role: String = "passage") throws -> [[Float]] {
        let response = try backend(["op": "embed", "role": .string(role), "texts": .array(texts.map { .string($0) })])
        guard let rows = response["embeddings"]?.arrayValue else {
            throw PluginError.backend("embed response has no \"embeddings\" array")
        }
        return rows.map { ($0.arrayValue ?? []).map { Float($0.doubleValue ?? 0) } }
    }

    /// Logs a message through the host's logger.
    public func log(_ level: LogLevel, _ message: String) {
        function(\.log)?(raw, level.rawValue, message)
    }

    /// Reports progress in [0, 1] with a short status line.
    public func progress(_ fraction: Double, _ message: String? = nil) {
        guard let progress = function(\.progress) else { return }
        if let message {
            progress(raw, fraction, message)
        } else {
            progress(raw, fraction, nil)
        }
    }

    /// Whether the run was cancelled or the budget is spent.
    public var isCancelled: Bool { (function(\.is_cancelled)?(raw) ?? 0) != 0 }

    /// Stores resumable state for this stage, replacing the previous checkpoint.
    public func saveCheckpoint(_ state: JSONValue) throws {
        guard let save = function(\.checkpoint_save) else { throw PluginError.unsupported("the host does not offer checkpoint_save") }
        let status = save(raw, state.serialized())
        if status != HONE_OK { throw PluginError(status: status, message: "checkpoint_save failed") }
    }

    /// Loads this stage's last checkpoint, or `nil` when there is none.
    public func loadCheckpoint() throws -> JSONValue? {
        guard let load = function(\.checkpoint_load) else { return nil }
        let buffer = SinkBuffer()
        let status = buffer.withSink { load(raw, $0) }
        if status == HONE_ERR_NOT_FOUND { return nil }
        if status != HONE_OK { throw PluginError(status: status, message: buffer.string) }
        return try JSONValue(parsing: buffer.string)
    }

    private typealias HostCall = @convention(c) (UnsafePointer<hone_host>?, UnsafePointer<CChar>?, UnsafeMutablePointer<hone_sink>?) -> hone_status

    /// Looks up an optional host ability by id and revision (`host->get_extension`), or `nil`.
    public func extensionPointer(_ id: String) -> UnsafeRawPointer? {
        function(\.get_extension)?(raw, id)
    }

    private func call(_ function: HostCall?, _ name: String, _ request: String) throws -> String {
        guard let function else { throw PluginError.unsupported("the host does not offer \(name) (its table has struct_size \(structSize))") }
        let buffer = SinkBuffer()
        let status = buffer.withSink { sink in function(raw, request, sink) }
        if status != HONE_OK { throw PluginError(status: status, message: buffer.string) }
        return buffer.string
    }
}
