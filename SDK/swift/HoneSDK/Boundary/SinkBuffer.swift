import CHoneABI

/// Collects the bytes written to a `hone_sink` and turns them into a string.
///
/// Use ``withSink(_:)`` to lend a sink to a C call; the buffer copies every write, as the ABI requires.
public final class SinkBuffer {
    /// The bytes received so far.
    public private(set) var bytes: [UInt8] = []

    /// Creates an empty buffer.
    public init() {}

    /// The bytes as UTF-8 text (invalid sequences repaired).
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Appends bytes; what a `hone_sink.write` does.
    public func append(_ pointer: UnsafePointer<CChar>?, _ length: Int) {
        guard let pointer, length > 0 else { return }
        pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
            bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
        }
    }

    /// Calls `body` with a sink that appends to this buffer. The sink is valid only inside `body`.
    public func withSink<R>(_ body: (UnsafeMutablePointer<hone_sink>) throws -> R) rethrows -> R {
        var sink = hone_sink(
            context: Unmanaged.passUnretained(self).toOpaque(),
            write: { context, bytes, length in
                guard let context else { return }
                Unmanaged<SinkBuffer>.fromOpaque(context).takeUnretainedValue().append(bytes, length)
            })
        return try withExtendedLifetime(self) { try body(&sink) }
    }
}

extension UnsafeMutablePointer where Pointee == hone_sink {
    /// Writes a Swift string into the sink (no-op for a sink without `write`).
    public func send(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                pointee.write?(pointee.context, chars.baseAddress, chars.count)
            }
        }
    }
}
