import CCurl
import Foundation

/// The thread that owns one libcurl multi handle and runs every transfer of an ``HTTPClient``.
///
/// Callers hand in transfers and block on their batch; the loop starts at most
/// `maxConcurrency` of them at once, drives them with `curl_multi_perform`/`curl_multi_poll`,
/// schedules retries on a timer (a waiting retry holds no connection and blocks nothing) and
/// reuses easy handles, so the multi handle's connection cache keeps connections alive across
/// batches. Only this thread touches curl handles; callers only take the lock and call
/// `curl_multi_wakeup`, which libcurl documents as safe from any thread.
///
/// `@unchecked Sendable`: it owns libcurl's multi and easy handles (raw pointers), which only
/// the loop thread touches; the state callers share with that thread (`inbox`, `cancelRequested`,
/// `stopping`) is guarded by `lock`, and the loop-thread state below is never read elsewhere.
final class CurlEventLoop: @unchecked Sendable {
    private let configuration: HTTPClientConfiguration
    private let multi: UnsafeMutableRawPointer
    private let headers: UnsafeMutablePointer<curl_slist>?
    private let finished = DispatchSemaphore(value: 0)

    private let lock = NSLock()
    private var inbox: [CurlTransfer] = []
    private var cancelRequested = false
    private var stopping = false

    // Loop-thread state.
    private var queue: [CurlTransfer] = []
    private var queueHead = 0
    private var waiting: [CurlTransfer] = []
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    private var idleHandles: [UnsafeMutableRawPointer] = []
    private var nextServer = 0

    /// libcurl's global initialization, done once per process.
    private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    init(configuration: HTTPClientConfiguration) throws {
        guard CurlEventLoop.globalInit == CURLE_OK else {
            throw BackendError("libcurl failed to initialize (\(String(cString: curl_easy_strerror(CurlEventLoop.globalInit)))); check the libcurl installation")
        }
        guard let multi = curl_multi_init() else {
            throw BackendError("libcurl could not create a multi handle; the process may be out of memory")
        }
        self.configuration = configuration
        self.multi = multi
        var list: UnsafeMutablePointer<curl_slist>? = nil
        for header in ["Content-Type: application/json", "Accept: application/json", "Expect:"] {
            list = curl_slist_append(list, header)
        }
        if let key = configuration.apiKey {
            list = curl_slist_append(list, "Authorization: Bearer \(key.value)")
        }
        headers = list
        let cached = configuration.maxConcurrency * max(1, configuration.baseURLs.count) + 4
        _ = hone_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, cached)
        let thread = Thread { [self] in run() }
        thread.name = "hone-http"
        thread.start()
    }

    /// Queues transfers and wakes the loop.
    func submit(_ transfers: [CurlTransfer]) {
        lock.withLock {
            if stopping {
                for t in transfers { t.batch.finish(t.index, .failure(HTTPFailure(kind: .cancelled, message: "the HTTP client was shut down", isTransient: false))) }
                return
            }
            inbox.append(contentsOf: transfers)
            curl_multi_wakeup(multi)
        }
    }

    /// Aborts every queued, waiting and running transfer at once; their callers get `cancelled`.
    func cancelAll() {
        lock.withLock {
            guard !stopping else { return }
            cancelRequested = true
            curl_multi_wakeup(multi)
        }
    }

    /// Stops the thread (aborting what is in flight) and frees the curl handles. Idempotent.
    func shutdown() {
        let first = lock.withLock { () -> Bool in
            if stopping { return false }
            stopping = true
            curl_multi_wakeup(multi)
            return true
        }
        guard first else { return }
        finished.wait()
    }

    private static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    private func run() {
        while true {
            let (incoming, cancel, stop) = lock.withLock { () -> ([CurlTransfer], Bool, Bool) in
                defer { inbox.removeAll(keepingCapacity: true); cancelRequested = false }
                return (inbox, cancelRequested, stopping)
            }
            queue.append(contentsOf: incoming)
            if stop || cancel {
                abortEverything(message: stop ? "the HTTP client was shut down" : "cancelled")
                if stop { break }
            }
            let now = CurlEventLoop.now()
            if !waiting.isEmpty {
                let (ready, later) = waiting.partitioned { $0.readyAt <= now }
                waiting = later
                queue.append(contentsOf: ready)
            }
            while active.count < configuration.maxConcurrency, queueHead < queue.count {
                let transfer = queue[queueHead]
                queueHead += 1
                start(transfer)
            }
            if queueHead > 64, queueHead * 2 > queue.count {
                queue.removeFirst(queueHead)
                queueHead = 0
            }
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            let completed = drainCompleted()
            if completed > 0 && queueHead < queue.count { continue }
            var timeoutMs: Int32 = 1000
            if let soonest = waiting.map(\.readyAt).min() {
                let current = CurlEventLoop.now()
                let wait = soonest > current ? (soonest - current) / 1_000_000 + 1 : 0
                timeoutMs = Int32(min(1000, wait))
            }
            curl_multi_poll(multi, nil, 0, timeoutMs, nil)
        }
        for (easy, _) in active {
            curl_multi_remove_handle(multi, easy)
            curl_easy_cleanup(easy)
        }
        active.removeAll()
        for easy in idleHandles { curl_easy_cleanup(easy) }
        idleHandles.removeAll()
        curl_multi_cleanup(multi)
        curl_slist_free_all(headers)
        finished.signal()
    }

    private func start(_ transfer: CurlTransfer) {
        let easy: UnsafeMutableRawPointer
        if let reused = idleHandles.popLast() {
            curl_easy_reset(reused)
            easy = reused
        } else if let fresh = curl_easy_init() {
            easy = fresh
        } else {
            transfer.batch.finish(transfer.index, .failure(HTTPFailure(kind: .transport, message: "libcurl could not create a transfer; the process may be out of memory", isTransient: false, attempts: transfer.attempts)))
            return
        }
        transfer.attempts += 1
        transfer.received.removeAll(keepingCapacity: true)
        transfer.overflowed = false
        transfer.errorBuffer[0] = 0
        transfer.baseURL = configuration.baseURLs[nextServer % configuration.baseURLs.count]
        nextServer &+= 1
        let url = transfer.baseURL + transfer.request.path
        _ = hone_curl_easy_setopt_string(easy, CURLOPT_URL, url)
        _ = hone_curl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        _ = hone_curl_easy_setopt_long(easy, CURLOPT_POST, 1)
        _ = hone_curl_easy_setopt_offset(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(transfer.request.body.count))
        transfer.request.body.withUnsafeBytes { bytes in
            _ = hone_curl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
        }
        _ = hone_curl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, headers)
        _ = hone_curl_easy_setopt_write_callback(easy, CURLOPT_WRITEFUNCTION, curlWriteCallback)
        _ = hone_curl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, Unmanaged.passUnretained(transfer).toOpaque())
        _ = hone_curl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(transfer.errorBuffer))
        _ = hone_curl_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Int(configuration.connectTimeout * 1000))
        _ = hone_curl_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, Int(configuration.timeout * 1000))
        _ = hone_curl_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1)
        _ = hone_curl_easy_setopt_string(easy, CURLOPT_USERAGENT, "hone")
        transfer.startedAt = CurlEventLoop.now()
        active[easy] = transfer
        curl_multi_add_handle(multi, easy)
    }

    private func drainCompleted() -> Int {
        var completed = 0
        var left: Int32 = 0
        while let message = curl_multi_info_read(multi, &left) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let code = message.pointee.data.result
            completed += 1
            finishAttempt(easy: easy, code: code)
        }
        return completed
    }

    private func finishAttempt(easy: UnsafeMutableRawPointer, code: CURLcode) {
        guard let transfer = active.removeValue(forKey: easy) else { return }
        var status = 0
        _ = hone_curl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        var retryAfter: curl_off_t = 0
        _ = hone_curl_easy_getinfo_offset(easy, CURLINFO_RETRY_AFTER, &retryAfter)
        curl_multi_remove_handle(multi, easy)
        idleHandles.append(easy)
        let now = CurlEventLoop.now()
        let latency = Double(now - transfer.startedAt) / 1e9
        transfer.totalLatency += latency
        let url = transfer.baseURL + transfer.request.path
        let outcome = HTTPAttemptOutcome.classify(
            curlCode: code, curlText: transfer.curlErrorText, status: status, body: transfer.received, url: url,
            timeout: configuration.timeout, overflowed: transfer.overflowed, maxBytes: transfer.maxBytes, apiKey: configuration.apiKey,
            validate: transfer.request.validate)
        switch outcome {
        case .success(let json):
            let response = HTTPResponse(status: status, json: json, bodyBytes: transfer.received.count, latency: latency,
                                        totalLatency: transfer.totalLatency, attempts: transfer.attempts, baseURL: transfer.baseURL)
            transfer.received = []
            transfer.batch.finish(transfer.index, .success(response))
        case .failure(let kind, let message, let transient):
            let hint: Double? = retryAfter > 0 ? Double(retryAfter) : nil
            if transient, let delay = configuration.retry.delay(beforeRetry: transfer.attempts, retryAfter: hint, unit: Double.random(in: 0..<1)) {
                transfer.readyAt = now + UInt64(delay * 1e9)
                waiting.append(transfer)
            } else {
                transfer.received = []
                transfer.batch.finish(transfer.index, .failure(HTTPFailure(kind: kind, message: message, isTransient: transient, attempts: transfer.attempts, totalLatency: transfer.totalLatency)))
            }
        }
    }

    private func abortEverything(message: String) {
        for (easy, transfer) in active {
            curl_multi_remove_handle(multi, easy)
            idleHandles.append(easy)
            transfer.batch.finish(transfer.index, .failure(HTTPFailure(kind: .cancelled, message: message, isTransient: false, attempts: transfer.attempts, totalLatency: transfer.totalLatency)))
        }
        active.removeAll()
        for transfer in queue[queueHead...] + waiting {
            transfer.batch.finish(transfer.index, .failure(HTTPFailure(kind: .cancelled, message: message, isTransient: false, attempts: transfer.attempts, totalLatency: transfer.totalLatency)))
        }
        queue.removeAll()
        queueHead = 0
        waiting.removeAll()
    }
}

extension Array {
    /// The elements that satisfy `belongs`, and the others, each in their original order.
    func partitioned(_ belongs: (Element) -> Bool) -> ([Element], [Element]) {
        var yes: [Element] = []
        var no: [Element] = []
        for e in self { if belongs(e) { yes.append(e) } else { no.append(e) } }
        return (yes, no)
    }
}
