import Foundation
import HoneSDK
import XCTest

@testable import Hone

/// Inputs refused (or, for a byte-order mark, accepted) at load time with the file and line or
/// the JSON path: NUL bytes in data rows and prompts, templates with unknown or doubled slots
/// (issue 15, item 7).
final class InputRefusalTests: XCTestCase {
    /// A pipeline config in a fresh folder with TSV splits; `train` is the train file's text.
    private func config(train: String, task: [String: JSONValue] = [:], format: String = "tsv", trainFile: String = "train.tsv") throws -> (JSONValue, String) {
        let dir = try TestEnvironment.temporaryDirectory("inputs")
        let rows = "text\tlabel\na fine film\tpos\na dull film\tneg\n"
        try train.write(toFile: dir + "/" + trainFile, atomically: true, encoding: .utf8)
        for name in ["dev.tsv", "test.tsv"] { try rows.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        var taskObject: [String: JSONValue] = [
            "dataset": ["format": .string(format), "train": .string(trainFile), "dev": "dev.tsv", "test": "test.tsv", "input_column": "text", "label_column": "label"],
            "template": "{prompt} {input}", "prompt": "Review:",
            "labels": [["name": "neg", "verbalizer": "bad"], ["name": "pos", "verbalizer": "good"]],
        ]
        for (k, v) in task { taskObject[k] = v }
        let json: JSONValue = ["name": "inputs", "task": .object(taskObject), "stages": [["plugin": "org.hone.random-search"]]]
        return (json, dir)
    }

    private func configError(_ json: JSONValue, _ dir: String) -> ConfigError? {
        do { _ = try PipelineConfig(json: json, baseDirectory: dir) } catch let error as ConfigError { return error } catch {
            XCTFail("unexpected \(error)")
        }
        return nil
    }

    func testNULByteInADataRowIsRefusedAtLoadWithFileAndLine() throws {
        let (json, dir) = try config(train: "text\tlabel\na fine film\tpos\na dull\0 film\tneg\nwarm\tpos\n")
        let pipeline = try PipelineConfig(json: json, baseDirectory: dir)
        XCTAssertThrowsError(try DatasetLoader.load(pipeline.task.dataset, labels: pipeline.task.labels, seed: 1)) { error in
            let e = error as? DataError
            XCTAssertEqual(e?.line, 3, "\(error)")
            XCTAssertEqual(e.map { ($0.file as NSString).lastPathComponent }, "train.tsv")
            XCTAssertTrue(e?.message.contains("NUL") == true, "\(error)")
        }
    }

    func testNULEscapedInAJSONLinesRecordIsRefusedWithItsLine() throws {
        let lines = #"{"text": "a fine film", "label": "pos"}"# + "\n" + #"{"text": "bad\u0000film", "label": "neg"}"# + "\n"
        let (json, dir) = try config(train: lines, format: "jsonl", trainFile: "train.jsonl")
        let pipeline = try PipelineConfig(json: json, baseDirectory: dir)
        XCTAssertThrowsError(try DatasetLoader.load(pipeline.task.dataset, labels: pipeline.task.labels, seed: 1)) { error in
            XCTAssertEqual((error as? DataError)?.line, 2, "\(error)")
        }
    }

    func testNULByteInThePromptOrAVerbalizerIsRefusedWithItsJSONPath() throws {
        let (json, dir) = try config(train: "text\tlabel\nx\tpos\n", task: ["prompt": "Review\u{0}:"])
        XCTAssertEqual(configError(json, dir)?.path, "$.task.prompt")
        let (json2, dir2) = try config(train: "text\tlabel\nx\tpos\n", task: ["labels": [["name": "neg", "verbalizer": "ba\u{0}d"], ["name": "pos"]]])
        XCTAssertEqual(configError(json2, dir2)?.path, "$.task.labels[0].verbalizer")
    }

    func testConfigWithAUTF8ByteOrderMarkLoads() throws {
        let (json, dir) = try config(train: "text\tlabel\nx\tpos\n")
        let path = dir + "/pipeline.json"
        try Data([0xEF, 0xBB, 0xBF] + Array(json.prettyPrinted().utf8)).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try PipelineConfig.load(file: path).task.prompt, "Review:")
        let recorded = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertNoThrow(try JSONValue(parsing: recorded), "the config text a ledger records parses again on resume")
    }

    func testTemplateWithAnUnknownSlotIsRefusedWithItsJSONPath() throws {
        let (json, dir) = try config(train: "x\tpos\n", task: ["template": "{prompt} {input} {unknown}"])
        let error = try XCTUnwrap(configError(json, dir))
        XCTAssertEqual(error.path, "$.task.template")
        XCTAssertTrue(error.message.contains("{unknown}"), error.message)
    }

    func testTemplateWithADoubledInputIsRefusedWithItsJSONPath() throws {
        let (json, dir) = try config(train: "x\tpos\n", task: ["template": "{prompt} {input} Again: {input}"])
        let error = try XCTUnwrap(configError(json, dir))
        XCTAssertEqual(error.path, "$.task.template")
        XCTAssertTrue(error.message.contains("{input} 2 times"), error.message)
    }

    func testLiteralBracesInATemplateAreText() throws {
        let (json, dir) = try config(train: "x\tpos\n", task: ["template": "Answer as {\"label\": ...}. {prompt} { } {input}"])
        XCTAssertNil(configError(json, dir))
        XCTAssertEqual(TemplateCheck.slotNames(in: "{prompt}{input}{2x}{a b}{\"q\"}"), ["prompt", "input"])
    }
}
