import Hone
import HoneSDK
import XCTest

/// Parsing of the `openai` backend object and the pure retry policy.
final class OpenAIConfigurationTests: XCTestCase {
    func testParsesEveryKeyOfTheOpenAIBackend() throws {
        let json = try JSONValue(parsing: """
        {"type": "openai", "base_url": ["http://a:8000/v1/", "http://b:8000"], "model": "llama", "api_key_env": "KEY",
         "max_concurrency": 16, "connect_timeout": 2, "timeout": 30, "retries": 2, "prices": {"input": 0.15, "output": 0.6},
         "capabilities": ["generate", "score"], "generate_endpoint": "completions", "score_mode": "chat-top-logprobs",
         "top_logprobs": 10, "top_p": 0.9, "seed": 3, "sample_with_n": true, "embedding_role": "input_type",
         "embed_batch_size": 8, "budget": {"calls": 100, "tokens": 5000, "cost": 1.5, "seconds": 60}, "cache": false}
        """)
        let c = try OpenAIConfiguration(settings: try ConfigObject(json, path: "$.backend"))
        XCTAssertEqual(c.baseURLs, ["http://a:8000", "http://b:8000"])
        XCTAssertEqual(c.model, "llama")
        XCTAssertEqual(c.apiKeyVariable, "KEY")
        XCTAssertEqual(c.maxConcurrency, 16)
        XCTAssertEqual(c.retry.maxRetries, 2)
        XCTAssertEqual(c.prices, PriceTable(inputPerMillion: 0.15, outputPerMillion: 0.6))
        XCTAssertEqual(c.capabilities, [.generate, .score])
        XCTAssertEqual(c.generateEndpoint, .completions)
        XCTAssertEqual(c.scoreMode, .chatTopLogprobs)
        XCTAssertEqual(c.embeddingRole, .inputType)
        XCTAssertEqual(c.budget, BackendBudget(maxCalls: 100, maxTokens: 5000, maxCostUSD: 1.5, maxSeconds: 60))
        XCTAssertFalse(c.useCache)
    }

    func testUnknownKeyIsAnErrorWithItsPath() throws {
        let json: JSONValue = ["type": "openai", "base_url": "http://a", "model": "m", "max_concurency": 4]
        XCTAssertThrowsError(try OpenAIConfiguration(settings: try ConfigObject(json, path: "$.backend"))) { error in
            XCTAssertEqual((error as? ConfigError)?.path, "$.backend.max_concurency")
        }
    }

    func testBadValuesNameTheirPath() throws {
        let cases: [(JSONValue, String)] = [
            (["type": "openai", "model": "m"], "$.backend.base_url"),
            (["type": "openai", "base_url": "a:8000", "model": "m"], "$.backend.base_url"),
            (["type": "openai", "base_url": ["http://a", "ftp://b"], "model": "m"], "$.backend.base_url[1]"),
            (["type": "openai", "base_url": "http://a", "model": "m", "score_mode": "echo"], "$.backend.score_mode"),
            (["type": "openai", "base_url": "http://a", "model": "m", "api_key_env": "sk-abc def"], "$.backend.api_key_env"),
            (["type": "openai", "base_url": "http://a", "model": "m", "prices": ["input": 1, "outptu": 2]], "$.backend.prices.outptu"),
            (["type": "openai", "base_url": "http://a", "model": "m", "capabilities": ["chat"]], "$.backend.capabilities[0]"),
        ]
        for (json, path) in cases {
            XCTAssertThrowsError(try OpenAIConfiguration(settings: try ConfigObject(json, path: "$.backend")), "\(json)") { error in
                XCTAssertEqual((error as? ConfigError)?.path, path, "\(error)")
            }
        }
    }

    func testBackoffGrowsWithJitterAndHonoursRetryAfter() {
        let policy = RetryPolicy(maxRetries: 3, baseDelay: 1, maxDelay: 3, maxRetryAfter: 10)
        XCTAssertEqual(policy.delay(beforeRetry: 1, retryAfter: nil, unit: 0), 0.5)
        XCTAssertEqual(policy.delay(beforeRetry: 1, retryAfter: nil, unit: 1), 1)
        XCTAssertEqual(policy.delay(beforeRetry: 2, retryAfter: nil, unit: 0.5), 1.5)
        XCTAssertEqual(policy.delay(beforeRetry: 3, retryAfter: nil, unit: 1), 3, "capped at maxDelay")
        XCTAssertNil(policy.delay(beforeRetry: 4, retryAfter: nil, unit: 0), "retries used up")
        XCTAssertEqual(policy.delay(beforeRetry: 1, retryAfter: 7, unit: 0.9), 7)
        XCTAssertEqual(policy.delay(beforeRetry: 1, retryAfter: 600, unit: 0.9), 10, "Retry-After capped")
    }

    func testOnlyRateLimitsTimeoutsAndServerErrorsAreTransient() {
        for status in [408, 429, 500, 502, 503, 504] { XCTAssertTrue(RetryPolicy.isTransient(status: status), "\(status)") }
        for status in [400, 401, 403, 404, 422] { XCTAssertFalse(RetryPolicy.isTransient(status: status), "\(status)") }
    }
}
