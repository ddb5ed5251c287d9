/// The file formats the host reads examples from, named by `task.dataset.format`.
public enum DatasetFormat: String, Sendable, CaseIterable {
    /// Tab-separated values with a header row; no quote processing unless `quoting` says so.
    case tsv
    /// Comma-separated values with a header row; RFC 4180 quotes unless `quoting` says otherwise.
    case csv
    /// One JSON object a line.
    case jsonl
    /// One JSON document: an array of objects, or an object whose members are the records.
    case jsonRecords = "json-records"
    /// SemEval-style relation records (tokens, head and tail spans, relation), one a line.
    case semeval
    /// A BIG-bench JSON task (`task.json` with `examples`).
    case bigbench

    /// Whether `input_column` and `label_column` apply to this format.
    public var hasColumns: Bool {
        switch self {
        case .tsv, .csv, .jsonl, .jsonRecords: return true
        case .semeval, .bigbench: return false
        }
    }

    /// The columns used when the config names none: `sentence` (or `text`) and `label` for TSV
    /// and CSV (the few-shot classification files), `input` and `label` for JSON formats.
    public var defaultColumns: ColumnMapping {
        switch self {
        case .tsv, .csv: return ColumnMapping(inputNames: ["sentence", "text"], labelNames: ["label"])
        default: return ColumnMapping(input: "input", label: "label")
        }
    }

    /// The quoting used when the config names none: none for TSV, RFC 4180 for CSV.
    public var defaultQuoting: QuotingMode { self == .csv ? .rfc4180 : .none }
}
