import Foundation
import Hone
import HoneSDK
import HoneTestSupport
import XCTest

/// Behaviour under faults, against the in-process FixtureHTTPServer: retries with backoff,
/// Retry-After, timeouts, malformed and truncated answers, dropped connections, 401, budgets,
/// cancellation, concurrency and connection reuse.
final class OpenAIBackendFaultTests: XCTestCase {
    private let chatOK = FixtureReplies.openAIChat(["ok"])

    func testRetries429AfterTheServersRetryAfter() throws {
        let chatOK = self.chatOK
        let server = try FixtureHTTPServer { request in
            request.sequence == 0
                ? .respond(status: 429, body: FixtureReplies.openAIError("Rate limit reached", type: "requests"), headers: ["Retry-After": "1"])
                : .ok(chatOK)
        }
        let backend = try makeFixtureBackend([server])
        let start = Date()
        XCTAssertEqual(try backend.generate([GenerateRequest(prompt: "x")]), ["ok"])
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertGreaterThanOrEqual(elapsed, 0.95, "Retry-After: 1 must be honoured")
        XCTAssertLessThan(elapsed, 3)
        XCTAssertEqual(server.requests.count, 2)
        XCTAssertEqual(backend.usage.retries, 1)
        XCTAssertEqual(backend.usage.modelCalls, 2)
    }

    func testRetries500And503ThenSucceeds() throws {
        let chatOK = self.chatOK
        let server = try FixtureHTTPServer { request in
            switch request.sequence {
            case 0: return .respond(status: 500, body: FixtureReplies.openAIError("internal error", type: "server_error"))
            case 1: return .respond(status: 503, body: "Service Unavailable")
            default: return .ok(chatOK)
            }
        }
        let backend = try makeFixtureBackend([server])
        XCTAssertEqual(try backend.generate([GenerateRequest(prompt: "x")]), ["ok"])
        XCTAssertEqual(server.requests.count, 3)
        XCTAssertEqual(backend.usage.retries, 2)
        XCTAssertEqual(backend.usage.failedCalls, 0)
    }

    func testAnswerSlowerThanTheTimeoutFailsAsTransientAfterRetries() throws {
        let chatOK = self.chatOK
        let server = try FixtureHTTPServer { _ in .ok(chatOK, delay: 1.5) }
        let backend = try makeFixtureBackend([server]) { $0.timeout = 0.3; $0.retry.maxRetries = 1 }
        let start = Date()
        XCTAssertThrowsError(try backend.generate([GenerateRequest(prompt: "x")])) { error in
            XCTAssertTrue("\(error)".contains("in time"), "\(error)")
            XCTAssertEqual((error as? BackendError)?.isTransient, true)
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 1.4, "each attempt is cut at the timeout")
        XCTAssertEqual(backend.usage.failedCalls, 1)
        XCTAssertEqual(backend.usage.retries, 1)
    }

    func testMalformedJSONIsRetriedThenReportedNeverScored() throws {
        let server = try FixtureHTTPServer { _ in .ok(#"{"choices": [{"index": 0, "text": "Senti"#) }
        let backend = try makeFixtureBackend([server]) { $0.retry.maxRetries = 2 }
        XCTAssertThrowsError(try backend.score([ScoreItem(context: "Sentiment:", candidates: [" good"])])) { error in
            XCTAssertTrue("\(error)".contains("malformed JSON"), "\(error)")
        }
        XCTAssertEqual(server.requests.count, 3)
    }

    func testAnswerMissingDocumentedFieldsIsRetriedThenSucceeds() throws {
        let chatOK = self.chatOK
        let server = try FixtureHTTPServer { request in
            request.sequence == 0 ? .ok(#"{"choices": []}"#) : .ok(chatOK)
        }
        let backend = try makeFixtureBackend([server])
        XCTAssertEqual(try backend.generate([GenerateRequest(prompt: "x")]), ["ok"])
        XCTAssertEqual(backend.usage.retries, 1)
    }

    func testTruncatedBodyIsAnErrorThatIsRetried() throws {
        let chatOK = self.chatOK
        let server = try FixtureHTTPServer { request in
            request.sequence == 0 ? .truncated(body: String(chatOK.prefix(20)), declaredLength: chatOK.utf8.count) : .ok(chatOK)
        }
        let backend = try makeFixtureBackend([server])
        XCTAssertEqual(try backend.generate([GenerateRequest(prompt: "x")]), ["ok"])
        XCTAssertEqual(server.requests.count, 2)

        let always = try FixtureHTTPServer { _ in .truncated(body: String(chatOK.prefix(20)), declaredLength: chatOK.utf8.count) }
        let failing = try makeFixtureBackend([always]) { $0.retry.maxRetries = 1 }
        XCTAssertThrowsError(try failing.generate([GenerateRequest(prompt: "x")])) { error in
            XCTAssertTrue("\(error)".contains("truncated"), "\(error)")
        }
    }

    func testDroppedConnectionIsRetried() throws {
        let chatOK = self.chatOK
        let server = try FixtureHTTPServer { request in request.sequence < 2 ? .drop : .ok(chatOK) }
        let backend = try makeFixtureBackend([server])
        XCTAssertEqual(try backend.generate([GenerateRequest(prompt: "x")]), ["ok"])
        XCTAssertGreaterThanOrEqual(server.requests.count, 3)
    }

    func testRefusedConnectionFailsWithActionableMessage() throws {
        let server = try FixtureHTTPServer { _ in .drop }
        let url = server.baseURL
        server.stop()
        var configuration = OpenAIConfiguration(baseURLs: [url], model: "m")
        configuration.retry = RetryPolicy(maxRetries: 1, baseDelay: 0.01, maxDelay: 0.01)
        let backend = try OpenAIBackend(configuration: configuration, cache: nil, environment: [:])
        XCTAssertThrowsError(try backend.embed(["x"], role: .query)) { error in
            XCTAssertTrue("\(error)".contains("check that the server is running"), "\(error)")
        }
    }

    func testUnauthorizedIsNotRetriedAndItsMessageReachesTheUser() throws {
        let server = try FixtureHTTPServer { _ in
            .respond(status: 401, body: FixtureReplies.openAIError("Incorrect API key provided: sk-wr***ng.", code: "invalid_api_key"))
        }
        let backend = try makeFixtureBackend([server], environment: ["FIXTURE_KEY": "sk-wrong-key"]) { $0.apiKeyVariable = "FIXTURE_KEY" }
        XCTAssertThrowsError(try backend.generate([GenerateRequest(prompt: "x")])) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("Incorrect API key provided"), message)
            XCTAssertTrue(message.contains("HTTP 401"), message)
            XCTAssertTrue(message.contains("api_key_env"), message)
            XCTAssertEqual((error as? BackendError)?.isTransient, false)
        }
        XCTAssertEqual(server.requests.count, 1)
        XCTAssertEqual(backend.usage.retries, 0)
    }

    func testCallBudgetStopsCleanlyAfterTheCallsThatFit() throws {
        let chatOK = self.chatOK
        let server = try FixtureHTTPServer { _ in .ok(chatOK) }
        let backend = try makeFixtureBackend([server], cache: try ResponseCache(path: nil)) { $0.budget = BackendBudget(maxCalls: 3) }
        let requests = (0..<5).map { GenerateRequest(prompt: "prompt \($0)") }
        XCTAssertThrowsError(try backend.generate(requests)) { error in
            XCTAssertTrue(error is BudgetExhaustedError, "\(error)")
            XCTAssertTrue("\(error)".contains("3 of 5"), "\(error)")
        }
        XCTAssertEqual(server.requests.count, 3)
        XCTAssertThrowsError(try backend.generate([GenerateRequest(prompt: "another")])) { XCTAssertTrue($0 is BudgetExhaustedError) }
        XCTAssertEqual(server.requests.count, 3, "no request once the budget is spent")
        XCTAssertEqual(try backend.generate(Array(requests.prefix(1))), ["ok"], "answers already paid for still come from the cache")
    }

    func testTokenBudgetStopsFurtherCalls() throws {
        let server = try FixtureHTTPServer { _ in .ok(FixtureReplies.openAIChat(["ok"], promptTokens: 60, completionTokens: 50)) }
        let backend = try makeFixtureBackend([server]) { $0.budget = BackendBudget(maxTokens: 100) }
        XCTAssertEqual(try backend.generate([GenerateRequest(prompt: "a")]), ["ok"])
        XCTAssertThrowsError(try backend.generate([GenerateRequest(prompt: "b")])) { XCTAssertTrue($0 is BudgetExhaustedError) }
        XCTAssertEqual(server.requests.count, 1)
    }

    func testTimeBudgetStopsCallsAfterItsWallTime() throws {
        let server = try FixtureHTTPServer { _ in .ok(FixtureReplies.openAIChat(["ok"])) }
        let backend = try makeFixtureBackend([server]) { $0.budget = BackendBudget(maxSeconds: 0.2) }
        XCTAssertEqual(try backend.generate([GenerateRequest(prompt: "a")]), ["ok"])
        Thread.sleep(forTimeInterval: 0.25)
        XCTAssertThrowsError(try backend.generate([GenerateRequest(prompt: "b")])) { XCTAssertTrue("\($0)".contains("time budget"), "\($0)") }
        XCTAssertEqual(server.requests.count, 1)
    }

    func testCancelAbortsTransfersAtOnce() throws {
        let chatOK = self.chatOK
        let server = try FixtureHTTPServer { _ in .ok(chatOK, delay: 5) }
        let backend = try makeFixtureBackend([server]) { $0.timeout = 30 }
        let done = expectation(description: "the call returns")
        let start = Date()
        Thread {
            do {
                _ = try backend.generate((0..<4).map { GenerateRequest(prompt: "\($0)") })
                XCTFail("a cancelled call must throw")
            } catch {
                XCTAssertTrue("\(error)".contains("cancelled"), "\(error)")
            }
            done.fulfill()
        }.start()
        Thread.sleep(forTimeInterval: 0.3)
        backend.cancel()
        wait(for: [done], timeout: 3)
        XCTAssertLessThan(Date().timeIntervalSince(start), 1.5)
    }

    func testConcurrencyLimitHoldsAndConnectionsAreReused() throws {
        let inFlight = Counter()
        let chatOK = self.chatOK
        let server = try FixtureHTTPServer { _ in
            inFlight.enter()
            Thread.sleep(forTimeInterval: 0.03)
            inFlight.leave()
            return .ok(chatOK)
        }
        let backend = try makeFixtureBackend([server]) { $0.maxConcurrency = 4 }
        _ = try backend.generate((0..<20).map { GenerateRequest(prompt: "a\($0)") })
        XCTAssertEqual(inFlight.peak, 4)
        let connections = server.acceptedConnections
        XCTAssertLessThanOrEqual(connections, 4)
        _ = try backend.generate((0..<20).map { GenerateRequest(prompt: "b\($0)") })
        XCTAssertEqual(server.acceptedConnections, connections, "a second batch reuses the open connections")
    }

    func testRequestsAreSpreadOverEveryBaseURL() throws {
        let chatOK = self.chatOK
        let servers = try (0..<2).map { _ in try FixtureHTTPServer { _ in .ok(chatOK) } }
        let backend = try makeFixtureBackend(servers)
        _ = try backend.generate((0..<10).map { GenerateRequest(prompt: "\($0)") })
        XCTAssertEqual(servers.map(\.requests.count), [5, 5])
    }

    func testOneFailedRequestFailsTheBatchWithACountAndKeepsTheOthersCached() throws {
        let chatOK = self.chatOK
        let server = try FixtureHTTPServer { request in
            request.json["messages"]?.arrayValue?.last?["content"] == "bad"
                ? .respond(status: 400, body: FixtureReplies.openAIError("bad prompt")) : .ok(chatOK)
        }
        let cache = try ResponseCache(path: nil)
        let backend = try makeFixtureBackend([server], cache: cache)
        XCTAssertThrowsError(try backend.generate([GenerateRequest(prompt: "good"), GenerateRequest(prompt: "bad")])) { error in
            XCTAssertTrue("\(error)".contains("1 of 2"), "\(error)")
        }
        XCTAssertEqual(try cache.count(), 1, "the good answer is cached, the error is not")
    }

    func testGenerateEachAndScoreEachFailOnlyTheFailedItems() throws {
        let server = try FixtureHTTPServer { request in
            if request.json["messages"]?.arrayValue?.last?["content"] == "bad" || request.json["prompt"]?.stringValue?.hasPrefix("bad") == true {
                return .respond(status: 400, body: FixtureReplies.openAIError("bad input"))
            }
            if request.path == "/v1/completions" {
                return .ok(FixtureReplies.vLLMEchoCompletion(tokens: OpenAIBackendFormatTests.fixtureTokens(request.json["prompt"]?.stringValue ?? "")))
            }
            return .ok(FixtureReplies.openAIChat(["fine"]))
        }
        let backend = try makeFixtureBackend([server])
        let generated = try backend.generateEach([GenerateRequest(prompt: "good"), GenerateRequest(prompt: "bad")])
        XCTAssertEqual(try generated[0].get(), "fine")
        XCTAssertThrowsError(try generated[1].get()) { XCTAssertTrue("\($0)".contains("bad input"), "\($0)") }
        let scored = try backend.scoreEach([ScoreItem(context: "Sentiment:", candidates: [" no"]), ScoreItem(context: "bad:", candidates: [" no"])])
        XCTAssertEqual(try scored[0].get()[0], -0.3, accuracy: 1e-9)
        XCTAssertThrowsError(try scored[1].get())
        XCTAssertEqual(backend.usage.failedCalls, 2)
    }

    func testManyThreadsShareOneBackendWithinItsConcurrencyLimit() throws {
        let inFlight = Counter()
        let server = try FixtureHTTPServer { request in
            inFlight.enter()
            Thread.sleep(forTimeInterval: 0.005)
            inFlight.leave()
            let prompt = request.json["messages"]?.arrayValue?.last?["content"]?.stringValue ?? ""
            return .ok(FixtureReplies.openAIChat(["echo " + prompt]))
        }
        let backend = try makeFixtureBackend([server]) { $0.maxConcurrency = 3 }
        let group = DispatchGroup()
        let failures = Counter()
        for t in 0..<8 {
            group.enter()
            Thread {
                for i in 0..<10 {
                    let prompt = "t\(t)-\(i)"
                    if (try? backend.generate([GenerateRequest(prompt: prompt)])) != ["echo " + prompt] { _ = failures.next() }
                }
                group.leave()
            }.start()
        }
        XCTAssertEqual(group.wait(timeout: .now() + 20), .success)
        XCTAssertEqual(failures.next(), 0)
        XCTAssertLessThanOrEqual(inFlight.peak, 3)
        XCTAssertEqual(backend.usage.modelCalls, 80)
    }

    func testDroppingABackendStopsItsThread() throws {
        let server = try FixtureHTTPServer { _ in .ok(FixtureReplies.openAIChat(["ok"])) }
        func threads() -> Int { (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count) ?? 0 }
        // Warm up once so lazily created runtime threads are not counted.
        do { _ = try makeFixtureBackend([server]).generate([GenerateRequest(prompt: "warm")]) }
        let before = threads()
        for i in 0..<20 {
            let backend = try makeFixtureBackend([server])
            _ = try backend.generate([GenerateRequest(prompt: "p\(i)")])
        }
        // The fixture's connection threads end when they see the closed connections; allow them a moment.
        let deadline = Date().addingTimeInterval(3)
        while threads() > before + 2, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertLessThanOrEqual(threads(), before + 2, "each backend's HTTP thread ends with the backend")
    }
}
