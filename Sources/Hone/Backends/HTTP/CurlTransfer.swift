import CCurl
import Foundation

/// One request's life inside the ``CurlEventLoop``: its attempts, the bytes received so far,
/// and where its result goes. Owned by the loop thread while in flight.
final class CurlTransfer {
    let request: HTTPRequest
    let batch: CurlBatch
    let index: Int
    /// Attempts started so far.
    var attempts = 0
    /// Wall time of finished attempts, in seconds.
    var totalLatency = 0.0
    /// The answer's bytes (the current attempt's).
    var received: [UInt8] = []
    /// Set when the answer passed the size limit (the write callback then stops the transfer).
    var overflowed = false
    /// Monotonic time (ns) at which a retry may start.
    var readyAt: UInt64 = 0
    /// Monotonic time (ns) at which the current attempt started.
    var startedAt: UInt64 = 0
    /// The server of the current attempt.
    var baseURL = ""
    /// The size limit of an answer.
    let maxBytes: Int
    /// curl's error text for the current attempt.
    let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    init(request: HTTPRequest, batch: CurlBatch, index: Int, maxBytes: Int) {
        self.request = request
        self.batch = batch
        self.index = index
        self.maxBytes = maxBytes
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit { errorBuffer.deallocate() }

    /// curl's error text of the current attempt, if it wrote one.
    var curlErrorText: String? {
        errorBuffer[0] == 0 ? nil : String(cString: errorBuffer)
    }
}

/// The requests of one ``HTTPClient/perform(_:)`` call: where results are collected and where
/// the calling thread waits for the last one.
///
/// `@unchecked Sendable`: every access to `results` and `remaining` holds `condition`, an
/// `NSCondition` because the caller waits on it (a `Mutex` offers no wait).
final class CurlBatch: @unchecked Sendable {
    private let condition = NSCondition()
    private var results: [Result<HTTPResponse, HTTPFailure>?]
    private var remaining: Int

    init(count: Int) {
        results = Array(repeating: nil, count: count)
        remaining = count
    }

    /// Records the final result of request `index`.
    func finish(_ index: Int, _ result: Result<HTTPResponse, HTTPFailure>) {
        condition.lock()
        if results[index] == nil {
            results[index] = result
            remaining -= 1
            if remaining == 0 { condition.broadcast() }
        }
        condition.unlock()
    }

    /// Blocks until every request has a result; returns them in request order.
    func wait() -> [Result<HTTPResponse, HTTPFailure>] {
        condition.lock()
        while remaining > 0 { condition.wait() }
        let done = results.map { $0! }
        condition.unlock()
        return done
    }
}

/// libcurl's write callback: appends the received bytes to the transfer's buffer.
let curlWriteCallback: hone_curl_write_callback = { data, size, count, context in
    guard let data, let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    let n = size * count
    if transfer.received.count + n > transfer.maxBytes {
        transfer.overflowed = true
        return 0
    }
    data.withMemoryRebound(to: UInt8.self, capacity: n) { bytes in
        transfer.received.append(contentsOf: UnsafeBufferPointer(start: bytes, count: n))
    }
    return n
}
