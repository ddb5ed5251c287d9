import Foundation
/// A pipeline config (or a plugin's stage config) is not acceptable.
///
/// The message names the JSON path (`$.task.labels[1].verbalizer`) and says what was expected,
/// so a user can fix the file without reading Hone's code.
public struct ConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The config file, when known.
    public var file: String?
    /// JSON path of the offending value, e.g. `$.stages[0].budget.calls`.
    public var path: String
    /// What was wrong and what was expected.
    public var message: String

    /// Creates a config error.
    public init(file: String? = nil, path: String, message: String) {
        self.file = file
        self.path = path
        self.message = message
    }

    public var description: String {
        (file.map { "\($0): " } ?? "") + "\(path): \(message)"
    }

    /// The same error, attributed to a file.
    public func inFile(_ file: String) -> ConfigError {
        var copy = self
        copy.file = file
        return copy
    }
}

extension ConfigError: LocalizedError {
    /// The same message as `description`, so `localizedDescription` reads as the CLI prints it.
    public var errorDescription: String? { description }
}
