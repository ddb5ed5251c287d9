import HoneSDK

#if canImport(Glibc)
import Glibc
#endif

/// The frame format between `hone` and a `hone-plugin-host` process, shared by both ends (the
/// `Hone` library's `PluginChannel` and the plugin host's `FrameChannel`).
///
/// A frame is `[header length: UInt32 BE][payload length: UInt32 BE][header JSON][payload]`: a
/// small JSON header and the exact bytes of the text it carries (the plugin's own JSON, never
/// re-encoded). Internal to this package (`package` access): the format is a private protocol
/// between `hone` and the helper it starts, not part of the plugin ABI.
package enum FrameCodec {
    /// The largest header accepted (1 MiB).
    package static let maximumHeader = 1 << 20
    /// The largest payload accepted (512 MiB).
    package static let maximumPayload = 512 << 20

    /// The bytes of one frame.
    package static func encode(_ header: JSONValue, payload: String) -> [UInt8] {
        let head = Array(header.serialized().utf8)
        var frame: [UInt8] = []
        frame.reserveCapacity(8 + head.count + payload.utf8.count)
        for length in [head.count, payload.utf8.count] {
            withUnsafeBytes(of: UInt32(length).bigEndian) { frame.append(contentsOf: $0) }
        }
        frame.append(contentsOf: head)
        frame.append(contentsOf: payload.utf8)
        return frame
    }

    /// The header and payload lengths a frame's first 8 bytes announce.
    package static func lengths(_ prefix: [UInt8]) -> (header: Int, payload: Int) {
        (Int(prefix[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }),
         Int(prefix[4..<8].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }))
    }

    /// Writes all of `bytes` to the socket `fd` (retrying on EINTR, never raising SIGPIPE);
    /// false when the other side is gone.
    package static func send(_ bytes: [UInt8], to fd: Int32) -> Bool {
        bytes.withUnsafeBytes { raw in
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

    /// Reads exactly `count` bytes from the socket `fd`, or nil when it closes first.
    package static func read(_ count: Int, from fd: Int32) -> [UInt8]? {
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
