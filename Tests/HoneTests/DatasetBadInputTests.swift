import Foundation
import HoneSDK
import XCTest
@testable import Hone

/// Bad input: each problem is a clear error with file and line, or, under `"bad_rows": "skip"`,
/// a counted and reported skip.
final class DatasetBadInputTests: XCTestCase {
    private let binary = [TaskLabel(name: "0", verbalizer: "no"), TaskLabel(name: "1", verbalizer: "yes")]

    private func load(_ path: String, format: String = "tsv", extra: [String: JSONValue] = [:], labels: [TaskLabel]? = nil) throws -> TaskSplits {
        var json: [String: JSONValue] = ["format": .string(format), "train": .string(path), "dev": .string(path), "test": .string(path)]
        for (k, v) in extra { json[k] = v }
        return try DatasetLoader.load(try DatasetConfig(json: .object(json), baseDirectory: "/"), labels: labels ?? binary, seed: 0)
    }

    private func assertDataError(_ expression: @autoclosure () throws -> Any, file path: String, line: Int?, contains text: String, _ message: String = "", sourceLine: UInt = #line) {
        XCTAssertThrowsError(try expression(), message, line: sourceLine) { error in
            guard let e = error as? DataError else { return XCTFail("expected a DataError, got \(error)", line: sourceLine) }
            XCTAssertEqual(e.file, path, line: sourceLine)
            XCTAssertEqual(e.line, line, "\(e)", line: sourceLine)
            XCTAssertTrue(e.message.contains(text), "\(e)", line: sourceLine)
        }
    }

    func testRaggedRowIsAnErrorNamingFileAndLine() throws {
        let dir = try SharedDataFixtures.scratchDirectory(self)
        let path = try SharedDataFixtures.write("sentence\tlabel\r\ngood\t1\r\nbad\trow\t0\r\n", to: "ragged.tsv", in: dir)
        assertDataError(try load(path), file: path, line: 3, contains: "expected 2 columns as in the header (sentence, label), found 3")
    }

    func testUnknownAndMissingLabelsAreErrorsNamingFileAndLine() throws {
        let dir = try SharedDataFixtures.scratchDirectory(self)
        let unknown = try SharedDataFixtures.write("sentence\tlabel\nfine\t1\nodd\t7\n", to: "unknown.tsv", in: dir)
        assertDataError(try load(unknown), file: unknown, line: 3, contains: "label \"7\" is not among the task's labels (0, 1)")
        let empty = try SharedDataFixtures.write("sentence\tlabel\nfine\t1\nodd\t \n", to: "empty-label.tsv", in: dir)
        assertDataError(try load(empty), file: empty, line: 3, contains: "the label is empty")
        let jsonl = try SharedDataFixtures.write("{\"input\": \"a\", \"label\": \"1\"}\n{\"input\": \"b\"}\n", to: "missing.jsonl", in: dir)
        assertDataError(try load(jsonl, format: "jsonl"), file: jsonl, line: 2, contains: "the label is missing (label_column \"label\")")
    }

    func testEmptyFilesAreErrors() throws {
        let dir = try SharedDataFixtures.scratchDirectory(self)
        let blank = try SharedDataFixtures.write("\n\r\n  \n", to: "blank.tsv", in: dir)
        assertDataError(try load(blank), file: blank, line: nil, contains: "the file is empty")
        let headerOnly = try SharedDataFixtures.write("sentence\tlabel\n", to: "header.tsv", in: dir)
        assertDataError(try load(headerOnly), file: headerOnly, line: nil, contains: "no usable examples")
        let noExamples = try SharedDataFixtures.write("{\"examples\": []}", to: "task.json", in: dir)
        assertDataError(try load(noExamples, format: "bigbench"), file: noExamples, line: nil, contains: "\"examples\" array is empty")
    }

    func testInvalidUTF8IsAnErrorNamingTheLine() throws {
        let dir = try SharedDataFixtures.scratchDirectory(self)
        let tsv = try SharedDataFixtures.write(Array("sentence\tlabel\nok\t1\n".utf8) + [0x62, 0xFF, 0x61, 0x64] + Array("\t0\n".utf8), to: "latin.tsv", in: dir)
        assertDataError(try load(tsv), file: tsv, line: 3, contains: "not valid UTF-8")
        let json = try SharedDataFixtures.write(Array("{\"0\": {\"input\": \"ok\", \"label\": \"1\"},\n \"1\": {\"input\": \"".utf8) + [0xC3, 0x28] + Array("\", \"label\": \"0\"}}".utf8), to: "bad.json", in: dir)
        assertDataError(try load(json, format: "json-records"), file: json, line: 2, contains: "not valid UTF-8")
        let header = try SharedDataFixtures.write([0xFF] + Array("sentence\tlabel\nok\t1\n".utf8), to: "header.tsv", in: dir)
        assertDataError(try load(header, extra: ["bad_rows": "skip"]), file: header, line: 1, contains: "not valid UTF-8", "a bad header is never skipped")
    }

    func testMissingColumnIsAnErrorListingTheHeader() throws {
        let dir = try SharedDataFixtures.scratchDirectory(self)
        let path = try SharedDataFixtures.write("review\tstars\ngreat\t1\n", to: "cols.tsv", in: dir)
        assertDataError(try load(path), file: path, line: 1, contains: "no column \"sentence\" or \"text\" (input_column); the header has \"review\", \"stars\"")
        assertDataError(try load(path, extra: ["input_column": "review"]), file: path, line: 1, contains: "no column \"label\" (label_column)")
        XCTAssertEqual(try load(path, extra: ["input_column": "review", "label_column": "stars"]).test, [LabeledExample(input: "great", label: "1")])
    }

    func testMalformedRecordsNameTheirLineOrRecord() throws {
        let dir = try SharedDataFixtures.scratchDirectory(self)
        let jsonl = try SharedDataFixtures.write("{\"input\": \"a\", \"label\": \"1\"}\n{\"input\": \"b\", \n", to: "cut.jsonl", in: dir)
        assertDataError(try load(jsonl, format: "jsonl"), file: jsonl, line: 2, contains: "invalid JSON")
        let semeval = try SharedDataFixtures.write("{\"token\": [\"a\", \"b\"], \"h\": {\"pos\": [0, 1]}, \"t\": {\"pos\": [1, 3]}, \"relation\": \"1\"}\n", to: "s.txt", in: dir)
        assertDataError(try load(semeval, format: "semeval"), file: semeval, line: 1, contains: "\"t\".pos [1, 3) does not lie within the 2 tokens")
        let tie = try SharedDataFixtures.write("{\"examples\": [{\"input\": \"x\", \"target_scores\": {\"0\": 1, \"1\": 1}}]}", to: "tie.json", in: dir)
        XCTAssertThrowsError(try load(tie, format: "bigbench")) { error in
            XCTAssertEqual((error as? DataError)?.record, "examples[0]")
            XCTAssertTrue("\(error)".contains("tie for the highest score between 0, 1"), "\(error)")
        }
        let csv = try SharedDataFixtures.write("sentence,label\n\"never closed,1\n", to: "q.csv", in: dir)
        assertDataError(try load(csv, format: "csv"), file: csv, line: 2, contains: "quoted field is never closed")
    }

    func testSkipPolicyCountsAndReportsEverySkippedRow() throws {
        let dir = try SharedDataFixtures.scratchDirectory(self)
        let path = try SharedDataFixtures.write(Array("sentence\tlabel\nok\t1\nragged\t1\textra\nodd\t9\n".utf8) + [0xFF] + Array("\t0\nfine\t0\n".utf8), to: "mixed.tsv", in: dir)
        let splits = try load(path, extra: ["bad_rows": "skip"])
        XCTAssertEqual(splits.test.map(\.input), ["ok", "fine"])
        XCTAssertEqual(splits.skipped.count, 3, "the file serves all three splits but is read, and its bad rows reported, once")
        XCTAssertEqual(Set(splits.skipped.map(\.line)), [3, 4, 5])
        XCTAssertEqual(splits.skippedByReason.count, 3)
        XCTAssertTrue(splits.skipped.allSatisfy { $0.file == path })
    }

    func testConfigErrorsNameTheJSONPath() {
        func error(_ json: JSONValue) -> ConfigError? {
            do { _ = try DatasetConfig(json: json, baseDirectory: "/"); return nil } catch { return error as? ConfigError }
        }
        XCTAssertEqual(error(["train": "a", "dev": "b", "test": "c", "colums": "x"])?.path, "$.task.dataset.colums")
        XCTAssertEqual(error(["format": "parquet", "train": "a", "dev": "b", "test": "c"])?.path, "$.task.dataset.format")
        XCTAssertEqual(error(["train": "a", "test": "c"])?.path, "$.task.dataset.dev")
        XCTAssertEqual(error(["file": "a"])?.path, "$.task.dataset.split")
        XCTAssertEqual(error(["file": "a", "train": "b", "split": ["k_shot": 4]])?.path, "$.task.dataset.train")
        XCTAssertEqual(error(["train": "a", "dev": "b", "test": "c", "split": ["k_shot": 4]])?.path, "$.task.dataset.split")
        XCTAssertEqual(error(["file": "a", "split": ["k_shot": 4, "train_fraction": 0.5]])?.path, "$.task.dataset.split.train_fraction")
        XCTAssertEqual(error(["file": "a", "split": ["train_fraction": 0.7, "dev_fraction": 0.5]])?.path, "$.task.dataset.split.dev_fraction")
        XCTAssertEqual(error(["file": "a", "split": ["k_shot": 0]])?.path, "$.task.dataset.split.k_shot")
        XCTAssertEqual(error(["file": "a", "split": ["k_shot": 4, "seeed": 1]])?.path, "$.task.dataset.split.seeed")
        XCTAssertEqual(error(["format": "jsonl", "train": "a", "dev": "b", "test": "c", "quoting": "none"])?.path, "$.task.dataset.quoting")
        XCTAssertEqual(error(["train": "a", "dev": "b", "test": "c", "quoting": "smart"])?.path, "$.task.dataset.quoting")
        XCTAssertEqual(error(["format": "semeval", "train": "a", "dev": "b", "test": "c", "input_column": "x"])?.path, "$.task.dataset.input_column")
        XCTAssertEqual(error(["format": "semeval", "train": "a", "dev": "b", "test": "c", "entity_markers": ["head": "<e1>"]])?.path, "$.task.dataset.entity_markers.head")
        XCTAssertEqual(error(["train": "a", "dev": "b", "test": "c", "entity_markers": ["head": "{entity}"]])?.path, "$.task.dataset.entity_markers")
        XCTAssertEqual(error(["train": "a", "dev": "b", "test": "c", "input_column": []])?.path, "$.task.dataset.input_column")
        XCTAssertEqual(error(["train": "a", "dev": "b", "test": "c", "bad_rows": "ignore"])?.path, "$.task.dataset.bad_rows")
    }

    func testPerClassSplitRefusesTooSmallClassesAndGenerationTasks() throws {
        let dir = try SharedDataFixtures.scratchDirectory(self)
        let path = try SharedDataFixtures.write("sentence\tlabel\na\t0\nb\t0\nc\t1\n", to: "small.tsv", in: dir)
        let config = try DatasetConfig(json: ["file": .string(path), "split": ["k_shot": 2, "dev_per_class": 0]], baseDirectory: "/")
        XCTAssertThrowsError(try DatasetLoader.load(config, labels: binary, seed: 0)) { error in
            XCTAssertTrue("\(error)".contains("class \"1\" has 1 examples; k_shot 2 + dev_per_class 0 needs 2"), "\(error)")
        }
        XCTAssertThrowsError(try DatasetLoader.load(config, labels: [], seed: 0)) { error in
            XCTAssertEqual((error as? ConfigError)?.path, "$.task.dataset.split.k_shot")
        }
    }
}
