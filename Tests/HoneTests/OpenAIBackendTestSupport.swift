import Foundation
import Hone
import HoneSDK
import HoneTestSupport
import Synchronization
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
final class Counter: Sendable {
    private let counts = Mutex((value: 0, peak: 0))
    /// Adds one and returns the value before.
    func next() -> Int { counts.withLock { counts in defer { counts.value += 1 }; return counts.value } }
    /// Enters a section (tracking the peak of concurrent entries).
    func enter() { counts.withLock { $0.value += 1; $0.peak = max($0.peak, $0.value) } }
    /// Leaves a section.
    func leave() { counts.withLock { $0.value -= 1 } }
    /// The highest count seen inside sections.
    var peak: Int { counts.withLock { $0.peak } }
}

/// A temporary directory removed at the end of the test.
func temporaryDirectory(_ test: XCTestCase) throws -> String {
    let dir = NSTemporaryDirectory() + "hone-test-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
    return dir
}
