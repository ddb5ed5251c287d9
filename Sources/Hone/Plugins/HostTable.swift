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
                HostTable.answer(host, request, result, what: "evaluate request") { ctx, text in
                    try Wire.encode(try ctx.evaluate(try Wire.decode(EvaluateRequest.self, from: text)))
                }
            },
            backend_call: { host, request, result in
                HostTable.answer(host, request, result, what: "backend_call request") { ctx, text in
                    try ctx.backendCall(try JSONValue(parsing: text)).serialized()
                }
            },
            log: { host, level, message in
                guard let ctx = HostTable.context(host), let message else { return }
                let text = "[\(ctx.pluginID)] " + String(cString: message)
                switch level {
                case Int32(HONE_LOG_TRACE): ctx.logger.trace("\(text)")
                case Int32(HONE_LOG_DEBUG): ctx.logger.debug("\(text)")
                case Int32(HONE_LOG_INFO): ctx.logger.info("\(text)")
                case Int32(HONE_LOG_WARNING): ctx.logger.warning("\(text)")
                default: ctx.logger.error("\(text)")
                }
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
                do { try ctx.saveCheckpoint(String(cString: state)); return hone_status(HONE_OK) } catch {
                    ctx.logger.error("checkpoint of \(ctx.pluginID) not saved: \(error)")
                    return hone_status(HONE_ERR_INTERNAL)
                }
            },
            checkpoint_load: { host, sink in
                guard let ctx = HostTable.context(host) else { return hone_status(HONE_ERR_INVALID_ARGUMENT) }
                guard let state = ctx.loadCheckpoint() else { return hone_status(HONE_ERR_NOT_FOUND) }
                sink?.send(state)
                return hone_status(HONE_OK)
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

    /// Runs `body` on the request text and writes its answer (or the error message) to the sink.
    /// A request that cannot be read is answered with where it is wrong and what was expected
    /// (`what` names it: "evaluate request").
    private static func answer(
        _ host: UnsafePointer<hone_host>?, _ request: UnsafePointer<CChar>?, _ sink: UnsafeMutablePointer<hone_sink>?,
        what: String, _ body: (StageContext, String) throws -> String
    ) -> hone_status {
        guard let ctx = context(host), let request else {
            sink?.send("NULL host or request")
            return hone_status(HONE_ERR_INVALID_ARGUMENT)
        }
        let text = String(cString: request)
        do {
            sink?.send(try body(ctx, text))
            return hone_status(HONE_OK)
        } catch let error as PluginError {
            sink?.send(error.message)
            return error.status
        } catch let error as DecodingError {
            sink?.send("malformed \(what) \(WireDecodingFailure(decoding: error, text: text))")
            return hone_status(HONE_ERR_INVALID_ARGUMENT)
        } catch let error as JSONSyntaxError {
            sink?.send("malformed \(what): \(error)")
            return hone_status(HONE_ERR_INVALID_ARGUMENT)
        } catch {
            sink?.send("\(error)")
            return hone_status(HONE_ERR_INTERNAL)
        }
    }
}
