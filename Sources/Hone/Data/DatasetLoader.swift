import Foundation
import HoneSDK

/// Loads a task's splits as a ``DatasetConfig`` describes them.
///
/// Each format's reader turns a file into examples (input, label); the loader then checks
/// every label against the task's labels, makes the splits (files, or a seeded division of
/// one file), draws `test_sample` and builds the unlabeled pool.
public enum DatasetLoader {
    /// Reads the splits. Labels must be among `labels`; an empty `labels` means a generation
    /// task, whose "label" is the reference text and may be anything but missing. `seed`
    /// drives the split (unless the split has its own seed) and `test_sample`.
    public static func load(_ config: DatasetConfig, labels: [TaskLabel], seed: UInt64) throws -> TaskSplits {
        try load(config, labelNames: labels.map(\.name), seed: seed)
    }

    /// ``load(_:labels:seed:)`` with the task's label names.
    public static func load(_ config: DatasetConfig, labelNames: [String], seed: UInt64) throws -> TaskSplits {
        var problems = RowProblems(policy: config.badRows)
        let known = Set(labelNames)
        var loaded: [String: [LabeledExample]] = [:]
        func examples(_ path: String) throws -> [LabeledExample] {
            // A file named for several splits is read (and its skipped rows reported) once.
            if let cached = loaded[path] { return cached }
            let records = try read(config, path, needLabels: true, problems: &problems)
            var result: [LabeledExample] = []
            result.reserveCapacity(records.count)
            for record in records {
                guard let raw = record.label else {
                    try problems.report(record.error(labelNames.isEmpty
                        ? "the reference (label_column \"\(config.labelColumn)\") is missing"
                        : "the label is missing\(config.format.hasColumns ? " (label_column \"\(config.labelColumn)\")" : "")"))
                    continue
                }
                if labelNames.isEmpty {
                    result.append(LabeledExample(input: record.input, label: raw))
                    continue
                }
                let label = raw.trimmingCharacters(in: .whitespaces)
                guard !label.isEmpty else {
                    try problems.report(record.error("the label is empty"))
                    continue
                }
                guard known.contains(label) else {
                    try problems.report(record.error("label \"\(label)\" is not among the task's labels (\(labelNames.joined(separator: ", "))); add it to task.labels or fix the row"))
                    continue
                }
                result.append(LabeledExample(input: record.input, label: label))
            }
            if result.isEmpty {
                throw DataError(file: path, message: "no usable examples\(problems.skipped.isEmpty ? "" : " (\(problems.skipped.count) rows skipped so far; see the first: \(problems.skipped[0]))")")
            }
            loaded[path] = result
            return result
        }

        var train: [LabeledExample], dev: [LabeledExample], test: [LabeledExample]
        if let file = config.file, let split = config.split {
            let source = try examples(file)
            let parts = try DatasetSplitter(config: split).divide(source, labels: labelNames, seed: seed, file: file)
            train = parts.train
            dev = parts.dev
            test = config.hasTestFile ? try examples(config.test) : parts.rest
        } else {
            train = try examples(config.train)
            dev = try examples(config.dev)
            test = try examples(config.test)
        }
        if let n = config.testSample, n < test.count {
            var rng = SplitMix64(seed: seed ^ 0x7E57_5A3B_1E00_0000)
            test = DatasetSplitter.shuffledIndices(test.count, using: &rng).prefix(n).sorted().map { test[$0] }
        }
        let unlabeled: [String]
        if let pool = config.unlabeled {
            unlabeled = try read(config, pool, needLabels: false, problems: &problems).map(\.input)
        } else {
            unlabeled = train.map(\.input)
        }
        return TaskSplits(train: train, dev: dev, test: test, unlabeled: unlabeled, skipped: problems.skipped)
    }

    /// The raw records of one file in the configured format.
    static func read(_ config: DatasetConfig, _ path: String, needLabels: Bool, problems: inout RowProblems) throws -> [SourceRecord] {
        try NULByteCheck.check(try records(config, path, needLabels: needLabels, problems: &problems), problems: &problems)
    }

    private static func records(_ config: DatasetConfig, _ path: String, needLabels: Bool, problems: inout RowProblems) throws -> [SourceRecord] {
        switch config.format {
        case .tsv, .csv:
            let reader = DelimitedFileReader(separator: config.format == .tsv ? "\t" : ",", quoting: config.quoting)
            return try DelimitedRecordReader(reader: reader, columns: config.columns).read(path, needLabels: needLabels, problems: &problems)
        case .jsonl:
            return try JSONRecordReader(columns: config.columns).readLines(path, problems: &problems)
        case .jsonRecords:
            return try JSONRecordReader(columns: config.columns).readDocument(path, problems: &problems)
        case .semeval:
            return try SemEvalReader(markers: config.entityMarkers).read(path, problems: &problems)
        case .bigbench:
            return try BigBenchReader().read(path, problems: &problems)
        }
    }
}
