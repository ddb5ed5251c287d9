import CFFI
import Foundation
import HoneSDK

/// A metric written in C (or anything with a C ABI), called through libffi: the `ffi` evaluator.
///
/// A config names a shared library, a symbol and the function's C signature:
///
/// ```json
/// {"type": "ffi", "library": "metrics/libmymetric.so", "symbol": "my_score",
///  "signature": "double(const char*, const char*)"}
/// ```
///
/// Parameters receive, in order, the texts of the example: with two text parameters
/// (prediction, reference); with three (input, prediction, reference); with one (prediction).
/// A text parameter is `const char*` (NUL-terminated UTF-8), `char*` (a fresh, writable copy
/// each call) or `void*` (the UTF-8 bytes, NUL-terminated). An `int` or `long` parameter right
/// after a text parameter receives that text's length in bytes. The return type is `int`,
/// `long`, `float` or `double`; the value is the example's score.
///
/// The library is opened, the symbol found and the call interface prepared (`ffi_prep_cif`)
/// once, when the metric is created; each ``score(input:prediction:reference:)`` is one
/// `ffi_call`. A missing library or symbol or an unsupported signature is an
/// ``FFIMetricError`` then, never at scoring time.
///
/// > Warning: The host may score examples from several threads at once; the C function must be
/// > safe to call concurrently (a pure function of its arguments is).
///
/// `@unchecked Sendable`: it owns the `dlopen` handle, the function pointer and the prepared
/// libffi call interface (C memory), all immutable after `init`; `ffi_call` on a prepared
/// interface is safe from several threads, and the C function must be (see the warning).
public final class FFIMetric: @unchecked Sendable {
    /// What a parameter receives.
    enum Argument: Equatable {
        /// The text in slot 0 (input), 1 (prediction) or 2 (reference).
        case text(slot: Int, CSignature.CType)
        /// The byte length of the text in that slot.
        case length(slot: Int, CSignature.CType)
    }

    /// The library as named in the config (after resolving a relative path).
    public let library: String
    /// The function's name.
    public let symbol: String
    /// The parsed signature.
    public let signature: CSignature

    private let arguments: [Argument]
    private let handle: UnsafeMutableRawPointer
    private let function: UnsafeMutableRawPointer
    private let cif: UnsafeMutablePointer<ffi_cif>
    private let argumentTypes: UnsafeMutablePointer<UnsafeMutablePointer<ffi_type>?>

    /// Opens `library`, finds `symbol` and prepares a call with `signature`.
    public init(library: String, symbol: String, signature text: String) throws {
        let signature = try CSignature(parsing: text)
        arguments = try FFIMetric.arguments(for: signature)
        guard let handle = dlopen(library, RTLD_NOW | RTLD_LOCAL) else {
            throw FFIMetricError.libraryNotFound(library, dlerror().map { String(cString: $0) } ?? "dlopen failed")
        }
        _ = dlerror()
        guard let function = dlsym(handle, symbol) else {
            dlclose(handle)
            throw FFIMetricError.symbolNotFound(symbol, library)
        }
        self.library = library
        self.symbol = symbol
        self.signature = signature
        self.handle = handle
        self.function = function
        let count = signature.parameters.count
        argumentTypes = .allocate(capacity: max(count, 1))
        for (k, type) in signature.parameters.enumerated() { argumentTypes[k] = FFIMetric.ffiType(type) }
        cif = .allocate(capacity: 1)
        let status = ffi_prep_cif(cif, hone_ffi_default_abi(), UInt32(count), FFIMetric.ffiType(signature.returnType), count > 0 ? argumentTypes : nil)
        guard status == FFI_OK else {
            cif.deallocate()
            argumentTypes.deallocate()
            dlclose(handle)
            throw FFIMetricError(code: .preparationFailed, message: "libffi could not prepare a call to \(symbol) with signature \"\(text)\" (ffi_prep_cif status \(status.rawValue))")
        }
    }

    /// Reads `{"library", "symbol", "signature"}` (and an optional `"type": "ffi"`) at `config`'s
    /// JSON path. A relative library path containing `/` is resolved against `baseDirectory`;
    /// a bare name (`libfoo.so`) is looked up on the system's library search path. Problems
    /// are ``ConfigError``s at the member they concern.
    public convenience init(config o: ConfigObject, baseDirectory: String) throws {
        if let type = try o.optionalString("type"), type != "ffi" {
            throw ConfigError(path: o.path(of: "type"), message: "expected \"ffi\" for a C metric, found \"\(type)\"")
        }
        var library = try o.string("library")
        if library.contains("/") { library = PipelineConfig.resolve(library, against: baseDirectory) }
        let symbol = try o.string("symbol")
        let signature = try o.string("signature")
        try o.finish()
        do {
            try self.init(library: library, symbol: symbol, signature: signature)
        } catch let error as FFIMetricError {
            let key: String
            switch error.code {
            case .libraryNotFound: key = "library"
            case .symbolNotFound: key = "symbol"
            default: key = "signature"
            }
            throw ConfigError(path: o.path(of: key), message: error.message)
        }
    }

    deinit {
        cif.deallocate()
        argumentTypes.deallocate()
        dlclose(handle)
    }

    /// The example's score: one call of the C function. `input` is used only by signatures
    /// with three text parameters.
    public func score(input: String, prediction: String, reference: String) throws -> Double {
        let texts = [input, prediction, reference]
        let count = arguments.count
        // Each text as NUL-terminated UTF-8 bytes, in buffers that live through the call.
        var buffers: [UnsafeMutableBufferPointer<UInt8>] = []
        defer { for b in buffers { b.deallocate() } }
        let values = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * 8, alignment: 8)
        defer { values.deallocate() }
        let pointers = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: max(count, 1))
        defer { pointers.deallocate() }
        for (k, argument) in arguments.enumerated() {
            let slot = values + k * 8
            switch argument {
            case .text(let index, _):
                let utf8 = Array(texts[index].utf8)
                let followedByLength: Bool
                if k + 1 < count, case .length(index, _) = arguments[k + 1] { followedByLength = true } else { followedByLength = false }
                if !followedByLength, utf8.contains(0) {
                    throw FFIMetricError(code: .unusableText, message: "the \(FFIMetric.slotNames[index]) text contains a NUL byte, which would cut it short for \(symbol); add an int or long length parameter after it in the signature")
                }
                let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: utf8.count + 1)
                _ = buffer.initialize(from: utf8)
                buffer[utf8.count] = 0
                buffers.append(buffer)
                slot.storeBytes(of: UnsafeMutableRawPointer(buffer.baseAddress!), as: UnsafeMutableRawPointer.self)
            case .length(let index, let type):
                let length = texts[index].utf8.count
                if type == .int {
                    guard let value = Int32(exactly: length) else {
                        throw FFIMetricError(code: .unusableText, message: "the \(FFIMetric.slotNames[index]) text is \(length) bytes, too long for an int length; declare the parameter long")
                    }
                    slot.storeBytes(of: value, as: Int32.self)
                } else {
                    slot.storeBytes(of: Int(length), as: Int.self)
                }
            }
            pointers[k] = slot
        }
        var result = (UInt64(0), UInt64(0))
        let value: Double = withUnsafeMutableBytes(of: &result) { raw -> Double in
            ffi_call(cif, unsafeBitCast(function, to: (@convention(c) () -> Void).self), raw.baseAddress, count > 0 ? pointers : nil)
            switch signature.returnType {
            case .int: return Double(Int32(truncatingIfNeeded: raw.load(as: Int64.self)))
            case .long: return Double(raw.load(as: Int.self))
            case .float: return Double(raw.load(as: Float.self))
            default: return raw.load(as: Double.self)
            }
        }
        guard value.isFinite else {
            throw FFIMetricError(code: .invalidResult, message: "\(symbol) returned \(value); a metric must return a finite number")
        }
        return value
    }

    /// Scores every example; `inputs` may be empty when the signature takes no input text.
    public func scores(inputs: [String], predictions: [String], references: [String]) throws -> [Double] {
        precondition(predictions.count == references.count && (inputs.isEmpty || inputs.count == predictions.count))
        return try predictions.indices.map { k in
            try score(input: inputs.isEmpty ? "" : inputs[k], prediction: predictions[k], reference: references[k])
        }
    }

    /// Whether the function receives the example's input (a signature with three texts).
    public var usesInput: Bool { arguments.contains { if case .text(slot: 0, _) = $0 { return true }; return false } }

    private static let slotNames = ["input", "prediction", "reference"]

    /// Which value each parameter receives, or why the shape is not callable.
    static func arguments(for signature: CSignature) throws -> [Argument] {
        let textCount = signature.parameters.filter(\.isText).count
        let slots: [Int]
        switch textCount {
        case 1: slots = [1]
        case 2: slots = [1, 2]
        case 3: slots = [0, 1, 2]
        default:
            throw FFIMetricError.unsupportedSignature(signature.text, "it has \(textCount) text parameters; a metric takes (prediction), (prediction, reference) or (input, prediction, reference) as const char*, char* or void*")
        }
        var result: [Argument] = []
        var nextSlot = 0
        for (k, type) in signature.parameters.enumerated() {
            if type.isText {
                result.append(.text(slot: slots[nextSlot], type))
                nextSlot += 1
            } else if type.isInteger {
                guard k > 0, signature.parameters[k - 1].isText, case .text(let slot, _) = result[k - 1] else {
                    throw FFIMetricError.unsupportedSignature(signature.text, "parameter \(k + 1) (\(type.rawValue)) has no value to receive; an int or long parameter must follow a text parameter and receives its length in bytes")
                }
                result.append(.length(slot: slot, type))
            } else {
                throw FFIMetricError.unsupportedSignature(signature.text, "parameter \(k + 1) (\(type.rawValue)) has no value to receive; parameters are texts (const char*, char*, void*), each optionally followed by its length (int or long)")
            }
        }
        return result
    }

    private static func ffiType(_ type: CSignature.CType) -> UnsafeMutablePointer<ffi_type> {
        switch type {
        case .int: return hone_ffi_type_sint()
        case .long: return hone_ffi_type_slong()
        case .float: return hone_ffi_type_float()
        case .double: return hone_ffi_type_double()
        case .constCharPointer, .charPointer, .voidPointer: return hone_ffi_type_pointer()
        }
    }
}
