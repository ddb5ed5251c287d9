import CHoneABI

/// The host as a Swift plugin sees it: a typed wrapper over the `hone_host` table.
///
/// Valid from `init(config:host:)` until the instance is destroyed. Every call blocks
/// until the host answers.
public final class HostConnection {
    /// The raw host table, for abilities this wrapper does not cover.
    public let raw: UnsafePointer<hone_host>

    /// Wraps a host table handed to a plugin.
    public init(_ raw: UnsafePointer<hone_host>) {
        self.raw = raw
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
        let text = try call(raw.pointee.evaluate, try Wire.encode(request))
        return try Wire.decode(EvaluateResponse.self, from: text)
    }

    /// Calls the backend directly: `{"op": "embed"|"score"|"generate", ...}` (docs/plugins.md).
    public func backend(_ request: JSONValue) throws -> JSONValue {
        try JSONValue(parsing: try call(raw.pointee.backend_call, request.serialized()))
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
        raw.pointee.log?(raw, level.rawValue, message)
    }

    /// Reports progress in [0, 1] with a short status line.
    public func progress(_ fraction: Double, _ message: String? = nil) {
        if let message {
            raw.pointee.progress?(raw, fraction, message)
        } else {
            raw.pointee.progress?(raw, fraction, nil)
        }
    }

    /// Whether the run was cancelled or the budget is spent.
    public var isCancelled: Bool { (raw.pointee.is_cancelled?(raw) ?? 0) != 0 }

    /// Stores resumable state for this stage, replacing the previous checkpoint.
    public func saveCheckpoint(_ state: JSONValue) throws {
        guard let save = raw.pointee.checkpoint_save else { throw PluginError.unsupported("host has no checkpoint_save") }
        let status = save(raw, state.serialized())
        if status != HONE_OK { throw PluginError(status: status, message: "checkpoint_save failed") }
    }

    /// Loads this stage's last checkpoint, or `nil` when there is none.
    public func loadCheckpoint() throws -> JSONValue? {
        guard let load = raw.pointee.checkpoint_load else { return nil }
        let buffer = SinkBuffer()
        let status = buffer.withSink { load(raw, $0) }
        if status == HONE_ERR_NOT_FOUND { return nil }
        if status != HONE_OK { throw PluginError(status: status, message: buffer.string) }
        return try JSONValue(parsing: buffer.string)
    }

    private typealias HostCall = @convention(c) (UnsafePointer<hone_host>?, UnsafePointer<CChar>?, UnsafeMutablePointer<hone_sink>?) -> hone_status

    private func call(_ function: HostCall?, _ request: String) throws -> String {
        guard let function else { throw PluginError.unsupported("the host does not offer this call") }
        let buffer = SinkBuffer()
        let status = buffer.withSink { sink in function(raw, request, sink) }
        if status != HONE_OK { throw PluginError(status: status, message: buffer.string) }
        return buffer.string
    }
}
