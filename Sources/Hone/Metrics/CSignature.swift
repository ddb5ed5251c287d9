import Foundation

/// The C signature of a metric function, parsed from text such as
/// `double(const char*, const char*)` or `double (const char *prediction, long length, const char *reference)`.
///
/// Supported types: `int`, `long`, `float`, `double` (as return types), and `const char*`,
/// `char*`, `void*` (texts) and `int`, `long` (a text's length) as parameters. Parameter names
/// are optional. How parameters receive values is described in ``FFIMetric``.
public struct CSignature: Hashable, Sendable {
    /// A C type the host can pass or receive.
    public enum CType: String, Hashable, Sendable {
        /// `int` (32-bit).
        case int
        /// `long` (64-bit on Linux x86-64 and arm64).
        case long
        /// `float`.
        case float
        /// `double`.
        case double
        /// `const char*`: a NUL-terminated UTF-8 text the function only reads.
        case constCharPointer = "const char*"
        /// `char*`: a NUL-terminated UTF-8 text in a fresh buffer the function may modify.
        case charPointer = "char*"
        /// `void*`: the UTF-8 bytes of a text (NUL-terminated).
        case voidPointer = "void*"

        /// Whether this type carries a text.
        public var isText: Bool { self == .constCharPointer || self == .charPointer || self == .voidPointer }
        /// Whether this type is an integer.
        public var isInteger: Bool { self == .int || self == .long }
    }

    /// The return type.
    public var returnType: CType
    /// The parameter types, in order.
    public var parameters: [CType]
    /// The text as written in the config.
    public var text: String

    private static let keywords: Set<String> = ["int", "long", "float", "double", "char", "void", "const", "unsigned", "signed", "short", "struct", "volatile", "_Bool", "bool", "size_t"]

    /// Parses `text`; throws ``FFIMetricError`` (``FFIMetricError/Code/unsupportedSignature``)
    /// naming the part it cannot handle.
    public init(parsing text: String) throws {
        self.text = text
        func fail(_ reason: String) -> FFIMetricError { .unsupportedSignature(text, reason) }
        guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close,
              text[text.index(after: close)...].allSatisfy(\.isWhitespace) else {
            throw fail("expected the form return_type(parameter_type, ...), e.g. double(const char*, const char*)")
        }
        let returnTokens = try CSignature.tokens(String(text[..<open]), fail)
        guard let returnType = CSignature.type(of: returnTokens) else {
            let written = CSignature.spelled(returnTokens)
            throw fail("return type \"\(written.isEmpty ? "(none)" : written)\" is not supported; a metric returns int, long, float or double")
        }
        guard !returnType.isText else {
            throw fail("return type \"\(returnType.rawValue)\" is not supported; a metric returns a number: int, long, float or double")
        }
        self.returnType = returnType
        let inside = text[text.index(after: open)..<close]
        var parameters: [CType] = []
        let pieces = inside.split(separator: ",", omittingEmptySubsequences: false)
        let firstTokens = try CSignature.tokens(String(pieces[0]), fail)
        let isVoidList = pieces.count == 1 && firstTokens == ["void"]
        let isEmpty = pieces.count == 1 && pieces[0].allSatisfy(\.isWhitespace)
        if !isVoidList && !isEmpty {
            for (k, piece) in pieces.enumerated() {
                var tokens = try CSignature.tokens(String(piece), fail)
                if tokens.count > 1, let last = tokens.last, last != "*", !CSignature.keywords.contains(last) { tokens.removeLast() }
                guard let type = CSignature.type(of: tokens) else {
                    let written = CSignature.spelled(tokens)
                    throw fail("parameter \(k + 1) has type \"\(written.isEmpty ? "(none)" : written)\", which is not supported; use const char*, char* or void* for texts and int or long for a text's length")
                }
                parameters.append(type)
            }
        }
        self.parameters = parameters
    }

    /// Identifiers and `*`s of a declaration fragment.
    private static func tokens(_ s: String, _ fail: (String) -> FFIMetricError) throws -> [String] {
        var tokens: [String] = []
        var current = ""
        for c in s {
            if c.isLetter || c.isNumber || c == "_" { current.append(c); continue }
            if !current.isEmpty { tokens.append(current); current = "" }
            if c == "*" { tokens.append("*") } else if !c.isWhitespace {
                throw fail("unexpected \"\(c)\"; expected C type names such as const char* or double")
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    private static func spelled(_ tokens: [String]) -> String {
        tokens.joined(separator: " ").replacingOccurrences(of: " *", with: "*")
    }

    private static func type(of tokens: [String]) -> CType? {
        switch tokens {
        case ["int"], ["signed", "int"], ["signed"]: return .int
        case ["long"], ["long", "int"], ["signed", "long"], ["signed", "long", "int"]: return .long
        case ["float"]: return .float
        case ["double"]: return .double
        case ["const", "char", "*"], ["char", "const", "*"]: return .constCharPointer
        case ["char", "*"]: return .charPointer
        case ["void", "*"], ["const", "void", "*"], ["void", "const", "*"]: return .voidPointer
        default: return nil
        }
    }
}
