import HoneSDK

/// One JSON POST for the ``HTTPClient``: a path appended to one of the client's base URLs and a body.
///
/// The client picks the base URL (round-robin over the configured servers, so a retry goes to
/// the next server), adds the headers (content type, and the API key when there is one) and
/// decides about retries. `validate` checks a 2xx answer's JSON: a message from it means the
/// answer is malformed, which counts as a transient failure and is retried.
struct HTTPRequest: Sendable {
    /// The endpoint path, e.g. `/v1/embeddings`.
    var path: String
    /// The JSON body bytes.
    var body: [UInt8]
    /// Checks a successful answer's JSON; returns what is wrong with it, or nil when it is usable.
    var validate: (@Sendable (JSONValue) -> String?)?

    /// Creates a request with a JSON body.
    init(path: String, json: JSONValue, validate: (@Sendable (JSONValue) -> String?)? = nil) {
        self.path = path
        self.body = Array(json.serialized().utf8)
        self.validate = validate
    }
}

/// A successful (2xx) answer with a well-formed JSON body.
struct HTTPResponse: Sendable {
    /// The HTTP status code.
    var status: Int
    /// The parsed body.
    var json: JSONValue
    /// The raw body size in bytes.
    var bodyBytes: Int
    /// Wall time of the attempt that succeeded, in seconds.
    var latency: Double
    /// Wall time of all attempts together, in seconds (without the waits between them).
    var totalLatency: Double
    /// How many attempts it took (1 when the first one succeeded).
    var attempts: Int
    /// The server that answered.
    var baseURL: String
}
