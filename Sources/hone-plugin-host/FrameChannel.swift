import HoneFrames
import HoneSDK
import Synchronization

/// One end of the plugin host's channel to the `hone` process: a stream socket on file
/// descriptor 3 carrying ``FrameCodec`` frames, each a small JSON header and the exact bytes of
/// the text it carries (the plugin's own JSON, never re-encoded); the host side is
/// `PluginChannel` in the `Hone` library. Writes are serialized, so any thread may send; reads
/// happen on one thread only.
final class FrameChannel: Sendable {
    private let fd: Int32
    /// Held while a frame is written, so frames from several threads never interleave.
    private let writing = Mutex(())

    init(fd: Int32) { self.fd = fd }

    /// Sends one frame; returns false when the other side is gone.
    @discardableResult
    func send(_ header: JSONValue, payload: String = "") -> Bool {
        let frame = FrameCodec.encode(header, payload: payload)
        return writing.withLock { _ in FrameCodec.send(frame, to: fd) }
    }

    /// Reads one frame, or nil when the other side closed the channel or broke the format.
    func receive() -> (header: JSONValue, payload: String)? {
        guard let prefix = FrameCodec.read(8, from: fd) else { return nil }
        let (headerLength, payloadLength) = FrameCodec.lengths(prefix)
        guard headerLength <= FrameCodec.maximumHeader, payloadLength <= FrameCodec.maximumPayload,
              let head = FrameCodec.read(headerLength, from: fd), let body = FrameCodec.read(payloadLength, from: fd),
              let header = try? JSONValue(parsingUTF8: head)
        else { return nil }
        return (header, String(decoding: body, as: UTF8.self))
    }
}
