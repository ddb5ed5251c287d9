import Foundation

/// Reads a delimited text file with a header row (TSV), without quote processing: a `"` is
/// part of the text. Handles LF and CRLF line ends; rejects ragged rows and invalid UTF-8 with
/// the file and line.
public struct DelimitedFileReader: Sendable {
    /// The column separator.
    public var separator: Character = "\t"

    /// Creates a reader.
    public init(separator: Character = "\t") { self.separator = separator }

    /// The header and the rows of `path`. Blank lines are skipped.
    public func read(_ path: String) throws -> (header: [String], rows: [(line: Int, fields: [String])]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataError(file: path, message: "cannot read the file; check the path in the config")
        }
        guard let text = String(validating: Array(data), as: UTF8.self) else {
            throw DataError(file: path, message: "the file is not valid UTF-8")
        }
        var header: [String]?
        var rows: [(Int, [String])] = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if line.isEmpty { continue }
            let fields = line.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
            if header == nil { header = fields; continue }
            guard fields.count == header!.count else {
                throw DataError(file: path, line: lineNumber, message: "expected \(header!.count) columns as in the header, found \(fields.count)")
            }
            rows.append((lineNumber, fields))
        }
        guard let header else { throw DataError(file: path, message: "the file is empty; expected a header row and examples") }
        return (header, rows)
    }
}
