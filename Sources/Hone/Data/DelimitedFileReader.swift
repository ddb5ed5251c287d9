/// Reads a delimited text file with a header row (TSV or CSV).
///
/// Handles LF and CRLF line ends and a UTF-8 byte-order mark. Blank lines are not rows. A row
/// with a different number of fields than the header, or one that is not valid UTF-8, is a
/// ``DataError`` naming the file and line (or, under ``BadRowPolicy/skip``, a ``SkippedRow``).
@_spi(Internals) public struct DelimitedFileReader: Sendable {
    /// The column separator (one ASCII character).
    public var separator: UInt8
    /// Whether double quotes are processed.
    public var quoting: QuotingMode

    /// Creates a reader; `separator` must be an ASCII character such as tab or comma.
    public init(separator: Character = "\t", quoting: QuotingMode = .none) {
        precondition(separator.isASCII, "the separator must be an ASCII character")
        self.separator = separator.asciiValue!
        self.quoting = quoting
    }

    /// The header and the rows of `path`.
    public func read(_ path: String, badRows: BadRowPolicy = .error) throws -> DelimitedTable {
        var problems = RowProblems(policy: badRows)
        let table = try read(try TextFile(path: path), problems: &problems)
        return DelimitedTable(header: table.header, rows: table.rows, skipped: problems.skipped)
    }

    func read(_ file: TextFile, problems: inout RowProblems) throws -> (header: [String], rows: [DelimitedRow]) {
        var records: [DelimitedRow] = []
        switch quoting {
        case .none: try readUnquoted(file, problems: &problems) { records.append(DelimitedRow(line: $0, fields: $1)) }
        case .rfc4180: try readQuoted(file, problems: &problems) { records.append(DelimitedRow(line: $0, fields: $1)) }
        }
        guard let header = records.first?.fields else {
            throw DataError(file: file.path, message: "the file is empty; expected a header row and examples")
        }
        var rows: [DelimitedRow] = []
        rows.reserveCapacity(records.count - 1)
        for row in records.dropFirst() {
            guard row.fields.count == header.count else {
                try problems.report(DataError(file: file.path, line: row.line, message: "expected \(header.count) columns as in the header (\(header.joined(separator: ", "))), found \(row.fields.count); check for a stray separator\(quoting == .none ? "" : " or an unbalanced quote")"))
                continue
            }
            rows.append(row)
        }
        return (header, rows)
    }

    private func readUnquoted(_ file: TextFile, problems: inout RowProblems, _ accept: (Int, [String]) -> Void) throws {
        let separator = self.separator
        var isHeader = true
        try file.forEachLine { number, line in
            if TextFile.isBlank(line) { return }
            guard String(validating: line, as: UTF8.self) != nil else {
                let error = DataError(file: file.path, line: number, message: "the line is not valid UTF-8; re-encode the file as UTF-8")
                if isHeader { throw error }
                try problems.report(error)
                return
            }
            isHeader = false
            var fields: [String] = []
            var start = line.startIndex
            var i = start
            while i < line.endIndex {
                if line[i] == separator {
                    fields.append(String(decoding: line[start..<i], as: UTF8.self))
                    start = i + 1
                }
                i += 1
            }
            fields.append(String(decoding: line[start..<line.endIndex], as: UTF8.self))
            accept(number, fields)
        }
    }

    private func readQuoted(_ file: TextFile, problems: inout RowProblems, _ accept: (Int, [String]) -> Void) throws {
        let bytes = file.bytes
        let quote: UInt8 = 0x22, lf: UInt8 = 0x0A, cr: UInt8 = 0x0D
        var i = 0
        var line = 1
        var firstRecordLine = 0
        while i < bytes.count {
            let recordLine = line
            var fields: [[UInt8]] = []
            var field: [UInt8] = []
            var problem: String?
            var endOfRecord = false
            var fieldStart = true
            while i < bytes.count && !endOfRecord {
                let b = bytes[i]
                if fieldStart && b == quote {
                    // A quoted field: up to the closing quote; "" is one quote.
                    i += 1
                    var closed = false
                    while i < bytes.count {
                        let c = bytes[i]
                        if c == quote {
                            if i + 1 < bytes.count && bytes[i + 1] == quote { field.append(quote); i += 2; continue }
                            i += 1
                            closed = true
                            break
                        }
                        if c == lf { line += 1 }
                        field.append(c)
                        i += 1
                    }
                    if !closed {
                        throw DataError(file: file.path, line: recordLine, message: "a quoted field is never closed; add the closing \" or set \"quoting\": \"none\" if quotes are part of the text")
                    }
                    fieldStart = false
                    if i < bytes.count, bytes[i] != separator, bytes[i] != lf, !(bytes[i] == cr && (i + 1 == bytes.count || bytes[i + 1] == lf)) {
                        problem = "unexpected text after a closing quote; inside a quoted field write a quote as \"\""
                        while i < bytes.count && bytes[i] != lf { i += 1 }
                    }
                    continue
                }
                fieldStart = false
                switch b {
                case separator:
                    fields.append(field); field = []; fieldStart = true; i += 1
                case lf:
                    endOfRecord = true; line += 1; i += 1
                case cr where i + 1 < bytes.count && bytes[i + 1] == lf:
                    endOfRecord = true; line += 1; i += 2
                case cr where i + 1 == bytes.count:
                    i += 1
                default:
                    field.append(b); i += 1
                }
            }
            fields.append(field)
            if fields.count == 1 && fields[0].allSatisfy(TextFile.isASCIIWhitespace) { continue }
            let isHeader = firstRecordLine == 0 || recordLine == firstRecordLine
            if firstRecordLine == 0 { firstRecordLine = recordLine }
            if let problem {
                let error = DataError(file: file.path, line: recordLine, message: problem)
                if isHeader { throw error }
                try problems.report(error)
                continue
            }
            var strings: [String] = []
            strings.reserveCapacity(fields.count)
            for f in fields {
                guard let s = String(validating: f, as: UTF8.self) else { strings = []; break }
                strings.append(s)
            }
            if strings.count != fields.count {
                let error = DataError(file: file.path, line: recordLine, message: "the row is not valid UTF-8; re-encode the file as UTF-8")
                if isHeader { throw error }
                try problems.report(error)
                continue
            }
            accept(recordLine, strings)
        }
    }
}
