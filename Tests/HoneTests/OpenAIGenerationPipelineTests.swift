import Foundation
import HoneSDK
import HoneTestSupport
import XCTest

@_spi(Internals) @testable import Hone

/// A generation pipeline on the `openai` backend's `generate`, against the FixtureHTTPServer
/// answering in OpenAI's chat format and in vLLM's completions format. The fixture "model"
/// answers with the first sentence of the article in its prompt (the lead-1 summary), so the
/// ROUGE the host reports can be checked against the same sentence scored directly.
final class OpenAIGenerationPipelineTests: XCTestCase {
    /// The article's first sentence, from a prompt ending "Article: <text>\n\nSummary:".
    static func leadSentence(of prompt: String) -> String {
        guard let start = prompt.range(of: "Article: ") else { return "" }
        var article = String(prompt[start.upperBound...])
        if let end = article.range(of: "\n\nSummary:") { article = String(article[..<end.lowerBound]) }
        return SentenceSplitter.split(article).first ?? article
    }

    /// Replies to chat (OpenAI) or completions (vLLM) requests with the lead sentence.
    static func leadReply(_ request: FixtureHTTPServer.Request) -> FixtureHTTPServer.Reply {
        switch request.path {
        case "/v1/chat/completions":
            let messages = request.json["messages"]?.arrayValue ?? []
            let prompt = messages.last?["content"]?.stringValue ?? ""
            return .ok(FixtureReplies.openAIChat([leadSentence(of: prompt)]))
        case "/v1/completions":
            return .ok(FixtureReplies.vLLMCompletion(leadSentence(of: request.json["prompt"]?.stringValue ?? "")))
        default:
            return .respond(status: 404, body: FixtureReplies.openAIError("unknown route"))
        }
    }

    private func runPipeline(endpoint: String) throws -> (result: JSONValue, dir: String, pipeline: String, server: FixtureHTTPServer) {
        let server = try FixtureHTTPServer(handler: { OpenAIGenerationPipelineTests.leadReply($0) })
        let dir = try TestEnvironment.temporaryDirectory("openai-generation-\(endpoint)")
        let data = TestEnvironment.repository + "/examples/data/cnndm/cnndm_val60.json"
        let config: JSONValue = [
            "name": "openai-generation", "seed": 9,
            "task": [
                "type": "generation",
                "dataset": ["format": "json-records", "file": .string(data), "input_column": "article", "label_column": "reference",
                            "split": ["train_fraction": 0.1, "dev_fraction": 0.1], "test_sample": 10],
                "template": "{prompt}\n\nArticle: {input}\n\nSummary:", "prompt": "Summarize the article.",
                "metric": "rouge1", "generation": ["max_tokens": 60],
            ],
            "backend": ["type": "openai", "base_url": .string(server.baseURL + "/v1"), "model": "fixture-llm",
                        "capabilities": ["generate"], "generate_endpoint": .string(endpoint), "max_concurrency": 4],
            "cache": ["path": .string(dir + "/cache.sqlite")],
            "stages": [["plugin": "org.hone.random-search",
                        "config": ["prompt_length": 1, "candidates_per_round": 2, "rounds": 1, "dev_top_k": 1,
                                   "vocabulary": ["Summarize the article.", "Give the lead."]],
                        "budget": ["calls": 30]]],
        ]
        let file = dir + "/pipeline.json"
        try config.prettyPrinted().write(toFile: file, atomically: true, encoding: .utf8)
        let run = try TestEnvironment.run([TestEnvironment.honeExecutable, "run", file, "--out", dir + "/run", "-q"])
        XCTAssertEqual(run.status, 0, run.stderr)
        return (try JSONValue(parsing: String(contentsOfFile: dir + "/run/result.json", encoding: .utf8)), dir, file, server)
    }

    /// ROUGE-1 of the lead sentence on the pipeline's test split, computed without the host's run.
    private func expectedTestRouge1(_ pipeline: String) throws -> Double {
        let config = try PipelineConfig.load(file: pipeline)
        let test = try DatasetLoader.load(config.task.dataset, labels: [], seed: config.seed).test
        let scorer = RougeScorer(usesStemmer: true)
        let each = test.map { scorer.rougeN(1, prediction: SentenceSplitter.split($0.input).first ?? $0.input, reference: $0.label).fmeasure }
        return each.reduce(0, +) / Double(each.count)
    }

    func testAGenerationPipelineRunsOnAChatServerInOpenAIsFormat() throws {
        let (result, dir, pipeline, server) = try runPipeline(endpoint: "chat")
        XCTAssertEqual(result["task_type"], "generation")
        let test = try XCTUnwrap(result["scores"]?["baseline"]?["test"]?.doubleValue)
        XCTAssertEqual(test, try expectedTestRouge1(pipeline), accuracy: 1e-9, "the fixture's outputs reach the metric unchanged")
        XCTAssertTrue(server.requests.contains { $0.path == "/v1/chat/completions" && $0.json["max_tokens"]?.intValue == 60 })
        XCTAssertGreaterThan(result["prompt_tokens"]?.intValue ?? 0, 0, "token usage of the generations is counted")

        let eval = try TestEnvironment.run([TestEnvironment.honeExecutable, "eval", pipeline, "--prompt", "Give the lead.", "-q"])
        XCTAssertEqual(eval.status, 0, eval.stderr)
        XCTAssertTrue(eval.stdout.hasPrefix("rouge1 on test (10 examples): \(String(format: "%.4f", test))"), eval.stdout)
        let report = try TestEnvironment.run([TestEnvironment.honeExecutable, "report", dir + "/run"])
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(report.stdout.contains(String(format: "%.4f", test)), report.stdout)
        let export = try TestEnvironment.run([TestEnvironment.honeExecutable, "export", dir + "/run", "--format", "json"])
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertEqual(try JSONValue(parsing: export.stdout)["provenance"]?["metric"], "rouge1")
    }

    func testAGenerationPipelineRunsOnACompletionsServerInVLLMsFormat() throws {
        let (result, _, pipeline, server) = try runPipeline(endpoint: "completions")
        XCTAssertEqual(try XCTUnwrap(result["scores"]?["best"]?["test"]?.doubleValue), try expectedTestRouge1(pipeline), accuracy: 1e-9)
        XCTAssertTrue(server.requests.allSatisfy { $0.path == "/v1/completions" })
    }
}
