import CHoneABI
import HoneSDK
import Logging

/// The `hone_host` table handed to one plugin instance (or one artifact renderer), bridging each
/// C function pointer to a ``StageContext``. Lives as long as the instance; `host_data` holds an
/// unretained pointer to the context, which the owner keeps alive.
final class HostTable {
    /// Who the table is for.
    enum Role {
        /// An optimizer instance: every function.
        case stage
        /// An artifact renderer: it sees inputs only, so `evaluate` (which reveals scores against
        /// labels) and checkpoints answer `HONE_ERR_UNSUPPORTED`; `backend_call` is the context's,
        /// budgeted, cached and recorded like a stage's.
        case renderer
    }

    let table: UnsafeMutablePointer<hone_host>
    private let context: StageContext

    init(context: StageContext, role: Role = .stage) {
        self.context = context
        table = .allocate(capacity: 1)
        table.initialize(to: hone_host(
            struct_size: UInt32(MemoryLayout<hone_host>.size),
            abi_major: UInt32(HONE_ABI_VERSION_MAJOR),
            abi_minor: UInt32(HONE_ABI_VERSION_MINOR),
            host_data: Unmanaged.passUnretained(context).toOpaque(),
            evaluate: { host, request, result in
                HostTable.serve(host, request, result, HostCalls.evaluate)
            },
            backend_call: { host, request, result in
                HostTable.serve(host, request, result, HostCalls.backendCall)
            },
            log: { host, level, message in
                guard let ctx = HostTable.context(host), let message else { return }
                HostCalls.log(level: level, String(cString: message), context: ctx)
            },
            progress: { host, fraction, message in
                guard let ctx = HostTable.context(host) else { return }
                ctx.onProgress(ctx.stageIndex, fraction, message.map { String(cString: $0) })
            },
            is_cancelled: { host in
                (HostTable.context(host)?.isCancelled ?? true) ? 1 : 0
            },
            checkpoint_save: { host, state in
                guard let ctx = HostTable.context(host), let state else { return hone_status(HONE_ERR_INVALID_ARGUMENT) }
                return HostCalls.saveCheckpoint(String(cString: state), context: ctx)
            },
            checkpoint_load: { host, sink in
                guard let ctx = HostTable.context(host) else { return hone_status(HONE_ERR_INVALID_ARGUMENT) }
                let answer = HostCalls.loadCheckpoint(context: ctx)
                if answer.status == HONE_OK { sink?.send(answer.text) }
                return answer.status
            },
            get_extension: { _, _ in nil }))
        if role == .renderer {
            table.pointee.evaluate = { _, _, result in
                result?.send("a renderer sees inputs only and cannot evaluate prompts (the host refuses evaluate in hone.artifact.renderer/1)")
                return hone_status(HONE_ERR_UNSUPPORTED)
            }
            table.pointee.checkpoint_save = { _, _ in hone_status(HONE_ERR_UNSUPPORTED) }
            table.pointee.checkpoint_load = { _, _ in hone_status(HONE_ERR_UNSUPPORTED) }
        }
    }

    deinit {
        table.deinitialize(count: 1)
        table.deallocate()
    }

    private static func context(_ host: UnsafePointer<hone_host>?) -> StageContext? {
        guard let data = host?.pointee.host_data else { return nil }
        return Unmanaged<StageContext>.fromOpaque(data).takeUnretainedValue()
    }

    /// Serves a request through `answer` (one of ``HostCalls``) and writes its answer (or the
    /// error message) to the sink.
    private static func serve(
        _ host: UnsafePointer<hone_host>?, _ request: UnsafePointer<CChar>?, _ sink: UnsafeMutablePointer<hone_sink>?,
        _ answer: (String, StageContext) -> (status: hone_status, text: String)
    ) -> hone_status {
        guard let ctx = context(host), let request else {
            sink?.send("NULL host or request")
            return hone_status(HONE_ERR_INVALID_ARGUMENT)
        }
        let (status, text) = answer(String(cString: request), ctx)
        sink?.send(text)
        return status
    }
}
