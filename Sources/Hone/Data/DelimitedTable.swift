/// One data row of a delimited file.
@_spi(Internals) public struct DelimitedRow: Sendable {
    /// 1-based line number where the row starts.
    public var line: Int
    /// The fields, one per header column.
    public var fields: [String]
}

/// A delimited file: its header and its data rows.
@_spi(Internals) public struct DelimitedTable: Sendable {
    /// The column names, from the first non-blank line.
    public var header: [String]
    /// The data rows, in file order.
    public var rows: [DelimitedRow]
    /// Rows left out under ``BadRowPolicy/skip``, with the reason.
    public var skipped: [SkippedRow]
}
