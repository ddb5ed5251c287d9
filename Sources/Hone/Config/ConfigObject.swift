import HoneSDK

/// Reads one JSON object of a config, keeping the JSON path for errors and the set of keys
/// read so that ``finish()`` can reject unknown keys.
public final class ConfigObject {
    /// The members.
    public let members: [String: JSONValue]
    /// JSON path of this object, e.g. `$.task`.
    public let path: String
    private var read: Set<String> = []

    /// Wraps `value`, which must be an object.
    public init(_ value: JSONValue, path: String) throws {
        guard case .object(let members) = value else {
            throw ConfigError(path: path, message: "expected an object, found \(value.typeName)")
        }
        self.members = members
        self.path = path
    }

    /// The path of member `key`.
    public func path(of key: String) -> String { "\(path).\(key)" }

    /// Whether the member is present (and not null).
    public func has(_ key: String) -> Bool {
        if let v = members[key], !v.isNull { return true }
        return false
    }

    /// The raw member, marking it read.
    public func value(_ key: String) -> JSONValue? {
        read.insert(key)
        if let v = members[key], !v.isNull { return v }
        return nil
    }

    private func require(_ key: String, _ expected: String) throws -> JSONValue {
        guard let v = value(key) else {
            throw ConfigError(path: path(of: key), message: "missing required member; expected \(expected)")
        }
        return v
    }

    private func mismatch(_ key: String, _ expected: String, _ found: JSONValue) -> ConfigError {
        ConfigError(path: path(of: key), message: "expected \(expected), found \(found.typeName)")
    }

    /// A required string.
    public func string(_ key: String) throws -> String {
        let v = try require(key, "a string")
        guard let s = v.stringValue else { throw mismatch(key, "a string", v) }
        return s
    }

    /// An optional string.
    public func optionalString(_ key: String) throws -> String? {
        guard let v = value(key) else { return nil }
        guard let s = v.stringValue else { throw mismatch(key, "a string", v) }
        return s
    }

    /// An optional string that must be one of `allowed`.
    public func optionalChoice(_ key: String, _ allowed: [String]) throws -> String? {
        guard let s = try optionalString(key) else { return nil }
        guard allowed.contains(s) else {
            throw ConfigError(path: path(of: key), message: "unknown value \"\(s)\"; expected one of \(allowed.map { "\"\($0)\"" }.joined(separator: ", "))")
        }
        return s
    }

    /// An optional whole number within `range`.
    public func optionalInt(_ key: String, in range: ClosedRange<Int> = Int.min...Int.max) throws -> Int? {
        guard let v = value(key) else { return nil }
        guard let i = v.intValue else { throw mismatch(key, "an integer", v) }
        guard range.contains(i) else {
            throw ConfigError(path: path(of: key), message: "\(i) is out of range; expected an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return i
    }

    /// An optional number within `range`.
    public func optionalDouble(_ key: String, in range: ClosedRange<Double> = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude) throws -> Double? {
        guard let v = value(key) else { return nil }
        guard let d = v.doubleValue else { throw mismatch(key, "a number", v) }
        guard range.contains(d) else {
            throw ConfigError(path: path(of: key), message: "\(d) is out of range; expected a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return d
    }

    /// An optional Boolean.
    public func optionalBool(_ key: String) throws -> Bool? {
        guard let v = value(key) else { return nil }
        guard let b = v.boolValue else { throw mismatch(key, "true or false", v) }
        return b
    }

    /// An optional array of strings.
    public func optionalStringArray(_ key: String) throws -> [String]? {
        guard let v = value(key) else { return nil }
        guard let a = v.arrayValue else { throw mismatch(key, "an array of strings", v) }
        return try a.enumerated().map { i, e in
            guard let s = e.stringValue else {
                throw ConfigError(path: "\(path(of: key))[\(i)]", message: "expected a string, found \(e.typeName)")
            }
            return s
        }
    }

    /// A required array; `each` reads element `i` at its path.
    public func array<T>(_ key: String, nonEmpty: Bool = false, _ each: (JSONValue, String) throws -> T) throws -> [T] {
        let v = try require(key, "an array")
        guard let a = v.arrayValue else { throw mismatch(key, "an array", v) }
        if nonEmpty && a.isEmpty { throw ConfigError(path: path(of: key), message: "expected a non-empty array") }
        return try a.enumerated().map { i, e in try each(e, "\(path(of: key))[\(i)]") }
    }

    /// A required nested object.
    public func object(_ key: String) throws -> ConfigObject {
        try ConfigObject(try require(key, "an object"), path: path(of: key))
    }

    /// An optional nested object.
    public func optionalObject(_ key: String) throws -> ConfigObject? {
        guard let v = value(key) else { return nil }
        return try ConfigObject(v, path: path(of: key))
    }

    /// Rejects members that were never read: a misspelt key is an error, not silently ignored.
    public func finish() throws {
        let unknown = members.keys.filter { !read.contains($0) }.sorted()
        guard let first = unknown.first else { return }
        let known = read.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
        throw ConfigError(path: path(of: first), message: "unknown key \"\(first)\"; expected one of \(known)")
    }
}
