import Foundation
/// A dataset file could not be read as configured. Names the file and, where it applies, the
/// line (or, for JSON documents, the record).
public struct DataError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file.
    public var file: String
    /// 1-based line number, when the problem is on one line.
    public var line: Int?
    /// The record, for formats where lines say little (e.g. `examples[12]` of a BIG-bench task).
    public var record: String?
    /// What was wrong and what to do.
    public var message: String

    /// Creates a data error.
    public init(file: String, line: Int? = nil, record: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.record = record
        self.message = message
    }

    public var description: String {
        "\(file)\(line.map { ":\($0)" } ?? "")\(record.map { " (\($0))" } ?? ""): \(message)"
    }
}

extension DataError: LocalizedError {
    /// The same message as `description`, so `localizedDescription` reads as the CLI prints it.
    public var errorDescription: String? { description }
}
