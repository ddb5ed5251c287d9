import Foundation
import HoneFrames
import HoneSDK

#if canImport(Glibc)
import Glibc
#endif

/// The `hone` end of the channel to a `hone-plugin-host` process: a stream socket carrying
/// length-prefixed frames, each a small JSON header and the exact bytes of the text it carries
/// (the plugin's own JSON, never re-encoded).
///
/// The frame format is ``FrameCodec``'s (shared with `hone-plugin-host`). Used by one thread at a time.
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

    let fd: Int32

    /// Wraps the connected socket `fd`, which the channel closes when it goes.
    init(fd: Int32) { self.fd = fd }

    deinit { close(fd) }

    /// Sends one frame; false when the process is gone (never raises SIGPIPE).
    @discardableResult
    func send(_ header: JSONValue, payload: String = "") -> Bool {
        FrameCodec.send(FrameCodec.encode(header, payload: payload), to: fd)
    }

    /// Waits up to `seconds` for the start of a frame, then reads all of it.
    func receive(waiting seconds: Double) -> Received {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&poller, 1, Int32(max(0, seconds * 1000)))
        if ready == 0 || (ready < 0 && errno == EINTR) { return .nothing }
        guard let prefix = FrameCodec.read(8, from: fd) else { return .closed }
        let (headerLength, payloadLength) = FrameCodec.lengths(prefix)
        guard headerLength <= FrameCodec.maximumHeader, payloadLength <= FrameCodec.maximumPayload else {
            return .malformed("a frame announces \(headerLength) header and \(payloadLength) payload bytes, over the limits of \(FrameCodec.maximumHeader) and \(FrameCodec.maximumPayload)")
        }
        guard let head = FrameCodec.read(headerLength, from: fd), let body = FrameCodec.read(payloadLength, from: fd) else { return .closed }
        guard let header = try? JSONValue(parsingUTF8: head), header.objectValue != nil else {
            return .malformed("a frame header is not a JSON object")
        }
        return .frame(header: header, payload: String(decoding: body, as: UTF8.self))
    }
}
