import Foundation

/// Why a wire document (a run request or result, an evaluate request, a backend call) could
/// not be read, in words for the plugin author: where in the document (a JSON path such as
/// `$.best_prompt.text`), what was expected there and what arrived. No Swift type names.
public struct WireDecodingFailure: Error, CustomStringConvertible, Sendable {
    /// The JSON path of the problem (`$` for the whole document).
    public let path: String
    /// What was expected and what arrived, e.g. `expected a string, found the integer 3`.
    public let problem: String

    /// `at $.best_prompt.text: expected a string, found the integer 3`.
    public var description: String { "at \(path): \(problem)" }

    /// Creates a failure from its parts.
    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    /// Describes why `text` could not be decoded: a JSON syntax error, else the decoding error
    /// with the value found at its path.
    public init(decoding error: Error, text: String) {
        let document: JSONValue
        do {
            document = try JSONValue(parsing: text)
        } catch let syntax as JSONSyntaxError {
            self.init(path: "$", problem: "not valid JSON (line \(syntax.line), column \(syntax.column): \(syntax.message))")
            return
        } catch {
            self.init(path: "$", problem: "not valid JSON (\(error))")
            return
        }
        guard let decoding = error as? DecodingError else {
            self.init(path: "$", problem: "\(error)")
            return
        }
        switch decoding {
        case .typeMismatch(let type, let context):
            let found = WireDecodingFailure.value(at: context.codingPath, in: document)
            self.init(path: WireDecodingFailure.jsonPath(context.codingPath),
                      problem: "expected \(WireDecodingFailure.article(type)), found \(found.map(WireDecodingFailure.show) ?? "nothing")")
        case .valueNotFound(let type, let context):
            self.init(path: WireDecodingFailure.jsonPath(context.codingPath), problem: "expected \(WireDecodingFailure.article(type)), found null")
        case .keyNotFound(let key, let context):
            self.init(path: WireDecodingFailure.jsonPath(context.codingPath), problem: "missing required member \"\(key.stringValue)\"")
        case .dataCorrupted(let context):
            self.init(path: WireDecodingFailure.jsonPath(context.codingPath), problem: context.debugDescription)
        @unknown default:
            self.init(path: "$", problem: "\(decoding)")
        }
    }

    /// `$.prompts[0].text` for a coding path.
    static func jsonPath(_ codingPath: [CodingKey]) -> String {
        codingPath.reduce("$") { path, key in
            key.intValue.map { "\(path)[\($0)]" } ?? "\(path).\(key.stringValue)"
        }
    }

    /// The value at `codingPath` in `document`, if there is one.
    static func value(at codingPath: [CodingKey], in document: JSONValue) -> JSONValue? {
        var current: JSONValue? = document
        for key in codingPath {
            if let index = key.intValue, let array = current?.arrayValue {
                current = array.indices.contains(index) ? array[index] : nil
            } else {
                current = current?[key.stringValue]
            }
        }
        return current
    }

    /// `a string`, `a number`, `an object` for the Swift type a decoder wanted.
    static func article(_ type: Any.Type) -> String {
        let name = "\(type)"
        if name.hasPrefix("Array<") || name.hasPrefix("[") { return "an array" }
        if name.hasPrefix("Dictionary<") { return "an object" }
        switch name {
        case "String": return "a string"
        case "Bool": return "a boolean (true or false)"
        case "Int", "Int32", "Int64", "UInt", "UInt32", "UInt64": return "an integer"
        case "Double", "Float": return "a number"
        default: return "an object"
        }
    }

    /// `the integer 3`, `the string "abc"`, `an object` (long values shortened).
    static func show(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return "the boolean \(b)"
        case .number: return "the \(value.typeName) \(value.serialized())"
        case .string(let s): return "the string \(JSONValue.string(s.count > 60 ? String(s.prefix(60)) + "…" : s).serialized())"
        case .array(let a): return "an array of \(a.count)"
        case .object: return "an object"
        }
    }
}

extension WireDecodingFailure: LocalizedError {
    /// The same message as `description`, so `localizedDescription` reads as the CLI prints it.
    public var errorDescription: String? { description }
}
