import HoneSDK

/// One JSON POST for the ``HTTPClient``: a path appended to one of the client's base URLs and a body.
///
/// The client picks the base URL (round-robin over the configured servers, so a retry goes to
/// the next server), adds the headers (content type, and the API key when there is one) and
/// decides about retries. `validate` checks a 2xx answer's JSON: a message from it means the
/// answer is malformed, which counts as a transient failure and is retried.
public struct HTTPRequest: Sendable {
    /// The endpoint path, e.g. `/v1/embeddings`.
    public var path: String
    /// The JSON body bytes.
    public var body: [UInt8]
    /// Checks a successful answer's JSON; returns what is wrong with it, or nil when it is usable.
    public var validate: (@Sendable (JSONValue) -> String?)?

    /// Creates a request with a JSON body.
    public init(path: String, json: JSONValue, validate: (@Sendable (JSONValue) -> String?)? = nil) {
        self.path = path
        self.body = Array(json.serialized().utf8)
        self.validate = validate
    }
}

/// A successful (2xx) answer with a well-formed JSON body.
public struct HTTPResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// The parsed body.
    public var json: JSONValue
    /// The raw body size in bytes.
    public var bodyBytes: Int
    /// Wall time of the attempt that succeeded, in seconds.
    public var latency: Double
    /// Wall time of all attempts together, in seconds (without the waits between them).
    public var totalLatency: Double
    /// How many attempts it took (1 when the first one succeeded).
    public var attempts: Int
    /// The server that answered.
    public var baseURL: String
}
