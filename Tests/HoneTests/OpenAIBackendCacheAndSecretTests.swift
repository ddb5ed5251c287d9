import Foundation
@testable import Hone
import HoneSDK
import HoneTestSupport
import Synchronization
import XCTest

/// The response cache (canonical keys, sample indices, no errors) and the API key's secrecy.
final class OpenAIBackendCacheAndSecretTests: XCTestCase {
    func testRepeatedRequestIsServedFromThePersistentCache() throws {
        let server = try FixtureHTTPServer { _ in .ok(FixtureReplies.openAIChat(["cached answer"])) }
        let path = try temporaryDirectory(self) + "/cache.sqlite"
        let first = try makeFixtureBackend([server], cache: try ResponseCache(path: path))
        XCTAssertEqual(try first.generate([GenerateRequest(prompt: "q")]), ["cached answer"])
        let second = try makeFixtureBackend([server], cache: try ResponseCache(path: path))
        XCTAssertEqual(try second.generate([GenerateRequest(prompt: "q"), GenerateRequest(prompt: "q")]), ["cached answer", "cached answer"])
        XCTAssertEqual(server.requests.count, 1)
        XCTAssertEqual(second.usage.cacheHits, 2)
        XCTAssertEqual(second.usage.modelCalls, 0)
    }

    func testFreshSampleIndexAsksTheServerAgain() throws {
        let counter = Counter()
        let server = try FixtureHTTPServer { _ in .ok(FixtureReplies.openAIChat(["sample \(counter.next())"])) }
        let backend = try makeFixtureBackend([server], cache: try ResponseCache(path: nil)) { $0.seed = 7 }
        let s0 = try backend.generate([GenerateRequest(prompt: "q", temperature: 0.8, sampleIndex: 0)])
        let s0again = try backend.generate([GenerateRequest(prompt: "q", temperature: 0.8, sampleIndex: 0)])
        let s1 = try backend.generate([GenerateRequest(prompt: "q", temperature: 0.8, sampleIndex: 1)])
        XCTAssertEqual(s0, s0again)
        XCTAssertNotEqual(s0, s1)
        XCTAssertEqual(server.requests.map { $0.json["seed"] }, [7, 8])
    }

    func testSamplesWithNAreCachedOneBySample() throws {
        let server = try FixtureHTTPServer { request in
            let n = request.json["n"]?.intValue ?? 1
            return .ok(FixtureReplies.openAIChat((0..<n).map { "s\($0)" }))
        }
        let backend = try makeFixtureBackend([server], cache: try ResponseCache(path: nil)) { $0.sampleWithN = true }
        let requests = (0..<3).map { GenerateRequest(prompt: "q", temperature: 1, sampleIndex: $0) }
        XCTAssertEqual(try backend.generate(requests), ["s0", "s1", "s2"])
        XCTAssertEqual(server.requests.count, 1)
        XCTAssertEqual(server.requests[0].json["n"], 3)
        XCTAssertEqual(try backend.generate([requests[1]]), ["s1"])
        XCTAssertEqual(server.requests.count, 1)
    }

    func testErrorsAreNeverCached() throws {
        let server = try FixtureHTTPServer { request in
            request.sequence == 0 ? .respond(status: 400, body: FixtureReplies.openAIError("try later")) : .ok(FixtureReplies.openAIChat(["fine"]))
        }
        let cache = try ResponseCache(path: nil)
        let backend = try makeFixtureBackend([server], cache: cache)
        XCTAssertThrowsError(try backend.generate([GenerateRequest(prompt: "q")]))
        XCTAssertEqual(try cache.count(), 0)
        XCTAssertEqual(try backend.generate([GenerateRequest(prompt: "q")]), ["fine"])
    }

    func testEmbeddingsAreCachedTextByText() throws {
        let server = try FixtureHTTPServer { request in
            let n = request.json["input"]?.arrayValue?.count ?? 0
            return .ok(FixtureReplies.embeddings((0..<n).map { Float($0) }.map { [$0, 1] }))
        }
        let backend = try makeFixtureBackend([server], cache: try ResponseCache(path: nil)) { $0.embedBatchSize = 2 }
        _ = try backend.embed(["a", "b", "c"], role: .query)
        XCTAssertEqual(server.requests.count, 2, "3 texts in batches of 2")
        _ = try backend.embed(["b", "d", "a"], role: .query)
        XCTAssertEqual(server.requests.last?.json["input"], ["d"])
        XCTAssertEqual(backend.usage.cacheHits, 2)
    }

    func testCacheKeyIsTheCanonicalRequestWhateverTheKeyOrder() {
        let a = ResponseCache.Key(endpoint: "/v1/completions", body: ["model": "m", "prompt": "p", "echo": true])
        let b = ResponseCache.Key(endpoint: "/v1/completions", body: .object(["echo": true, "prompt": "p", "model": "m"]))
        let c = ResponseCache.Key(endpoint: "/v1/chat/completions", body: ["model": "m", "prompt": "p", "echo": true])
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
    }

    func testAPIKeyNeverAppearsInErrorsCachesUsageOrRecords() throws {
        let key = "sk-test-SECRET-0123456789"
        // A hostile server that echoes the Authorization header back in its error and answers.
        let server = try FixtureHTTPServer { request in
            let auth = request.headers["authorization"] ?? ""
            if request.json["messages"]?.arrayValue?.last?["content"] == "fail" {
                return .respond(status: 400, body: FixtureReplies.openAIError("bad request with header \(auth)"))
            }
            return .ok(FixtureReplies.openAIChat(["answer"]))
        }
        let path = try temporaryDirectory(self) + "/cache.sqlite"
        let records = RecordSink()
        let backend = try makeFixtureBackend([server], cache: try ResponseCache(path: path), environment: ["HONE_FIXTURE_KEY": key]) {
            $0.apiKeyVariable = "HONE_FIXTURE_KEY"
            $0.retry.maxRetries = 0
        }
        backend.callObserver = { records.append($0) }
        XCTAssertEqual(server.requests.count, 0)
        _ = try backend.generate([GenerateRequest(prompt: "ok")])
        XCTAssertEqual(server.requests.first?.headers["authorization"], "Bearer \(key)", "the key is sent, in the header only")
        var outputs: [String] = []
        do { _ = try backend.generate([GenerateRequest(prompt: "fail")]) } catch { outputs.append("\(error)"); outputs.append(String(reflecting: error)) }
        XCTAssertTrue(outputs.first?.contains("[redacted]") == true, outputs.first ?? "")
        outputs.append(backend.name)
        outputs.append(String(describing: backend.usage))
        outputs.append(String(reflecting: backend.configuration))
        outputs.append(String(describing: try APIKey(fromEnvironment: "HONE_FIXTURE_KEY", environment: ["HONE_FIXTURE_KEY": key])))
        outputs.append(String(reflecting: try APIKey(fromEnvironment: "HONE_FIXTURE_KEY", environment: ["HONE_FIXTURE_KEY": key])))
        outputs += records.all.map { String(reflecting: $0) }
        let clientConfiguration = HTTPClientConfiguration(baseURLs: ["http://127.0.0.1:1"], apiKey: try APIKey(fromEnvironment: "K", environment: ["K": key]))
        outputs.append(String(reflecting: clientConfiguration))
        var dumped = ""
        dump(clientConfiguration, to: &dumped)
        outputs.append(dumped)
        XCTAssertEqual(records.all.count, 2)
        for output in outputs { XCTAssertFalse(output.contains(key), output) }
        for sent in server.requests { XCTAssertFalse(sent.text.contains(key), "the key is never in a body") }
        for file in try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent) {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: (path as NSString).deletingLastPathComponent + "/" + file))
            XCTAssertNil(bytes.range(of: Data(key.utf8)), "the key is in \(file)")
        }
    }

    func testMissingKeyVariableIsAConfigErrorNamingTheVariable() throws {
        let o = try ConfigObject(["type": "openai", "base_url": "http://127.0.0.1:1/v1", "model": "m", "api_key_env": "HONE_NOT_SET"], path: "$.backend")
        XCTAssertThrowsError(try OpenAIBackend.make(settings: o, cache: nil, environment: [:])) { error in
            XCTAssertEqual((error as? ConfigError)?.path, "$.backend.api_key_env")
            XCTAssertTrue("\(error)".contains("HONE_NOT_SET"), "\(error)")
        }
    }
}

/// Collects call records from the backend's observer.
final class RecordSink: Sendable {
    private let records = Mutex<[HTTPCallRecord]>([])
    func append(_ r: HTTPCallRecord) { records.withLock { $0.append(r) } }
    var all: [HTTPCallRecord] { records.withLock { $0 } }
}
