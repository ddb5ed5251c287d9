import Foundation
import Hone
import HoneSDK
import HoneTestSupport
import XCTest

/// Builds an OpenAIBackend against fixture servers, with fast retries for tests.
func makeFixtureBackend(_ servers: [FixtureHTTPServer], cache: ResponseCache? = nil, environment: [String: String] = [:],
                        _ tweak: (inout OpenAIConfiguration) -> Void = { _ in }) throws -> OpenAIBackend {
    var configuration = OpenAIConfiguration(baseURLs: servers.map { $0.baseURL + "/v1" }, model: "fixture-model")
    configuration.retry = RetryPolicy(maxRetries: 3, baseDelay: 0.01, maxDelay: 0.05)
    configuration.timeout = 5
    configuration.connectTimeout = 2
    tweak(&configuration)
    return try OpenAIBackend(configuration: configuration, cache: cache, environment: environment)
}

/// A thread-safe counter for fixture handlers.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    private var peakValue = 0
    /// Adds one and returns the value before.
    func next() -> Int { lock.withLock { defer { value += 1 }; return value } }
    /// Enters a section (tracking the peak of concurrent entries).
    func enter() { lock.withLock { value += 1; peakValue = max(peakValue, value) } }
    /// Leaves a section.
    func leave() { lock.withLock { value -= 1 } }
    /// The highest count seen inside sections.
    var peak: Int { lock.withLock { peakValue } }
}

/// A temporary directory removed at the end of the test.
func temporaryDirectory(_ test: XCTestCase) throws -> String {
    let dir = NSTemporaryDirectory() + "hone-test-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
    return dir
}
