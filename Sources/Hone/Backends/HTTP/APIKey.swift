import Foundation

/// An API key, read from one environment variable and never printed.
///
/// Its `description` is `[redacted]`, so string interpolation into logs or errors cannot leak
/// it; the only place the value goes is the `Authorization` header. ``redact(_:)`` removes it
/// from text that came back from a server (some servers echo request headers in errors).
struct APIKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    let value: String
    /// The environment variable it came from (safe to show).
    let variable: String

    /// Reads the key from `variable`; throws when the variable is unset or empty.
    init(fromEnvironment variable: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let value = environment[variable], !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw BackendError("the API key variable \(variable) is not set; export it (e.g. `export \(variable)=...`) or remove api_key_env for a server without keys")
        }
        self.value = value.trimmingCharacters(in: .whitespacesAndNewlines)
        self.variable = variable
    }

    /// Always `[redacted]`.
    var description: String { "[redacted]" }
    /// The variable's name and `[redacted]`.
    var debugDescription: String { "APIKey(\(variable): [redacted])" }
    /// Reflection (`dump`, debuggers) shows the variable's name, never the value.
    var customMirror: Mirror { Mirror(self, children: ["variable": variable, "value": "[redacted]"]) }

    /// `text` with every occurrence of the key replaced by `[redacted]`.
    func redact(_ text: String) -> String {
        guard !value.isEmpty, text.contains(value) else { return text }
        return text.replacingOccurrences(of: value, with: "[redacted]")
    }
}
