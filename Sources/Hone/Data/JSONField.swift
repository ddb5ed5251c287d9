import HoneSDK

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
