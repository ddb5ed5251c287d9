import HoneSDK

/// Reads examples stored as JSON objects: one a line (JSONL), or one document holding an
/// array of objects or an object of objects (such as the CNN/DailyMail files keyed "0".."499").
struct JSONRecordReader {
    /// The members that hold input and label.
    let columns: ColumnMapping

    /// One JSON object per non-blank line.
    func readLines(_ path: String, problems: inout RowProblems) throws -> [SourceRecord] {
        let file = try TextFile(path: path)
        var records: [SourceRecord] = []
        try file.forEachLine { number, line in
            if TextFile.isBlank(line) { return }
            guard String(validating: line, as: UTF8.self) != nil else {
                try problems.report(DataError(file: path, line: number, message: "the line is not valid UTF-8; re-encode the file as UTF-8"))
                return
            }
            let value: JSONValue
            do { value = try JSONValue(parsingUTF8: Array(line)) } catch let error as JSONSyntaxError {
                try problems.report(DataError(file: path, line: number, message: "invalid JSON at column \(error.column): \(error.message); JSONL needs one complete JSON object per line"))
                return
            }
            guard case .object(let object) = value else {
                try problems.report(DataError(file: path, line: number, message: "expected a JSON object, found \(value.typeName)"))
                return
            }
            if let record = try self.record(object, file: path, line: number, record: nil, problems: &problems) {
                records.append(record)
            }
        }
        return records
    }

    /// A JSON array of objects, or an object whose members are the records. Members of an
    /// object are taken in the numeric order of their keys when every key is a whole number
    /// ("0", "1", ..., "10"), otherwise in the keys' sort order, so the order is reproducible.
    func readDocument(_ path: String, problems: inout RowProblems) throws -> [SourceRecord] {
        let file = try TextFile(path: path)
        let text = try file.decodedText()
        let document: JSONValue
        do { document = try JSONValue(parsing: text) } catch let error as JSONSyntaxError {
            throw DataError(file: path, line: error.line, message: "invalid JSON at column \(error.column): \(error.message)")
        }
        let entries: [(String, JSONValue)]
        switch document {
        case .array(let items):
            entries = items.enumerated().map { ("[\($0.offset)]", $0.element) }
        case .object(let members):
            let keys = members.keys
            let ordered: [String]
            if keys.allSatisfy({ Int($0) != nil }) {
                ordered = keys.sorted { Int($0)! < Int($1)! }
            } else {
                ordered = keys.sorted()
            }
            entries = ordered.map { ("\"\($0)\"", members[$0]!) }
        default:
            throw DataError(file: path, message: "expected a JSON array of records or an object of records, found \(document.typeName)")
        }
        var records: [SourceRecord] = []
        for (name, value) in entries {
            guard case .object(let object) = value else {
                try problems.report(DataError(file: path, record: "record \(name)", message: "expected a JSON object, found \(value.typeName)"))
                continue
            }
            if let record = try record(object, file: path, line: nil, record: "record \(name)", problems: &problems) {
                records.append(record)
            }
        }
        return records
    }

    private func record(_ object: [String: JSONValue], file: String, line: Int?, record: String?, problems: inout RowProblems) throws -> SourceRecord? {
        let located = SourceRecord(file: file, line: line, record: record, input: "", label: nil)
        func members() -> String { object.keys.sorted().map { "\"\($0)\"" }.joined(separator: ", ") }
        let inputKey = columns.inputNames.first { object[$0] != nil } ?? columns.input
        let labelKey = columns.labelNames.first { object[$0] != nil } ?? columns.label
        switch JSONField.text(object, inputKey) {
        case .failure(let problem):
            try problems.report(located.error(problem.message + " (input_column)"))
            return nil
        case .success(nil):
            try problems.report(located.error("no member \(ColumnMapping.describe(columns.inputNames)) (input_column); the record has \(members()); set input_column in the dataset config"))
            return nil
        case .success(let input?):
            switch JSONField.text(object, labelKey) {
            case .failure(let problem):
                try problems.report(located.error(problem.message + " (label_column)"))
                return nil
            case .success(let label):
                var result = located
                result.input = input
                result.label = label
                return result
            }
        }
    }
}
