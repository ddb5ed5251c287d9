import CHoneABI
import HoneSDK

/// A real `hone_host` table whose calls go to Swift closures, for testing a plugin in-process
/// without the host library: set the closures a test needs, hand ``connection`` to the plugin.
///
/// Checkpoints are kept in ``checkpoint``; log messages are collected in ``logs``. A call with no
/// closure set answers `HONE_ERR_UNSUPPORTED` with a message saying so.
public final class InProcessHost {
    /// A call that takes a JSON request and answers through a sink.
    public typealias Call = (_ request: String, _ sink: UnsafeMutablePointer<hone_sink>?) -> hone_status

    /// Answers `evaluate`.
    public var evaluate: Call?
    /// Answers `backend_call`.
    public var backendCall: Call?
    /// Answers `is_cancelled`.
    public var isCancelled: () -> Bool = { false }
    /// The last checkpoint saved.
    public var checkpoint: String?
    /// Every message logged, in order.
    public var logs: [String] = []

    private var table: UnsafeMutablePointer<hone_host>

    /// Creates a host table that reports ABI `major.minor`.
    public init(abiMinor: UInt32 = UInt32(HONE_ABI_VERSION_MINOR)) {
        table = .allocate(capacity: 1)
        table.initialize(to: hone_host(
            struct_size: UInt32(MemoryLayout<hone_host>.size), abi_major: 1, abi_minor: abiMinor, host_data: nil,
            evaluate: { host, request, sink in InProcessHost.of(host).dispatch(\.evaluate, "evaluate", request, sink) },
            backend_call: { host, request, sink in InProcessHost.of(host).dispatch(\.backendCall, "backend_call", request, sink) },
            log: { host, _, message in InProcessHost.of(host).logs.append(message.map { String(cString: $0) } ?? "") },
            progress: { _, _, _ in },
            is_cancelled: { host in InProcessHost.of(host).isCancelled() ? 1 : 0 },
            checkpoint_save: { host, state in
                InProcessHost.of(host).checkpoint = state.map { String(cString: $0) }
                return hone_status(HONE_OK)
            },
            checkpoint_load: { host, sink in
                guard let saved = InProcessHost.of(host).checkpoint else { return hone_status(HONE_ERR_NOT_FOUND) }
                sink?.send(saved)
                return hone_status(HONE_OK)
            },
            get_extension: { _, _ in nil }))
        table.pointee.host_data = Unmanaged.passUnretained(self).toOpaque()
    }

    deinit {
        table.deinitialize(count: 1)
        table.deallocate()
    }

    /// The connection a plugin instance receives; valid while this host lives.
    public var connection: HostConnection { HostConnection(UnsafePointer(table)) }

    private static func of(_ host: UnsafePointer<hone_host>?) -> InProcessHost {
        Unmanaged<InProcessHost>.fromOpaque(host!.pointee.host_data!).takeUnretainedValue()
    }

    private func dispatch(_ call: KeyPath<InProcessHost, Call?>, _ name: String, _ request: UnsafePointer<CChar>?, _ sink: UnsafeMutablePointer<hone_sink>?) -> hone_status {
        guard let handler = self[keyPath: call] else {
            sink?.send("this test host does not answer \(name)")
            return hone_status(HONE_ERR_UNSUPPORTED)
        }
        return handler(request.map { String(cString: $0) } ?? "", sink)
    }
}
