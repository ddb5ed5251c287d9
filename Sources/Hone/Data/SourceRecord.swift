import HoneSDK

/// One example as a format reader produced it, before labels are checked and splits are made.
struct SourceRecord: Sendable {
    /// The file it came from.
    var file: String
    /// 1-based line, for line-oriented formats.
    var line: Int?
    /// Which record, for whole-document formats (e.g. `examples[3]`, `"17"`).
    var record: String?
    /// The input text.
    var input: String
    /// The label (for generation tasks, the reference), or nil if the record has none.
    var label: String?

    /// A data error located at this record.
    func error(_ message: String) -> DataError {
        DataError(file: file, line: line, record: record, message: message)
    }
}

/// Reading a named member of a JSON record as text.
enum JSONField {
    /// The text of `object[key]`: a string as is, an integer without a decimal point, any other
    /// number, true or false as JSON writes them. Nil if the member is absent or null; throws
    /// (a message) for arrays and objects.
    static func text(_ object: [String: JSONValue], _ key: String) -> Result<String?, FieldProblem> {
        guard let value = object[key], !value.isNull else { return .success(nil) }
        switch value {
        case .string(let s): return .success(s)
        case .number(let n):
            if n == n.rounded(), abs(n) < 1e15 { return .success(String(Int64(n))) }
            return .success(value.serialized())
        case .bool(let b): return .success(b ? "true" : "false")
        default: return .failure(FieldProblem(message: "member \"\(key)\" is \(value.typeName); expected text or a number"))
        }
    }

    /// Why a member could not be read as text.
    struct FieldProblem: Error {
        let message: String
    }
}
