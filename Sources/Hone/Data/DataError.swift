/// A dataset file could not be read as configured. Names the file and, where it applies, the line.
public struct DataError: Error, CustomStringConvertible, Sendable {
    /// The file.
    public var file: String
    /// 1-based line number, when the problem is on one line.
    public var line: Int?
    /// What was wrong and what to do.
    public var message: String

    /// Creates a data error.
    public init(file: String, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(message)" }
}
