#if canImport(Glibc)
import Glibc
#endif
import Foundation
@testable import Hone
import HoneSDK

/// The dataset readers through `DatasetLoader`, as `hone run` and `hone validate` call them.
///
/// Input: the first byte picks the format (bits 0-2: tsv, csv, jsonl, json-records, semeval,
/// bigbench; 6 and 7 are tsv and csv again) and options (bit 3: `"bad_rows": "skip"`; bit 4:
/// the other quoting mode for tsv/csv; bit 5: one `file` divided by a `split` instead of
/// train/dev/test; bit 6: a classification task with labels "0" and "1" instead of generation).
/// The rest is the file, written to a temporary file (the readers take paths).
/// Properties: no crash; no record read holds a NUL byte (issue 15, item 7).
enum DatasetTarget {
    nonisolated(unsafe) private static var folder = ""

    static func prepare() {
        folder = NSTemporaryDirectory() + "hone-fuzz-dataset-\(getpid())"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: DatasetTarget.folder) }
    }

    static let formats: [DatasetFormat] = [.tsv, .csv, .jsonl, .jsonRecords, .semeval, .bigbench, .tsv, .csv]

    static func run(_ bytes: [UInt8]) {
        guard let selector = bytes.first else { return }
        let format = formats[Int(selector & 0x7)]
        let path = folder + "/data"
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes.dropFirst())) else {
            fputs("hone-fuzz: cannot write \(path)\n", stderr)
            abort()
        }
        var settings: [String: JSONValue] = ["format": .string(format.rawValue)]
        if selector & 0x08 != 0 { settings["bad_rows"] = "skip" }
        if selector & 0x10 != 0, format == .tsv || format == .csv {
            settings["quoting"] = .string(format.defaultQuoting == .none ? QuotingMode.rfc4180.rawValue : QuotingMode.none.rawValue)
        }
        if selector & 0x20 != 0 {
            settings["file"] = .string(path)
            settings["split"] = ["train_fraction": 0.5, "dev_fraction": 0.25]
        } else {
            for key in ["train", "dev", "test"] { settings[key] = .string(path) }
        }
        guard let config = try? DatasetConfig(json: .object(settings), baseDirectory: folder) else {
            fputs("hone-fuzz: the dataset settings \(JSONValue.object(settings).serialized()) do not load\n", stderr)
            abort()
        }
        var problems = RowProblems(policy: config.badRows)
        if let records = try? DatasetLoader.read(config, path, needLabels: true, problems: &problems) {
            for record in records {
                require(!record.input.utf8.contains(0), "a \(format.rawValue) record with a NUL byte was accepted")
            }
        }
        let labels = selector & 0x40 != 0 ? ["0", "1"] : []
        _ = try? DatasetLoader.load(config, labelNames: labels, seed: UInt64(selector))
    }
}
