import CHoneABI
import HoneSDK
import Logging

/// The host functions a plugin calls, served on a ``StageContext``: the one implementation
/// behind both the in-process `hone_host` table (``HostTable``) and the frames of a plugin
/// running in its own process (``PluginProcess``), so a plugin gets the same answers either way.
enum HostCalls {
    /// Answers an `evaluate` request: the response JSON, or the error status and message.
    static func evaluate(_ request: String, context: StageContext) -> (status: hone_status, text: String) {
        answer(request, context: context, what: "evaluate request") { ctx, text in
            try Wire.encode(try ctx.evaluate(try Wire.decode(EvaluateRequest.self, from: text)))
        }
    }

    /// Answers a `backend_call` request: the response JSON, or the error status and message.
    static func backendCall(_ request: String, context: StageContext) -> (status: hone_status, text: String) {
        answer(request, context: context, what: "backend_call request") { ctx, text in
            try ctx.backendCall(try JSONValue(parsing: text)).serialized()
        }
    }

    /// Logs a plugin's message at its `HONE_LOG_*` level, prefixed with the plugin id.
    static func log(level: Int32, _ message: String, context ctx: StageContext) {
        let text = "[\(ctx.pluginID)] " + message
        switch level {
        case Int32(HONE_LOG_TRACE): ctx.logger.trace("\(text)")
        case Int32(HONE_LOG_DEBUG): ctx.logger.debug("\(text)")
        case Int32(HONE_LOG_INFO): ctx.logger.info("\(text)")
        case Int32(HONE_LOG_WARNING): ctx.logger.warning("\(text)")
        default: ctx.logger.error("\(text)")
        }
    }

    /// Stores a checkpoint; a failure is logged and answered `HONE_ERR_INTERNAL`.
    static func saveCheckpoint(_ state: String, context ctx: StageContext) -> hone_status {
        do {
            try ctx.saveCheckpoint(state)
            return hone_status(HONE_OK)
        } catch {
            ctx.logger.error("checkpoint of \(ctx.pluginID) not saved: \(error)")
            return hone_status(HONE_ERR_INTERNAL)
        }
    }

    /// The last checkpoint, or `HONE_ERR_NOT_FOUND` when there is none.
    static func loadCheckpoint(context ctx: StageContext) -> (status: hone_status, text: String) {
        guard let state = ctx.loadCheckpoint() else { return (hone_status(HONE_ERR_NOT_FOUND), "") }
        return (hone_status(HONE_OK), state)
    }

    /// Runs `body` on the request text and returns its answer (or the error message). A request
    /// that cannot be read is answered with where it is wrong and what was expected (`what`
    /// names it: "evaluate request").
    private static func answer(
        _ text: String, context: StageContext, what: String, _ body: (StageContext, String) throws -> String
    ) -> (status: hone_status, text: String) {
        do {
            return (hone_status(HONE_OK), try body(context, text))
        } catch let error as PluginError {
            return (error.status, error.message)
        } catch let error as DecodingError {
            return (hone_status(HONE_ERR_INVALID_ARGUMENT), "malformed \(what) \(WireDecodingFailure(decoding: error, text: text))")
        } catch let error as JSONSyntaxError {
            return (hone_status(HONE_ERR_INVALID_ARGUMENT), "malformed \(what): \(error)")
        } catch {
            return (hone_status(HONE_ERR_INTERNAL), "\(error)")
        }
    }
}
