import Foundation
import Hone
import HoneSDK
import HoneTestSupport
import XCTest

/// Parsing of the documented answer formats of OpenAI, vLLM and llama.cpp, replayed by the
/// in-process FixtureHTTPServer.
final class OpenAIBackendFormatTests: XCTestCase {
    func testGeneratesFromOpenAIChatAnswerAndCountsTokensAndCost() throws {
        let server = try FixtureHTTPServer { _ in .ok(FixtureReplies.openAIChat(["Paris."], promptTokens: 12, completionTokens: 5)) }
        let backend = try makeFixtureBackend([server]) { $0.prices = PriceTable(inputPerMillion: 1, outputPerMillion: 2) }
        let out = try backend.generate([GenerateRequest(prompt: "Capital of France?", system: "Answer briefly.", maxTokens: 16, stop: ["\n"])])
        XCTAssertEqual(out, ["Paris."])
        let sent = try XCTUnwrap(server.requests.first)
        XCTAssertEqual(sent.path, "/v1/chat/completions")
        XCTAssertEqual(sent.json["model"], "fixture-model")
        XCTAssertEqual(sent.json["messages"], [["role": "system", "content": "Answer briefly."], ["role": "user", "content": "Capital of France?"]])
        XCTAssertEqual(sent.json["max_tokens"], 16)
        XCTAssertEqual(sent.json["stop"], ["\n"])
        let usage = backend.usage
        XCTAssertEqual(usage.promptTokens, 12)
        XCTAssertEqual(usage.completionTokens, 5)
        XCTAssertEqual(usage.costUSD, (12 * 1 + 5 * 2) / 1e6, accuracy: 1e-12)
        XCTAssertEqual(usage.modelCalls, 1)
        XCTAssertGreaterThan(usage.latencySeconds, 0)
        XCTAssertEqual(usage.json["cost_usd"]?.doubleValue ?? 0, 22e-6, accuracy: 1e-12)
        XCTAssertEqual(usage.json["prompt_tokens"], 12)
    }

    func testGeneratesFromLlamaCppCompletionsAnswer() throws {
        let server = try FixtureHTTPServer { _ in .ok(FixtureReplies.llamaCppCompletion(" blue", promptTokens: 9, completionTokens: 4)) }
        let backend = try makeFixtureBackend([server]) { $0.generateEndpoint = .completions }
        XCTAssertEqual(try backend.generate([GenerateRequest(prompt: "The sky is", system: "Complete:")]), [" blue"])
        let sent = try XCTUnwrap(server.requests.first)
        XCTAssertEqual(sent.path, "/v1/completions")
        XCTAssertEqual(sent.json["prompt"], "Complete:\n\nThe sky is")
        XCTAssertEqual(backend.usage.promptTokens, 9)
        XCTAssertEqual(backend.usage.completionTokens, 4)
    }

    /// A made-up tokenizer for the fixture: words keep their leading space; words longer than
    /// five characters split in two halves; each token's log-probability is -length/10; the
    /// first token has none (as in vLLM).
    static func fixtureTokens(_ text: String) -> [(String, Double?)] {
        var words: [String] = []
        for ch in text {
            if ch == " " || words.isEmpty { words.append(String(ch)) } else { words[words.count - 1].append(ch) }
        }
        var tokens: [String] = []
        for w in words {
            if w.count > 5 {
                let half = w.index(w.startIndex, offsetBy: w.count / 2 + w.count % 2)
                tokens += [String(w[..<half]), String(w[half...])]
            } else {
                tokens.append(w)
            }
        }
        return tokens.enumerated().map { i, t in (t, i == 0 ? nil : -Double(t.count) / 10) }
    }

    func testScoresByEchoSummingEveryCandidateTokenFromVLLMAnswer() throws {
        let server = try FixtureHTTPServer { request in
            .ok(FixtureReplies.vLLMEchoCompletion(tokens: OpenAIBackendFormatTests.fixtureTokens(request.json["prompt"]?.stringValue ?? "")))
        }
        let backend = try makeFixtureBackend([server])
        // "Sentiment:" -> "Senti" "ment:"; " positive" -> " posi" "tive" (-0.5 - 0.4); " no" -> -0.3.
        let scores = try backend.score([ScoreItem(context: "Sentiment:", candidates: [" positive", " no"])])
        XCTAssertEqual(scores.count, 1)
        XCTAssertEqual(scores[0][0], -0.9, accuracy: 1e-9)
        XCTAssertEqual(scores[0][1], -0.3, accuracy: 1e-9)
        let sent = server.requests.map(\.json)
        XCTAssertEqual(Set(sent.compactMap { $0["prompt"]?.stringValue }), ["Sentiment: positive", "Sentiment: no"])
        for body in sent {
            XCTAssertEqual(body["echo"], true)
            XCTAssertEqual(body["logprobs"], 1)
            XCTAssertEqual(body["max_tokens"], 0)
        }
    }

    func testScoringByEchoIgnoresTheGeneratedTokenWhenMaxTokensIsOne() throws {
        let server = try FixtureHTTPServer { request in
            let prompt = request.json["prompt"]?.stringValue ?? ""
            return .ok(FixtureReplies.vLLMEchoCompletion(tokens: OpenAIBackendFormatTests.fixtureTokens(prompt) + [(" and", -5.0)]))
        }
        let backend = try makeFixtureBackend([server]) { $0.scoreMaxTokens = 1 }
        XCTAssertEqual(try backend.score([ScoreItem(context: "Sentiment:", candidates: [" no"])])[0][0], -0.3, accuracy: 1e-9)
        XCTAssertEqual(server.requests.first?.json["max_tokens"], 1)
    }

    func testScoringByEchoRejectsAnAnswerWithoutLogprobs() throws {
        let server = try FixtureHTTPServer { _ in .ok(FixtureReplies.llamaCppCompletion("x")) }
        let backend = try makeFixtureBackend([server]) { $0.retry.maxRetries = 0 }
        XCTAssertThrowsError(try backend.score([ScoreItem(context: "a", candidates: ["b"])])) { error in
            XCTAssertTrue("\(error)".contains("chat-top-logprobs"), "\(error)")
        }
    }

    func testScoresByChatTopLogprobsWithStatedFloorForMissingCandidate() throws {
        // Probabilities of distinct tokens: they sum to less than 1 (0.94), as a server's must.
        let top = [("positive", -0.3), (" negative", -2.0), ("neutral", -3.0), ("Negative", -4.0)]
        let server = try FixtureHTTPServer { _ in .ok(FixtureReplies.chatWithTopLogprobs(top)) }
        let backend = try makeFixtureBackend([server]) { $0.scoreMode = .chatTopLogprobs; $0.topLogprobs = 5 }
        let scores = try backend.score([ScoreItem(context: "Review: fine. Sentiment?", candidates: ["positive", "negative", "mixed"])])[0]
        XCTAssertEqual(scores[0], -0.3, accuracy: 1e-12)
        XCTAssertEqual(scores[1], log(exp(-2.0) + exp(-4.0)), accuracy: 1e-12, "case variants add up")
        let mass = exp(-0.3) + exp(-2.0) + exp(-3.0) + exp(-4.0)
        XCTAssertEqual(scores[2], min(-4.0, log(max(1e-12, 1 - mass))), accuracy: 1e-9)
        XCTAssertLessThan(scores[2], scores[1])
        XCTAssertEqual(backend.usage.flooredScores, 1)
        let sent = try XCTUnwrap(server.requests.first?.json)
        XCTAssertEqual(sent["logprobs"], true)
        XCTAssertEqual(sent["top_logprobs"], 5)
        XCTAssertEqual(sent["max_tokens"], 1)
    }

    func testEmbedsInInputOrderWhateverTheAnswerOrder() throws {
        let server = try FixtureHTTPServer { _ in
            .ok(#"{"object":"list","model":"m","data":[{"object":"embedding","index":1,"embedding":[0,1]},{"object":"embedding","index":0,"embedding":[1,0]}],"usage":{"prompt_tokens":4,"total_tokens":4}}"#)
        }
        let backend = try makeFixtureBackend([server])
        XCTAssertEqual(try backend.embed(["a", "b"], role: .passage), [[1, 0], [0, 1]])
        XCTAssertEqual(backend.usage.promptTokens, 4)
        XCTAssertEqual(server.requests.first?.json["input"], ["a", "b"])
        XCTAssertNil(server.requests.first?.json["input_type"])
    }

    func testEmbeddingRolesAsInputTypeOrPrefix() throws {
        let server = try FixtureHTTPServer { request in
            let n = request.json["input"]?.arrayValue?.count ?? 1
            return .ok(FixtureReplies.embeddings(Array(repeating: [1, 0], count: n)))
        }
        let typed = try makeFixtureBackend([server]) { $0.embeddingRole = .inputType }
        _ = try typed.embed(["q"], role: .query)
        XCTAssertEqual(server.requests.last?.json["input_type"], "query")
        let prefixed = try makeFixtureBackend([server]) { $0.embeddingRole = .prefix }
        _ = try prefixed.embed(["p"], role: .passage)
        XCTAssertEqual(server.requests.last?.json["input"], ["passage: p"])
    }

    func testErrorBodiesOfOpenAIVLLMAndLlamaCppReachTheUser() throws {
        let bodies = [
            FixtureReplies.openAIError("The model `nope` does not exist", code: "model_not_found"),
            FixtureReplies.vLLMError("This model's maximum context length is 4096 tokens"),
            FixtureReplies.llamaCppError("the request exceeds the available context size", code: 400, type: "invalid_request_error"),
        ]
        for body in bodies {
            let server = try FixtureHTTPServer { _ in .respond(status: 400, body: body) }
            let backend = try makeFixtureBackend([server])
            let expected = try XCTUnwrap(JSONValue(parsing: body)["error"]?["message"]?.stringValue ?? JSONValue(parsing: body)["message"]?.stringValue)
            XCTAssertThrowsError(try backend.generate([GenerateRequest(prompt: "x")])) { error in
                let message = "\(error)"
                XCTAssertTrue(message.contains(expected), message)
                XCTAssertTrue(message.contains("HTTP 400"), message)
                XCTAssertEqual((error as? BackendError)?.isTransient, false)
            }
            XCTAssertEqual(server.requests.count, 1, "a 400 is never retried")
        }
    }

    func testBackendWithoutACapabilityRefusesIt() throws {
        let server = try FixtureHTTPServer { _ in .ok("{}") }
        let backend = try makeFixtureBackend([server]) { $0.capabilities = [.embed] }
        XCTAssertThrowsError(try backend.generate([GenerateRequest(prompt: "x")]))
        XCTAssertEqual(server.requests.count, 0)
    }
}
