import Foundation
/// An `ffi` metric could not be set up or called.
///
/// Set-up problems (library, symbol, signature) are found when the config is read, before any
/// example is scored; the message names the library, symbol or parameter and what to do.
public struct FFIMetricError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of problem it is.
    public enum Code: String, Sendable {
        /// `dlopen` failed.
        case libraryNotFound
        /// `dlsym` found no such symbol in the library.
        case symbolNotFound
        /// The signature is malformed or uses a type or shape the host cannot call.
        case unsupportedSignature
        /// libffi refused to prepare the call.
        case preparationFailed
        /// A text cannot be passed as the signature asks (e.g. it contains a NUL byte).
        case unusableText
        /// The function returned NaN or an infinity.
        case invalidResult
    }

    /// What kind of problem it is.
    public var code: Code
    /// What was wrong and what to do.
    public var message: String

    public var description: String { message }

    static func libraryNotFound(_ library: String, _ reason: String) -> FFIMetricError {
        FFIMetricError(code: .libraryNotFound, message: "cannot load library \"\(library)\": \(reason); give an absolute path or one relative to the config file, or a name on the library search path")
    }

    static func symbolNotFound(_ symbol: String, _ library: String) -> FFIMetricError {
        FFIMetricError(code: .symbolNotFound, message: "library \"\(library)\" has no symbol \"\(symbol)\"; check the name (C++ functions need extern \"C\") and that it is exported (`nm -D \(library)`)")
    }

    static func unsupportedSignature(_ signature: String, _ reason: String) -> FFIMetricError {
        FFIMetricError(code: .unsupportedSignature, message: "signature \"\(signature)\": \(reason)")
    }
}

extension FFIMetricError: LocalizedError {
    /// The same message as `description`, so `localizedDescription` reads as the CLI prints it.
    public var errorDescription: String? { description }
}
