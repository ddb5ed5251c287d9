import CCurl
import Foundation
import HoneSDK

/// What one finished attempt amounts to: a usable answer, or a failure that is transient
/// (worth a retry) or final. A pure function of what curl reported, so it is tested without I/O.
enum HTTPAttemptOutcome {
    case success(JSONValue)
    case failure(HTTPFailure.Kind, message: String, transient: Bool)

    /// curl codes that mean the connection failed or was dropped mid-way: worth a retry.
    static let droppedConnectionCodes: Set<UInt32> = [
        CURLE_COULDNT_CONNECT.rawValue, CURLE_GOT_NOTHING.rawValue, CURLE_SEND_ERROR.rawValue,
        CURLE_RECV_ERROR.rawValue, CURLE_PARTIAL_FILE.rawValue, CURLE_HTTP2.rawValue,
        CURLE_HTTP2_STREAM.rawValue,
    ]

    /// Classifies an attempt.
    /// - Parameters:
    ///   - curlCode: the transfer's `CURLcode`.
    ///   - curlText: curl's error text, if any.
    ///   - status: the HTTP status (0 when none arrived).
    ///   - body: the bytes received.
    ///   - url: the full URL (for messages; never holds the key).
    ///   - timeout: the total timeout, seconds (for messages).
    ///   - overflowed: the answer passed the size limit, `maxBytes`.
    ///   - apiKey: redacts the key from anything a server sent back.
    ///   - validate: the request's check of a 2xx answer.
    static func classify(curlCode: CURLcode, curlText: String?, status: Int, body: [UInt8], url: String,
                         timeout: Double, overflowed: Bool, maxBytes: Int = 0, apiKey: APIKey?,
                         validate: (@Sendable (JSONValue) -> String?)?) -> HTTPAttemptOutcome {
        let redact: (String) -> String = { apiKey?.redact($0) ?? $0 }
        if overflowed {
            return .failure(.transport, message: "the answer from \(url) is larger than the limit of \(maxBytes) bytes (backend max_response_bytes); it was cut off and refused. Ask for less per request (smaller embed_batch_size, fewer samples or max_tokens) or raise max_response_bytes", transient: false)
        }
        if curlCode != CURLE_OK {
            let text = redact(curlText ?? String(cString: curl_easy_strerror(curlCode)))
            if curlCode == CURLE_OPERATION_TIMEDOUT {
                return .failure(.timeout, message: "no complete answer from \(url) in time (\(text)); raise \"timeout\"/\"connect_timeout\" or check that the server is up and not overloaded", transient: true)
            }
            if droppedConnectionCodes.contains(curlCode.rawValue) {
                let what = curlCode == CURLE_PARTIAL_FILE ? "the answer was truncated" : "the connection failed or was dropped"
                return .failure(.transport, message: "\(what) talking to \(url): \(text); check that the server is running and reachable", transient: true)
            }
            return .failure(.transport, message: "request to \(url) failed: \(text)", transient: false)
        }
        if (200..<300).contains(status) {
            let json: JSONValue
            do { json = try JSONValue(parsingUTF8: body) } catch {
                let what = body.isEmpty ? "an empty body" : "malformed JSON (\(error))"
                return .failure(.malformed, message: "\(url) answered HTTP \(status) with \(what)", transient: true)
            }
            if let problem = validate?(json) {
                return .failure(.malformed, message: "\(url) answered HTTP \(status) with an answer Hone cannot use: \(redact(problem))", transient: true)
            }
            return .success(json)
        }
        let serverMessage = redact(HTTPAttemptOutcome.errorMessage(in: body))
        var message = "\(url) answered HTTP \(status)"
        if !serverMessage.isEmpty { message += ": \(serverMessage)" }
        switch status {
        case 401, 403: message += "; check the API key (api_key_env) and that it may use this model"
        case 300...399: message += "; the server redirects: put the final URL (e.g. https://) in base_url"
        case 404: message += "; check base_url, the endpoint and the model name"
        case 429: message += "; the server is rate-limiting: lower max_concurrency or raise retries"
        default: break
        }
        return .failure(.status(status), message: message, transient: RetryPolicy.isTransient(status: status))
    }

    /// The human-readable error in an error body: OpenAI's `error.message`, vLLM's `message`,
    /// FastAPI's `detail`, llama.cpp's `error.message`, else the start of the text.
    static func errorMessage(in body: [UInt8]) -> String {
        if let json = try? JSONValue(parsingUTF8: body) {
            if let m = json["error"]?["message"]?.stringValue { return m }
            if let m = json["error"]?.stringValue { return m }
            if let m = json["message"]?.stringValue { return m }
            if let m = json["detail"]?.stringValue { return m }
            if let d = json["detail"] { return d.serialized() }
        }
        let text = String(decoding: body.prefix(600), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return body.count > 600 ? text + "…" : text
    }
}
