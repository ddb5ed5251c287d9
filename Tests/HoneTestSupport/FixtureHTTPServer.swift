import Foundation
import HoneSDK
#if canImport(Glibc)
import Glibc
#endif

/// A test fixture: a tiny HTTP/1.1 server in the test process, on `127.0.0.1:0` (a free
/// loopback port), answering with whatever the test's handler says.
///
/// It exists to replay the documented answer formats of OpenAI, vLLM and llama.cpp's server
/// (see ``FixtureReplies``) and to misbehave on purpose: slow answers, 429 with `Retry-After`,
/// 5xx, malformed JSON, truncated bodies, dropped connections. Plain POSIX sockets, a thread per
/// connection, keep-alive. It records every request so tests can check what was sent.
/// It is not a server for anything but tests and benchmarks.
public final class FixtureHTTPServer: @unchecked Sendable {
    /// A request as the fixture received it.
    public struct Request: Sendable {
        /// The method, e.g. `POST`.
        public var method: String
        /// The path, e.g. `/v1/chat/completions`.
        public var path: String
        /// Header fields, names lowercased.
        public var headers: [String: String]
        /// The body bytes.
        public var body: [UInt8]
        /// The body parsed as JSON (`.null` when it is not JSON).
        public var json: JSONValue { (try? JSONValue(parsingUTF8: body)) ?? .null }
        /// The body as text.
        public var text: String { String(decoding: body, as: UTF8.self) }
        /// 0 for the first request the server saw, 1 for the next, and so on.
        public var sequence: Int
    }

    /// What the fixture does with a request.
    public enum Reply: Sendable {
        /// Answers with `status` and `body` after `delay` seconds, with extra header fields.
        case respond(status: Int, body: String, headers: [String: String] = [:], delay: Double = 0)
        /// Declares `declaredLength` bytes, sends only `body`, then closes the connection.
        case truncated(body: String, declaredLength: Int)
        /// Closes the connection without answering.
        case drop
        /// Sends these bytes verbatim, then closes the connection.
        case raw(String)

        /// A 200 answer with a JSON body.
        public static func ok(_ body: String, delay: Double = 0) -> Reply {
            .respond(status: 200, body: body, delay: delay)
        }
    }

    /// The port the fixture listens on.
    public let port: Int
    /// `http://127.0.0.1:<port>`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    private let listener: Int32
    private let handler: @Sendable (Request) -> Reply
    private let lock = NSLock()
    private var received: [Request] = []
    private var connections: Set<Int32> = []
    private var stopped = false
    private var connectionCount = 0

    /// Starts listening on a free loopback port; `handler` decides every answer (it is called
    /// from the fixture's connection threads, several at once).
    public init(handler: @escaping @Sendable (Request) -> Reply) throws {
        self.handler = handler
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw FixtureError("socket() failed: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 256) == 0 else {
            close(fd)
            throw FixtureError("bind/listen on 127.0.0.1 failed: errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = fd
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "fixture-accept"
        thread.start()
    }

    deinit { stop() }

    /// Every request received so far, in arrival order.
    public var requests: [Request] { lock.withLock { received } }

    /// Connections accepted so far (a measure of connection reuse).
    public var acceptedConnections: Int { lock.withLock { connectionCount } }

    /// Stops listening and closes every open connection.
    public func stop() {
        let open: Set<Int32>? = lock.withLock {
            if stopped { return nil }
            stopped = true
            return connections
        }
        guard let open else { return }
        Glibc.shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for fd in open { Glibc.shutdown(fd, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop() {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                return
            }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let accepted = lock.withLock { () -> Bool in
                if stopped { return false }
                connections.insert(fd)
                connectionCount += 1
                return true
            }
            guard accepted else { close(fd); return }
            let thread = Thread { [self] in serve(fd) }
            thread.name = "fixture-connection"
            thread.start()
        }
    }

    private func serve(_ fd: Int32) {
        defer {
            lock.withLock { _ = connections.remove(fd) }
            close(fd)
        }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            // Read the head.
            var headEnd: Int?
            while headEnd == nil {
                if let range = FixtureHTTPServer.find([13, 10, 13, 10], in: buffer) { headEnd = range; break }
                let n = read(fd, &chunk, chunk.count)
                if n <= 0 { return }
                buffer.append(contentsOf: chunk[0..<n])
            }
            let head = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
            var lines = head.components(separatedBy: "\r\n")
            let requestLine = lines.removeFirst().split(separator: " ")
            guard requestLine.count >= 2 else { return }
            var headers: [String: String] = [:]
            for line in lines {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let length = Int(headers["content-length"] ?? "0") ?? 0
            let bodyStart = headEnd! + 4
            while buffer.count < bodyStart + length {
                let n = read(fd, &chunk, chunk.count)
                if n <= 0 { return }
                buffer.append(contentsOf: chunk[0..<n])
            }
            let body = Array(buffer[bodyStart..<(bodyStart + length)])
            buffer.removeFirst(bodyStart + length)
            let request = lock.withLock { () -> Request in
                let r = Request(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: body, sequence: received.count)
                received.append(r)
                return r
            }
            switch handler(request) {
            case .respond(let status, let text, let extra, let delay):
                if delay > 0 { usleep(useconds_t(delay * 1_000_000)) }
                let bytes = Array(text.utf8)
                var response = "HTTP/1.1 \(status) \(FixtureHTTPServer.reason(status))\r\nContent-Type: application/json\r\nContent-Length: \(bytes.count)\r\n"
                for (k, v) in extra { response += "\(k): \(v)\r\n" }
                response += "\r\n"
                guard FixtureHTTPServer.send(fd, Array(response.utf8) + bytes) else { return }
            case .truncated(let text, let declared):
                let bytes = Array(text.utf8)
                let response = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(declared)\r\n\r\n"
                _ = FixtureHTTPServer.send(fd, Array(response.utf8) + bytes)
                return
            case .drop:
                return
            case .raw(let text):
                _ = FixtureHTTPServer.send(fd, Array(text.utf8))
                return
            }
        }
    }

    private static func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 404: return "Not Found"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 503: return "Service Unavailable"
        default: return "Status"
        }
    }
}

/// The fixture server could not start.
public struct FixtureError: Error, CustomStringConvertible {
    /// What failed.
    public var description: String
    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
