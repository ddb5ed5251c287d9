import Foundation

/// A blocking, thread-safe JSON-over-HTTP client on libcurl's multi interface.
///
/// ``perform(_:)`` runs a batch with up to `maxConcurrency` transfers in flight (a limit shared
/// by every thread using this client), reuses connections across batches, spreads requests
/// round-robin over the base URLs, applies connect and total timeouts, and retries transient
/// failures per the ``RetryPolicy`` honouring `Retry-After`. It is meant for the host's
/// dedicated (non-cooperative) stage threads: it blocks the calling thread, never Swift's pool.
///
/// > Warning: Call ``shutdown()`` (or drop the last reference) to stop the client's thread;
/// > transfers still in flight then fail as cancelled.
final class HTTPClient: Sendable {
    /// How the client talks to its servers.
    let configuration: HTTPClientConfiguration
    private let loop: CurlEventLoop

    /// Creates a client and starts its thread.
    init(configuration: HTTPClientConfiguration) throws {
        self.configuration = configuration
        loop = try CurlEventLoop(configuration: configuration)
    }

    deinit { loop.shutdown() }

    /// Runs `requests` and blocks until each has its final result, returned in request order.
    /// A failure of one request never affects the others.
    func perform(_ requests: [HTTPRequest]) -> [Result<HTTPResponse, HTTPFailure>] {
        guard !requests.isEmpty else { return [] }
        let batch = CurlBatch(count: requests.count)
        let transfers = requests.enumerated().map { i, r in
            CurlTransfer(request: r, batch: batch, index: i, maxBytes: configuration.maxResponseBytes)
        }
        loop.submit(transfers)
        return batch.wait()
    }

    /// Aborts every transfer in flight, queued or waiting for a retry, at once: their callers
    /// get a `cancelled` failure. Later calls to ``perform(_:)`` run normally.
    func cancelAll() {
        loop.cancelAll()
    }

    /// Stops the client's thread, failing whatever is still in flight as cancelled.
    func shutdown() {
        loop.shutdown()
    }
}
