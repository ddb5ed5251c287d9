import HoneSDK

/// Loads a task's splits as a ``DatasetConfig`` describes them.
public enum DatasetLoader {
    /// Reads train, dev and test; labels must be among `labels`. `seed` drives `test_sample`.
    public static func load(_ config: DatasetConfig, labels: [TaskLabel], seed: UInt64) throws -> TaskSplits {
        let known = Set(labels.map(\.name))
        func read(_ path: String) throws -> [LabeledExample] {
            let (header, rows) = try DelimitedFileReader().read(path)
            guard let inputIndex = header.firstIndex(of: config.inputColumn) else {
                throw DataError(file: path, line: 1, message: "no column \"\(config.inputColumn)\" (input_column); the header has \(header.joined(separator: ", "))")
            }
            guard let labelIndex = header.firstIndex(of: config.labelColumn) else {
                throw DataError(file: path, line: 1, message: "no column \"\(config.labelColumn)\" (label_column); the header has \(header.joined(separator: ", "))")
            }
            return try rows.map { line, fields in
                let label = fields[labelIndex].trimmingCharacters(in: .whitespaces)
                guard known.contains(label) else {
                    throw DataError(file: path, line: line, message: "label \"\(label)\" is not among the task's labels (\(labels.map(\.name).joined(separator: ", ")))")
                }
                return LabeledExample(input: fields[inputIndex], label: label)
            }
        }
        var test = try read(config.test)
        if let n = config.testSample, n < test.count {
            var rng = SplitMix64(seed: seed ^ 0x7E57_5A3B_1E00_0000)
            test = Array(test.indices.shuffled(using: &rng).prefix(n).sorted().map { test[$0] })
        }
        let train = try read(config.train)
        return TaskSplits(train: train, dev: try read(config.dev), test: test, unlabeled: train.map(\.input))
    }
}

import Foundation
