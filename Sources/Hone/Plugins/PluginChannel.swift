import Foundation
import HoneSDK

#if canImport(Glibc)
import Glibc
#endif

/// The `hone` end of the channel to a `hone-plugin-host` process: a stream socket carrying
/// length-prefixed frames, each a small JSON header and the exact bytes of the text it carries
/// (the plugin's own JSON, never re-encoded).
///
/// A frame is `[header length: UInt32 BE][payload length: UInt32 BE][header JSON][payload]`,
/// the format of `Sources/hone-plugin-host/FrameChannel.swift`. Used by one thread at a time.
final class PluginChannel {
    /// What one wait for a frame gave.
    enum Received {
        /// A frame.
        case frame(header: JSONValue, payload: String)
        /// Nothing arrived in the time given.
        case nothing
        /// The process closed its end (it exited or was killed).
        case closed
        /// Bytes that are not a frame.
        case malformed(String)
    }

    /// The largest header accepted (1 MiB) and the largest payload (512 MiB).
    static let maximumHeader = 1 << 20
    static let maximumPayload = 512 << 20

    let fd: Int32

    /// Wraps the connected socket `fd`, which the channel closes when it goes.
    init(fd: Int32) { self.fd = fd }

    deinit { close(fd) }

    /// Sends one frame; false when the process is gone (never raises SIGPIPE).
    @discardableResult
    func send(_ header: JSONValue, payload: String = "") -> Bool {
        let head = Array(header.serialized().utf8)
        var frame: [UInt8] = []
        frame.reserveCapacity(8 + head.count + payload.utf8.count)
        for length in [head.count, payload.utf8.count] {
            withUnsafeBytes(of: UInt32(length).bigEndian) { frame.append(contentsOf: $0) }
        }
        frame.append(contentsOf: head)
        frame.append(contentsOf: payload.utf8)
        return frame.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
    }

    /// Waits up to `seconds` for the start of a frame, then reads all of it.
    func receive(waiting seconds: Double) -> Received {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&poller, 1, Int32(max(0, seconds * 1000)))
        if ready == 0 || (ready < 0 && errno == EINTR) { return .nothing }
        guard let lengths = read(8) else { return .closed }
        let headerLength = Int(lengths[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        let payloadLength = Int(lengths[4..<8].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        guard headerLength <= PluginChannel.maximumHeader, payloadLength <= PluginChannel.maximumPayload else {
            return .malformed("a frame announces \(headerLength) header and \(payloadLength) payload bytes, over the limits of \(PluginChannel.maximumHeader) and \(PluginChannel.maximumPayload)")
        }
        guard let head = read(headerLength), let body = read(payloadLength) else { return .closed }
        guard let header = try? JSONValue(parsingUTF8: head), header.objectValue != nil else {
            return .malformed("a frame header is not a JSON object")
        }
        return .frame(header: header, payload: String(decoding: body, as: UTF8.self))
    }

    private func read(_ count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let n = bytes.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + offset, count - offset, 0) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return nil }
            offset += n
        }
        return bytes
    }
}
