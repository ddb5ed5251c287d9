import HoneSDK

/// Where a task's examples come from.
///
/// The `tsv` format reads files with a header row, columns named by `input_column` and
/// `label_column`, LF or CRLF line ends and, by default, no quote processing (a leading `"` is
/// text). Splits come from `train`, `dev` and `test` files; `test_sample` draws a seeded sample
/// of the test file.
public struct DatasetConfig: Sendable {
    /// The file format.
    public var format: String
    /// The training split file.
    public var train: String
    /// The dev split file.
    public var dev: String
    /// The test split file.
    public var test: String
    /// Column holding the input text.
    public var inputColumn: String
    /// Column holding the label.
    public var labelColumn: String
    /// If set, use a seeded random sample of this many test rows.
    public var testSample: Int?

    /// Formats this host reads.
    public static let formats = ["tsv"]

    init(_ o: ConfigObject, baseDirectory: String) throws {
        format = try o.optionalChoice("format", DatasetConfig.formats) ?? "tsv"
        train = PipelineConfig.resolve(try o.string("train"), against: baseDirectory)
        dev = PipelineConfig.resolve(try o.string("dev"), against: baseDirectory)
        test = PipelineConfig.resolve(try o.string("test"), against: baseDirectory)
        inputColumn = try o.optionalString("input_column") ?? "sentence"
        labelColumn = try o.optionalString("label_column") ?? "label"
        testSample = try o.optionalInt("test_sample", in: 1...Int(Int32.max))
        try o.finish()
    }
}
