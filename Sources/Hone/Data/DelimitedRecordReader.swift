/// Reads TSV or CSV examples: a ``DelimitedFileReader`` table mapped through a ``ColumnMapping``.
struct DelimitedRecordReader {
    /// The file reader (separator and quoting).
    let reader: DelimitedFileReader
    /// The columns.
    let columns: ColumnMapping

    /// The examples of `path`. Without `needLabels` the label column may be absent.
    func read(_ path: String, needLabels: Bool, problems: inout RowProblems) throws -> [SourceRecord] {
        let file = try TextFile(path: path)
        let (header, rows) = try reader.read(file, problems: &problems)
        func find(_ names: [String]) -> Int? {
            names.lazy.compactMap { header.firstIndex(of: $0) }.first
        }
        func column(_ names: [String], _ key: String) throws -> Int {
            guard let index = find(names) else {
                throw DataError(file: path, line: 1, message: "no column \(ColumnMapping.describe(names)) (\(key)); the header has \(header.map { "\"\($0)\"" }.joined(separator: ", ")); set \(key) in the dataset config")
            }
            return index
        }
        let inputIndex = try column(columns.inputNames, "input_column")
        let labelIndex: Int? = needLabels ? try column(columns.labelNames, "label_column") : find(columns.labelNames)
        return rows.map { row in
            SourceRecord(file: path, line: row.line, record: nil, input: row.fields[inputIndex],
                         label: labelIndex.map { row.fields[$0] })
        }
    }
}
