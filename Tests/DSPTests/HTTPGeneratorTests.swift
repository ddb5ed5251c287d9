import Foundation
@_spi(Internals) @testable import Hone
import HoneSDK
import HoneTestSupport
import XCTest

/// DSP on the `openai` backend against the FixtureHTTPServer: embeddings from `/v1/embeddings`,
/// sampled generations from `/v1/chat/completions`. The fixture "LLM" follows hints: it answers
/// with the article sentences that contain the most keywords of the prompt's `Keywords:` line
/// (the lead sentence when none does), so the reward depends on the policy's hints.
final class HTTPGeneratorTests: XCTestCase {
    static func reply(_ request: FixtureHTTPServer.Request) -> FixtureHTTPServer.Reply {
        switch request.path {
        case "/v1/embeddings":
            let texts = request.json["input"]?.arrayValue?.compactMap(\.stringValue) ?? []
            return .ok(FixtureReplies.embeddings(texts.map { text in
                var state = text.utf8.reduce(UInt64(1469598103934665603)) { ($0 ^ UInt64($1)) &* 1099511628211 }
                return (0..<16).map { _ in
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    return Float(Double(state >> 11) / Double(1 << 53) * 2 - 1)
                }
            }))
        case "/v1/chat/completions":
            let prompt = request.json["messages"]?.arrayValue?.last?["content"]?.stringValue ?? ""
            let keywords = prompt.components(separatedBy: "\n").first { $0.hasPrefix("Keywords:") }
                .map { $0.dropFirst("Keywords:".count).split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() } } ?? []
            var article = prompt.components(separatedBy: "Article: ").last ?? ""
            if let end = article.range(of: "\n\nSummary:") { article = String(article[..<end.lowerBound]) }
            let sentences = SentenceSplitter.split(article)
            let hits = sentences.map { s in keywords.filter { !$0.isEmpty && s.lowercased().contains($0) }.count }
            let ranked = sentences.indices.filter { hits[$0] > 0 }.sorted { hits[$0] > hits[$1] }.prefix(2).sorted()
            return .ok(FixtureReplies.openAIChat([ranked.isEmpty ? (sentences.first ?? "") : ranked.map { sentences[$0] }.joined(separator: " ")]))
        default:
            return .respond(status: 404, body: FixtureReplies.openAIError("unknown route"))
        }
    }

    func testDSPTrainsOnASampledChatGeneratorAndEmbeddingsOverHTTP() throws {
        let hone = try BuiltProducts.path("hone"), plugin = try BuiltProducts.path("libHonePluginDirectionalStimulus.so")
        let server = try FixtureHTTPServer(handler: { HTTPGeneratorTests.reply($0) })
        let dir = try BuiltProducts.temporaryDirectory("dsp-http")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let instruction = "Write a short summary that includes the keywords."
        let config: JSONValue = [
            "name": "dsp-http", "seed": 4,
            "task": [
                "type": "generation",
                "dataset": ["format": "json-records", "file": .string(BuiltProducts.root.path + "/examples/data/cnndm/cnndm_val60.json"),
                            "input_column": "article", "label_column": "reference",
                            "split": ["train_fraction": 0.1, "dev_fraction": 0.05], "test_sample": 3],
                "template": "{prompt}\n\nArticle: {input}\n\nSummary:", "prompt": .string(instruction), "metric": "rouge1",
                "generation": ["max_tokens": 80, "temperature": 0.7],
            ],
            "backend": ["type": "openai", "base_url": .string(server.baseURL + "/v1"), "model": "fixture-llm",
                        "capabilities": ["generate", "embed"], "seed": 100, "max_concurrency": 4],
            "cache": ["path": .string(dir + "/cache.sqlite")],
            "stages": [["plugin": "org.hone.dsp",
                        "config": ["prompt_template": .string(instruction + "\nKeywords: [[HINT]]"), "candidates": 15,
                                   "rl_steps": 2, "batch_size": 3, "hints_per_input": 2, "generator_samples": 2, "eval_every": 2],
                        "budget": ["calls": 5000], "keep_if_worse": true]],
        ]
        try config.prettyPrinted().write(toFile: dir + "/pipeline.json", atomically: true, encoding: .utf8)
        let run = try BuiltProducts.run([hone, "run", dir + "/pipeline.json", "--out", dir + "/run", "--plugin-path", plugin, "-q"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let result = try JSONValue(parsing: String(contentsOfFile: dir + "/run/result.json", encoding: .utf8))
        XCTAssertEqual(result["best_prompt"]?["kind"], "rendered")
        XCTAssertEqual(result["best_prompt"]?["method"], "org.hone.dsp")
        let curve = result["stages"]?.arrayValue?.first?["curve"]?.arrayValue ?? []
        XCTAssertEqual(curve.filter { $0["reward"] != nil }.count, 2, "two RL steps: \(curve)")

        let requests = server.requests
        XCTAssertTrue(requests.contains { $0.path == "/v1/embeddings" }, "features come from the server's embeddings")
        let chats = requests.filter { $0.path == "/v1/chat/completions" }
        let prompts = chats.compactMap { $0.json["messages"]?.arrayValue?.last?["content"]?.stringValue }
        XCTAssertTrue(prompts.contains { $0.contains("\nKeywords: ") && !$0.contains("\nKeywords: \n") }, "hinted prompts reach the generator")
        // Each hinted prompt is sampled twice (generator_samples 2): seeds 100 and 101, at temperature 0.7.
        XCTAssertTrue(chats.contains { $0.json["seed"]?.intValue == 101 && $0.json["temperature"]?.doubleValue == 0.7 }, "\(chats.prefix(2).map(\.json))")
    }
}
