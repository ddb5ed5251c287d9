import Foundation
import Glibc
import HoneSDK

/// One end of the plugin host's channel to the `hone` process: a stream socket on file
/// descriptor 3 carrying length-prefixed frames, each a small JSON header and the exact bytes
/// of the text it carries (the plugin's own JSON, never re-encoded).
///
/// A frame is `[header length: UInt32 BE][payload length: UInt32 BE][header JSON][payload]`;
/// the host side is `PluginChannel` in the `Hone` library. Writes are serialized, so any
/// thread may send; reads happen on one thread only.
final class FrameChannel: @unchecked Sendable {
    /// The largest header accepted (1 MiB) and the largest payload (512 MiB).
    static let maximumHeader = 1 << 20
    static let maximumPayload = 512 << 20

    private let fd: Int32
    private let writeLock = NSLock()

    init(fd: Int32) { self.fd = fd }

    /// Sends one frame; returns false when the other side is gone.
    @discardableResult
    func send(_ header: JSONValue, payload: String = "") -> Bool {
        var head = Array(header.serialized().utf8)
        var body = Array(payload.utf8)
        var frame: [UInt8] = []
        frame.reserveCapacity(8 + head.count + body.count)
        for length in [head.count, body.count] {
            withUnsafeBytes(of: UInt32(length).bigEndian) { frame.append(contentsOf: $0) }
        }
        frame.append(contentsOf: head)
        frame.append(contentsOf: body)
        head = []; body = []
        return writeLock.withLock {
            frame.withUnsafeBytes { raw in
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
    }

    /// Reads one frame, or nil when the other side closed the channel or broke the format.
    func receive() -> (header: JSONValue, payload: String)? {
        guard let lengths = read(8) else { return nil }
        let headerLength = Int(lengths[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        let payloadLength = Int(lengths[4..<8].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        guard headerLength <= FrameChannel.maximumHeader, payloadLength <= FrameChannel.maximumPayload,
              let head = read(headerLength), let body = read(payloadLength),
              let header = try? JSONValue(parsingUTF8: head)
        else { return nil }
        return (header, String(decoding: body, as: UTF8.self))
    }

    private func read(_ count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let n = bytes.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress! + offset, count - offset, 0) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return nil }
            offset += n
        }
        return bytes
    }
}
