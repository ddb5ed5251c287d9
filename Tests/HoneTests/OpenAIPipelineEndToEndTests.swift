import Foundation
import HoneSDK
import HoneTestSupport
import XCTest

@testable import Hone

/// A whole `hone run` on the `openai` backend, against the in-process FixtureHTTPServer playing
/// a vLLM server that scores by echoed log-probabilities.
final class OpenAIPipelineEndToEndTests: XCTestCase {
    /// A fixture "model" that knows the demo data's labels: the candidate at the end of the
    /// prompt gets a high log-probability when it names the review's label, a low one otherwise.
    /// (The point is that scores travel from the server through the backend to the metric.)
    static func labelledReply(labels: [String: String]) -> @Sendable (FixtureHTTPServer.Request) -> FixtureHTTPServer.Reply {
        { request in
            guard request.path == "/v1/completions", let prompt = request.json["prompt"]?.stringValue else {
                return .respond(status: 404, body: FixtureReplies.openAIError("unknown route"))
            }
            let candidate = prompt.hasSuffix("great") ? "great" : "terrible"
            let context = String(prompt.dropLast(candidate.count))
            let gold = labels.first { context.hasSuffix($0.key) }?.value
            let agrees = (candidate == "great") == (gold == "1")
            var tokens = OpenAIBackendFormatTests.fixtureTokens(prompt).map { ($0.0, $0.1.map { _ in -1.0 }) }
            var covered = 0
            for i in stride(from: tokens.count - 1, through: 1, by: -1) where covered < candidate.count {
                covered += tokens[i].0.count
                tokens[i].1 = agrees ? -0.2 : -3
            }
            return .ok(FixtureReplies.vLLMEchoCompletion(tokens: tokens))
        }
    }

    /// The gold label of every sentence of the demo excerpt in `data`.
    static func demoLabels(_ data: String) throws -> [String: String] {
        var labels: [String: String] = [:]
        for split in ["train", "dev", "test"] {
            for line in try String(contentsOfFile: "\(data)/\(split).tsv", encoding: .utf8).split(separator: "\n").dropFirst() {
                let fields = line.split(separator: "\t")
                if fields.count == 2 { labels[String(fields[0])] = String(fields[1]) }
            }
        }
        return labels
    }

    func testHoneRunOnTheOpenAIBackendWritesAResultWithoutTheKey() throws {
        let key = "sk-e2e-SECRET-424242"
        let data = TestEnvironment.repository + "/examples/data/sst2"
        let server = try FixtureHTTPServer(handler: OpenAIPipelineEndToEndTests.labelledReply(labels: try OpenAIPipelineEndToEndTests.demoLabels(data)))
        let dir = try TestEnvironment.temporaryDirectory("openai-e2e")
        let config: JSONValue = [
            "name": "openai-e2e", "seed": 5,
            "task": [
                "dataset": ["train": .string(data + "/train.tsv"), "dev": .string(data + "/dev.tsv"), "test": .string(data + "/test.tsv"), "test_sample": 20],
                "template": "{prompt} {input}", "prompt": "",
                "labels": [["name": "0", "verbalizer": "terrible"], ["name": "1", "verbalizer": "great"]],
            ],
            "backend": ["type": "openai", "base_url": .string(server.baseURL + "/v1"), "model": "fixture-llm",
                        "api_key_env": "HONE_E2E_KEY", "capabilities": ["score"], "max_concurrency": 8],
            "cache": ["path": .string(dir + "/cache.sqlite")],
            "stages": [["plugin": "org.hone.random-search",
                        "config": ["prompt_length": 2, "candidates_per_round": 2, "rounds": 1, "dev_top_k": 1, "vocab_size": 50],
                        "budget": ["calls": 60]]],
        ]
        let file = dir + "/pipeline.json"
        try config.prettyPrinted().write(toFile: file, atomically: true, encoding: .utf8)
        let run = try TestEnvironment.run([TestEnvironment.honeExecutable, "run", file, "--out", dir + "/run"], environment: ["HONE_E2E_KEY": key])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertFalse(run.stdout.contains(key) || run.stderr.contains(key))
        let result = try JSONValue(parsing: String(contentsOfFile: dir + "/run/result.json", encoding: .utf8))
        XCTAssertTrue(result["backend"]?.stringValue?.hasPrefix("openai(fixture-llm") == true, "\(result["backend"] ?? .null)")
        XCTAssertEqual(result["scores"]?["baseline"]?["test"]?.doubleValue, 1, "the fixture model's scores reach the metric")
        XCTAssertGreaterThan(server.requests.count, 0)
        XCTAssertTrue(server.requests.allSatisfy { $0.headers["authorization"] == "Bearer \(key)" })
        for name in try FileManager.default.subpathsOfDirectory(atPath: dir) {
            let path = dir + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            XCTAssertNil(bytes.range(of: Data(key.utf8)), "the key is in \(name)")
        }
    }

    func testABackendBudgetEndsOptimizationCleanlyAndTheFinalScoringStillRuns() throws {
        let data = TestEnvironment.repository + "/examples/data/sst2"
        let server = try FixtureHTTPServer(handler: OpenAIPipelineEndToEndTests.labelledReply(labels: try OpenAIPipelineEndToEndTests.demoLabels(data)))
        let dir = try TestEnvironment.temporaryDirectory("openai-budget")
        // Baseline: (32 + 32 + 20) examples x 2 candidates = 168 requests; round 1 of random search:
        // 2 prompts x 32 x 2 = 128 more (296); its dev re-ranking (64) no longer fits.
        let config: JSONValue = [
            "name": "openai-budget", "seed": 5,
            "task": [
                "dataset": ["train": .string(data + "/train.tsv"), "dev": .string(data + "/dev.tsv"), "test": .string(data + "/test.tsv"), "test_sample": 20],
                "labels": [["name": "0", "verbalizer": "terrible"], ["name": "1", "verbalizer": "great"]],
            ],
            "backend": ["type": "openai", "base_url": .string(server.baseURL + "/v1"), "model": "fixture-llm",
                        "capabilities": ["score"], "budget": ["calls": 300]],
            "cache": ["enabled": false],
            "stages": [["plugin": "org.hone.random-search",
                        "config": ["prompt_length": 2, "candidates_per_round": 2, "rounds": 1, "dev_top_k": 1, "vocab_size": 50]]],
        ]
        let file = dir + "/pipeline.json"
        try config.prettyPrinted().write(toFile: file, atomically: true, encoding: .utf8)
        let run = try TestEnvironment.run([TestEnvironment.honeExecutable, "run", file, "--out", dir + "/run"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let result = try JSONValue(parsing: String(contentsOfFile: dir + "/run/result.json", encoding: .utf8))
        XCTAssertNotNil(result["scores"]?["best"]?["test"]?.doubleValue, "the best prompt was scored on test after the budget ran out")
        XCTAssertNotEqual(result["stages"]?.arrayValue?.first?["best_prompt"]?["text"]?.stringValue, "", "the stage returned the best prompt it had scored")
        XCTAssertGreaterThan(server.requests.count, 300, "the final scoring went past the optimization budget")
    }
}

