import Foundation
import Hone
import HoneSDK
import HoneTestSupport
import XCTest

/// `score` on an `openai` backend that can only `embed`: cosine similarity of the query and
/// candidate embeddings over a temperature, against a fixture server with known vectors.
final class OpenAIEmbeddingScoringTests: XCTestCase {
    /// A server whose vector for a text is fixed by the text (unnormalized on purpose).
    static func vectorServer(failing: String? = nil) throws -> FixtureHTTPServer {
        try FixtureHTTPServer { request in
            guard request.path == "/v1/embeddings" else { return .respond(status: 404, body: FixtureReplies.openAIError("no such route")) }
            let inputs = request.json["input"]?.arrayValue?.compactMap(\.stringValue) ?? []
            if let failing, inputs.contains(where: { $0.contains(failing) }) {
                return .respond(status: 400, body: FixtureReplies.openAIError("input rejected"))
            }
            let table: [String: [Float]] = ["query: good film": [3, 4], "query: bad film": [0, 2], "passage: great": [2, 0], "passage: terrible": [0, 5]]
            return .ok(FixtureReplies.embeddings(inputs.map { table[$0] ?? [1, 1] }))
        }
    }

    func testEmbedOnlyCapabilitiesScoreByEmbeddingSimilarity() throws {
        let json: JSONValue = ["type": "openai", "base_url": "http://127.0.0.1:9/v1", "model": "e5", "capabilities": ["embed"]]
        let c = try OpenAIConfiguration(settings: try ConfigObject(json, path: "$.backend"))
        XCTAssertEqual(c.scoreMode, .embeddingSimilarity)
        XCTAssertEqual(c.capabilities, [.embed, .score])
        XCTAssertEqual(c.similarityTemperature, 0.01)
        let explicit: JSONValue = ["type": "openai", "base_url": "http://a/v1", "model": "m", "score_mode": "embedding-similarity", "similarity_temperature": 0.05]
        XCTAssertEqual(try OpenAIConfiguration(settings: try ConfigObject(explicit, path: "$.backend")).similarityTemperature, 0.05)
        let logprobs: JSONValue = ["type": "openai", "base_url": "http://a/v1", "model": "m", "capabilities": ["generate", "score", "embed"]]
        XCTAssertEqual(try OpenAIConfiguration(settings: try ConfigObject(logprobs, path: "$.backend")).scoreMode, .completionsEcho, "a server with log-probabilities keeps them")
    }

    func testEmbeddingSimilarityWithoutEmbedIsAConfigError() throws {
        let json: JSONValue = ["type": "openai", "base_url": "http://a/v1", "model": "m", "capabilities": ["generate"], "score_mode": "embedding-similarity"]
        XCTAssertThrowsError(try OpenAIConfiguration(settings: try ConfigObject(json, path: "$.backend"))) { error in
            let e = error as? ConfigError
            XCTAssertEqual(e?.path, "$.backend.score_mode")
            XCTAssertTrue(e?.message.contains("\"embed\" is not in $.backend.capabilities") ?? false, "\(error)")
        }
    }

    func testScoresAreCosineOverTheTemperatureWithQueryAndPassageRoles() throws {
        let server = try OpenAIEmbeddingScoringTests.vectorServer()
        let backend = try makeFixtureBackend([server], cache: try ResponseCache(path: nil)) {
            $0.capabilities = [.embed, .score]; $0.scoreMode = .embeddingSimilarity; $0.embeddingRole = .prefix; $0.similarityTemperature = 0.1
        }
        let items = [ScoreItem(context: "good film", candidates: ["terrible", "great"]), ScoreItem(context: "bad film", candidates: ["terrible", "great"])]
        let scores = try backend.score(items)
        XCTAssertEqual(scores[0][0], 0.8 / 0.1, accuracy: 1e-5, "cos([3,4],[0,5]) = 0.8")
        XCTAssertEqual(scores[0][1], 0.6 / 0.1, accuracy: 1e-5, "cos([3,4],[2,0]) = 0.6")
        XCTAssertEqual(scores[1], [10, 0], "cos([0,2],[0,5]) = 1, cos([0,2],[2,0]) = 0")
        XCTAssertEqual(backend.classifierTemperature, 0.1)
        let sent = server.requests.compactMap { $0.json["input"]?.arrayValue?.compactMap(\.stringValue) }.flatMap { $0 }
        XCTAssertEqual(Set(sent), ["query: good film", "query: bad film", "passage: terrible", "passage: great"], "each text embedded once, in its role")
        XCTAssertEqual(try backend.score(items), scores, "the second time from the cache")
        XCTAssertEqual(backend.usage.cacheHits, 4)
    }

    func testAFailedEmbeddingFailsOnlyTheItemsThatNeedIt() throws {
        let server = try OpenAIEmbeddingScoringTests.vectorServer(failing: "broken")
        let backend = try makeFixtureBackend([server]) {
            $0.capabilities = [.embed, .score]; $0.scoreMode = .embeddingSimilarity; $0.embeddingRole = .prefix; $0.embedBatchSize = 1
        }
        let results = try backend.scoreEach([ScoreItem(context: "good film", candidates: ["terrible", "great"]),
                                             ScoreItem(context: "broken text", candidates: ["terrible", "great"])])
        XCTAssertEqual(try results[0].get().count, 2)
        guard case .failure(let error) = results[1] else { return XCTFail("the item whose context failed must fail") }
        XCTAssertTrue(error.message.contains("input rejected"), error.message)
    }

    /// `hone validate` and `hone run` with an embed-only server: classification needs `score`,
    /// which the backend now derives from `/v1/embeddings` (a fixture "model" whose query vectors
    /// point at the gold label's verbalizer, so the metric is 1 when scores reach it).
    func testHoneValidatesAndRunsAClassificationPipelineOnAnEmbedOnlyServer() throws {
        let data = TestEnvironment.repository + "/examples/data/sst2"
        let labels = try OpenAIPipelineEndToEndTests.demoLabels(data)
        let server = try FixtureHTTPServer { request in
            guard request.path == "/v1/embeddings" else { return .respond(status: 404, body: FixtureReplies.openAIError("embeddings only")) }
            let inputs = request.json["input"]?.arrayValue?.compactMap(\.stringValue) ?? []
            return .ok(FixtureReplies.embeddings(inputs.map { text -> [Float] in
                if text == "passage: great" { return [1, 0] }
                if text == "passage: terrible" { return [0, 1] }
                return labels.first { text.hasSuffix($0.key) }?.value == "1" ? [2, 0] : [0, 2]
            }))
        }
        let dir = try TestEnvironment.temporaryDirectory("embed-only")
        let config: JSONValue = [
            "name": "embed-only", "seed": 5,
            "task": [
                "dataset": ["train": .string(data + "/train.tsv"), "dev": .string(data + "/dev.tsv"), "test": .string(data + "/test.tsv"), "test_sample": 20],
                "template": "{prompt} {input}", "prompt": "",
                "labels": [["name": "0", "verbalizer": "terrible"], ["name": "1", "verbalizer": "great"]],
            ],
            "backend": ["type": "openai", "base_url": .string(server.baseURL + "/v1"), "model": "fixture-e5",
                        "capabilities": ["embed"], "embedding_role": "prefix"],
            "cache": ["enabled": false],
            "stages": [["plugin": "org.hone.random-search",
                        "config": ["prompt_length": 2, "candidates_per_round": 2, "rounds": 1, "dev_top_k": 1, "vocab_size": 50],
                        "budget": ["calls": 100]]],
        ]
        let file = dir + "/pipeline.json"
        try config.prettyPrinted().write(toFile: file, atomically: true, encoding: .utf8)
        let validate = try TestEnvironment.run([TestEnvironment.honeExecutable, "validate", file])
        XCTAssertEqual(validate.status, 0, validate.stderr)
        let run = try TestEnvironment.run([TestEnvironment.honeExecutable, "run", file, "--out", dir + "/run"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let result = try JSONValue(parsing: String(contentsOfFile: dir + "/run/result.json", encoding: .utf8))
        XCTAssertEqual(result["scores"]?["baseline"]?["test"]?.doubleValue, 1, "similarity scores reach the metric")
        XCTAssertTrue(server.requests.allSatisfy { $0.path == "/v1/embeddings" })
    }
}
