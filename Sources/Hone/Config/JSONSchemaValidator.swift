import HoneSDK

/// Checks a stage config against a plugin's JSON Schema, naming the JSON path of each problem.
///
/// Supported keywords (a subset of draft 2020-12 that plugin schemas use): `type` (string or
/// array of names), `properties`, `required`, `additionalProperties` (false or a schema),
/// `items`, `enum`, `const`, `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`,
/// `minLength`, `maxLength`, `minItems`, `maxItems`. Other keywords (`description`,
/// `default`, `title`, ...) are ignored.
enum JSONSchemaValidator {
    /// Throws the first violation found, as a ``ConfigError`` at `path`.
    static func validate(_ value: JSONValue, against schema: JSONValue, path: String = "$") throws {
        guard case .object(let s) = schema else { return }
        if let types = s["type"] {
            let names = types.arrayValue?.compactMap(\.stringValue) ?? [types.stringValue].compactMap { $0 }
            if !names.isEmpty && !names.contains(where: { matches(value, type: $0) }) {
                throw ConfigError(path: path, message: "expected \(names.joined(separator: " or ")), found \(value.typeName)")
            }
        }
        if let allowed = s["enum"]?.arrayValue, !allowed.contains(value) {
            throw ConfigError(path: path, message: "unknown value \(value.serialized()); expected one of \(allowed.map { $0.serialized() }.joined(separator: ", "))")
        }
        if let constant = s["const"], constant != value {
            throw ConfigError(path: path, message: "expected \(constant.serialized()), found \(value.serialized())")
        }
        switch value {
        case .number(let n):
            if let m = s["minimum"]?.doubleValue, n < m { throw ConfigError(path: path, message: "\(JSONValue.number(n).serialized()) is below the minimum \(JSONValue.number(m).serialized())") }
            if let m = s["maximum"]?.doubleValue, n > m { throw ConfigError(path: path, message: "\(JSONValue.number(n).serialized()) is above the maximum \(JSONValue.number(m).serialized())") }
            if let m = s["exclusiveMinimum"]?.doubleValue, n <= m { throw ConfigError(path: path, message: "\(JSONValue.number(n).serialized()) must be greater than \(JSONValue.number(m).serialized())") }
            if let m = s["exclusiveMaximum"]?.doubleValue, n >= m { throw ConfigError(path: path, message: "\(JSONValue.number(n).serialized()) must be less than \(JSONValue.number(m).serialized())") }
        case .string(let str):
            if let m = s["minLength"]?.intValue, str.count < m { throw ConfigError(path: path, message: "string is shorter than \(m) characters") }
            if let m = s["maxLength"]?.intValue, str.count > m { throw ConfigError(path: path, message: "string is longer than \(m) characters") }
        case .array(let items):
            if let m = s["minItems"]?.intValue, items.count < m { throw ConfigError(path: path, message: "expected at least \(m) items, found \(items.count)") }
            if let m = s["maxItems"]?.intValue, items.count > m { throw ConfigError(path: path, message: "expected at most \(m) items, found \(items.count)") }
            if let itemSchema = s["items"] {
                for (i, item) in items.enumerated() { try validate(item, against: itemSchema, path: "\(path)[\(i)]") }
            }
        case .object(let members):
            for key in s["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where members[key] == nil {
                throw ConfigError(path: "\(path).\(key)", message: "missing required member")
            }
            let properties = s["properties"]?.objectValue ?? [:]
            for key in members.keys.sorted() {
                let memberPath = "\(path).\(key)"
                if let p = properties[key] {
                    try validate(members[key]!, against: p, path: memberPath)
                } else if let additional = s["additionalProperties"] {
                    if additional == .bool(false) {
                        let known = properties.keys.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
                        throw ConfigError(path: memberPath, message: "unknown key \"\(key)\"; expected one of \(known)")
                    }
                    try validate(members[key]!, against: additional, path: memberPath)
                }
            }
        default: break
        }
    }

    private static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string),
             ("array", .array), ("object", .object): return true
        case ("integer", .number(let n)): return n == n.rounded()
        default: return false
        }
    }
}
