/// Which columns (TSV/CSV) or members (JSONL, JSON records) hold the input and the label.
///
/// Each may list alternatives: the first name a file has is used. The few-shot AG News files
/// need this (`text` in train and dev, `sentence` in test), hence the TSV/CSV default
/// `["sentence", "text"]` for the input.
public struct ColumnMapping: Hashable, Sendable {
    /// Names of the input column, in order of preference (at least one).
    public var inputNames: [String]
    /// Names of the label column, in order of preference (at least one).
    public var labelNames: [String]

    /// The preferred input column.
    public var input: String { inputNames[0] }
    /// The preferred label column.
    public var label: String { labelNames[0] }

    /// Creates a mapping with one name for each.
    public init(input: String, label: String) {
        self.init(inputNames: [input], labelNames: [label])
    }

    /// Creates a mapping with alternatives; neither list may be empty.
    public init(inputNames: [String], labelNames: [String]) {
        precondition(!inputNames.isEmpty && !labelNames.isEmpty, "a column mapping needs at least one name for each column")
        self.inputNames = inputNames
        self.labelNames = labelNames
    }

    /// Human-readable list of `names`, e.g. `"sentence" or "text"`.
    static func describe(_ names: [String]) -> String {
        names.map { "\"\($0)\"" }.joined(separator: " or ")
    }
}
