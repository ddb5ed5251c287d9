import HoneSDK

/// One example as a format reader produced it, before labels are checked and splits are made.
struct SourceRecord: Sendable {
    /// The file it came from.
    var file: String
    /// 1-based line, for line-oriented formats.
    var line: Int?
    /// Which record, for whole-document formats (e.g. `examples[3]`, `"17"`).
    var record: String?
    /// The input text.
    var input: String
    /// The label (for generation tasks, the reference), or nil if the record has none.
    var label: String?

    /// A data error located at this record.
    func error(_ message: String) -> DataError {
        DataError(file: file, line: line, record: record, message: message)
    }
}
