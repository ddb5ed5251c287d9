/// A row or record the loader left out, with where it was and why.
///
/// Rows are only ever skipped when the dataset config asks for it (`"bad_rows": "skip"`);
/// by default each of these problems is a ``DataError``. Every skipped row is listed in
/// ``TaskSplits/skipped`` so that nothing disappears without a trace.
public struct SkippedRow: Hashable, Sendable, CustomStringConvertible {
    /// The file the row is in.
    public var file: String
    /// 1-based line number, when the format has lines (TSV, CSV, JSONL, SemEval).
    public var line: Int?
    /// Which record, for formats without useful line numbers (e.g. `examples[12]`, `"17"`).
    public var record: String?
    /// Why it was left out, e.g. `expected 2 columns as in the header, found 3`.
    public var reason: String

    /// Creates a skipped-row entry.
    public init(file: String, line: Int? = nil, record: String? = nil, reason: String) {
        self.file = file
        self.line = line
        self.record = record
        self.reason = reason
    }

    public var description: String {
        "\(file)\(line.map { ":\($0)" } ?? "")\(record.map { " (\($0))" } ?? ""): \(reason)"
    }
}
