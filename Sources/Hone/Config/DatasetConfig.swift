import HoneSDK

/// Where a task's examples come from (`task.dataset`).
///
/// - `format`: one of ``DatasetFormat`` (`tsv` by default).
/// - Splits: either `train`, `dev` and `test` files, or one `file` divided by `split` (see
///   ``SplitConfig``), optionally with a separate `test` file.
/// - `input_column`, `label_column`: which column (TSV/CSV) or member (JSON) holds the input
///   and the label (for generation tasks, the reference text); a name or a list of
///   alternatives, the first one present being used.
/// - `quoting`: `none` or `rfc4180` for TSV and CSV.
/// - `entity_markers`: `{"head": "<e1>{entity}</e1>", "tail": "<e2>{entity}</e2>"}` for `semeval`.
/// - `unlabeled`: a file of the same format whose inputs form the unlabeled pool (labels are
///   dropped); without it, the pool is the train split's inputs.
/// - `test_sample`: a seeded sample of this many test examples.
/// - `bad_rows`: `error` (default) or `skip`; skipped rows are listed in ``TaskSplits/skipped``.
public struct DatasetConfig: Sendable, Equatable {
    /// The file format.
    public var format: DatasetFormat
    /// The file the train split comes from (the `file` that `split` divides, if there is one).
    public var train: String
    /// The file the dev split comes from.
    public var dev: String
    /// The file the test split comes from.
    public var test: String
    /// The one source file that `split` divides, if the splits are not given as files.
    public var file: String?
    /// How `file` is divided; set exactly when `file` is.
    public var split: SplitConfig?
    /// Whether `test` names its own file (with `file`, the test split then comes from it).
    public var hasTestFile: Bool
    /// A file whose inputs form the unlabeled pool; nil means the train split's inputs.
    public var unlabeled: String?
    /// Which columns or members hold the input and the label.
    public var columns: ColumnMapping
    /// Quote processing for TSV and CSV.
    public var quoting: QuotingMode
    /// Entity markers for `semeval`.
    public var entityMarkers: EntityMarkers
    /// What to do with rows that cannot be used.
    public var badRows: BadRowPolicy
    /// If set, use a seeded random sample of this many test rows.
    public var testSample: Int?

    /// Column holding the input text (the preferred one, when alternatives are given).
    public var inputColumn: String { columns.input }
    /// Column holding the label (the preferred one, when alternatives are given).
    public var labelColumn: String { columns.label }

    /// A column name, or a non-empty list of alternatives, at `key`.
    private static func names(_ o: ConfigObject, _ key: String) throws -> [String]? {
        guard let value = o.value(key) else { return nil }
        if let name = value.stringValue { return [name] }
        guard let list = try o.optionalStringArray(key), !list.isEmpty else {
            throw ConfigError(path: o.path(of: key), message: "expected a column name or a non-empty array of alternative names, found \(value.typeName)")
        }
        return list
    }

    /// Format names this host reads.
    public static let formats = DatasetFormat.allCases.map(\.rawValue)

    /// Validates a `task.dataset` object; relative paths are resolved against `baseDirectory`.
    public init(json: JSONValue, path: String = "$.task.dataset", baseDirectory: String) throws {
        try self.init(try ConfigObject(json, path: path), baseDirectory: baseDirectory)
    }

    init(_ o: ConfigObject, baseDirectory: String) throws {
        let formatName = try o.optionalChoice("format", DatasetConfig.formats) ?? "tsv"
        format = DatasetFormat(rawValue: formatName)!
        func path(_ key: String) throws -> String? {
            try o.optionalString(key).map { PipelineConfig.resolve($0, against: baseDirectory) }
        }
        let trainFile = try path("train"), devFile = try path("dev"), testFile = try path("test")
        file = try path("file")
        hasTestFile = testFile != nil
        if let file {
            for (key, value) in [("train", trainFile), ("dev", devFile)] where value != nil {
                throw ConfigError(path: o.path(of: key), message: "\"file\" is divided by \"split\"; give either file (with split) or train, dev and test files, not both")
            }
            guard let splitObject = try o.optionalObject("split") else {
                throw ConfigError(path: o.path(of: "split"), message: "missing required member; \"file\" needs a split, e.g. {\"k_shot\": 16, \"dev_per_class\": 16} or {\"train_fraction\": 0.1, \"dev_fraction\": 0.1}")
            }
            split = try SplitConfig(splitObject)
            train = file
            dev = file
            test = testFile ?? file
        } else {
            if o.has("split") {
                throw ConfigError(path: o.path(of: "split"), message: "\"split\" divides one source file; name it in \"file\" (or drop split and give train, dev and test files)")
            }
            for (key, value) in [("train", trainFile), ("dev", devFile), ("test", testFile)] where value == nil {
                throw ConfigError(path: o.path(of: key), message: "missing required member; expected a string (a file path): give train, dev and test files, or one \"file\" with a \"split\"")
            }
            split = nil
            train = trainFile!
            dev = devFile!
            test = testFile!
        }
        unlabeled = try path("unlabeled")
        let defaults = format.defaultColumns
        if format.hasColumns {
            columns = ColumnMapping(inputNames: try DatasetConfig.names(o, "input_column") ?? defaults.inputNames,
                                    labelNames: try DatasetConfig.names(o, "label_column") ?? defaults.labelNames)
        } else {
            for key in ["input_column", "label_column"] where o.has(key) {
                throw ConfigError(path: o.path(of: key), message: "format \"\(format.rawValue)\" has a fixed layout; \(key) applies to tsv, csv, jsonl and json-records")
            }
            columns = defaults
        }
        if format == .tsv || format == .csv {
            quoting = try o.optionalChoice("quoting", QuotingMode.allCases.map(\.rawValue)).flatMap(QuotingMode.init(rawValue:)) ?? format.defaultQuoting
        } else {
            if o.has("quoting") {
                throw ConfigError(path: o.path(of: "quoting"), message: "quoting applies to tsv and csv, not \(format.rawValue)")
            }
            quoting = .none
        }
        if let markers = try o.optionalObject("entity_markers") {
            guard format == .semeval else {
                throw ConfigError(path: o.path(of: "entity_markers"), message: "entity_markers applies to the semeval format, not \(format.rawValue)")
            }
            let head = try markers.optionalString("head") ?? EntityMarkers.semEval.head
            let tail = try markers.optionalString("tail") ?? EntityMarkers.semEval.tail
            for (key, template) in [("head", head), ("tail", tail)] where !template.contains(EntityMarkers.slot) {
                throw ConfigError(path: markers.path(of: key), message: "the template must contain the \(EntityMarkers.slot) slot, e.g. \"<e1>{entity}</e1>\"")
            }
            try markers.finish()
            entityMarkers = EntityMarkers(head: head, tail: tail)
        } else {
            entityMarkers = .semEval
        }
        badRows = try o.optionalChoice("bad_rows", BadRowPolicy.allCases.map(\.rawValue)).flatMap(BadRowPolicy.init(rawValue:)) ?? .error
        testSample = try o.optionalInt("test_sample", in: 1...Int(Int32.max))
        try o.finish()
    }
}
