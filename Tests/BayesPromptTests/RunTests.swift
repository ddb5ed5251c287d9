import HonePluginBayesPromptCore
import Foundation
import HoneSDK
import XCTest

/// Whole runs of the optimizer against an in-process host with a synthetic embedding.
final class RunTests: XCTestCase {
    /// Three topics; an input "topic-<c> item <i>" embeds near axis c (plus a shared domain
    /// direction and a deterministic wobble), a verbalizer near its axis too but weakly.
    static func embed(_ text: String, _ role: String) -> [Float] {
        var v = [Float](repeating: 0, count: 8)
        v[7] = 2  // the domain's common direction, which centering removes
        var hash: UInt64 = 1469598103934665603
        for b in text.utf8 { hash = (hash ^ UInt64(b)) &* 1099511628211 }
        for j in 0..<7 { v[j] = Float(Int(hash >> (UInt64(j) * 8) & 0xFF) - 128) / 400 }
        for c in 0..<3 where text.contains("topic-\(c)") || text.contains("word\(c)") { v[c] += role == "passage" ? 0.3 : 1 }
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return v.map { $0 / norm }
    }

    let labels = (0..<3).map { TaskLabel(name: "\($0)", verbalizer: "word\($0)") }

    func task(unlabeled: Int = 60) -> TaskDescription {
        let train = (0..<6).map { TaskExample(index: $0, input: "topic-\($0 % 3) item \($0)", label: $0 % 3) }
        let dev = (0..<9).map { TaskExample(index: $0, input: "topic-\($0 % 3) dev \($0)", label: $0 % 3) }
        return TaskDescription(template: "{prompt} {input}", labels: labels, metric: "accuracy", train: train, dev: dev,
                               unlabeled: (0..<unlabeled).map { "topic-\($0 % 3) pool \($0)" })
    }

    func run(_ config: JSONValue, task: TaskDescription, limit: Int? = nil, backend: BackendDescription? = nil, seed: UInt64 = 5)
        throws -> (RunResult, EmbeddingHost) {
        let host = EmbeddingHost(train: task.train, dev: task.dev, limitCalls: limit, embedder: Self.embed) { prompt, example in
            // A text backend that gets the label right when the prompt has context.
            prompt.parts?.context?.isEmpty == false ? example.label : 0
        }
        let optimizer = try BayesPromptOptimizer(config: config, host: host.connection)
        let request = RunRequest(stageIndex: 0, seedPrompt: PromptArtifact(text: ""), task: task,
                                 budget: BudgetStatus(limitCalls: limit, usedCalls: 0), seed: seed, backend: backend)
        return (try optimizer.run(request), host)
    }

    func testEmbeddingModeReturnsAHeadInTheFallbackSpaceThatClassifiesUnseenInputs() throws {
        let (result, host) = try run(["svgd_iterations": 50, "draws": 3], task: task())
        let artifact = result.bestPrompt
        XCTAssertEqual(artifact.kind, .embeddingHead)
        XCTAssertEqual(artifact.method, "org.hone.bayesprompt")
        XCTAssertEqual(artifact.methodVersion, "1.1.0")
        let head = try XCTUnwrap(artifact.head)
        XCTAssertEqual(head.space, EmbeddingSpace(backend: "e5", model: "multilingual-e5-small"))
        XCTAssertEqual(head.temperature, 0.01)
        XCTAssertEqual(head.dimension, 8)
        XCTAssertNil(head.problem(labelCount: 3))
        XCTAssertEqual(artifact.parts?.context?.count, 3, "one pool sentence per sampled particle")
        XCTAssertEqual(artifact.data?["selection_score"]?.doubleValue, 1)
        XCTAssertTrue(["shots", "domain"].contains(artifact.data?["prototypes"]?.stringValue ?? ""))
        XCTAssertEqual(result.summary?["candidates"]?.intValue, 3 * 4 * 4 + 3 * 4 * 3, "draws x scales x weights, for the shots' and (weight > 0) the domain prototypes")
        // Pool, shots and dev are queries; only the verbalizers are passages.
        XCTAssertEqual(host.embedded.filter { $0.role == "passage" }.map(\.text), ["word0", "word1", "word2"])
        XCTAssertEqual(host.usedCalls, 60 + 6 + 9 + 3)
        XCTAssertEqual(result.summary?["calls_used"]?.intValue, host.usedCalls)
        // The head classifies new inputs as the host will.
        let queries = FeatureMatrix(vectors: (0..<3).map { Self.embed("topic-\($0) unseen", "query") })
        XCTAssertEqual(HeadClassifier(head: head, fallbackTemperature: 1).predict(queries), [0, 1, 2])
    }

    func testEveryParticleSourceWithAPoolGetsTheSameCandidates() throws {
        var counts: [Int] = []
        for particles in ["svgd", "gmm_means", "random_unlabeled"] {
            let (result, _) = try run(["svgd_iterations": 20, "draws": 2, "particles": .string(particles)], task: task())
            counts.append(result.summary?["candidates"]?.intValue ?? -1)
        }
        XCTAssertEqual(counts, [2 * 4 * 4 + 2 * 4 * 3, 2 * 4 * 4 + 2 * 4 * 3, 2 * 4 * 4 + 2 * 4 * 3])
        let (none, _) = try run(["particles": "none"], task: task())
        XCTAssertEqual(none.summary?["candidates"]?.intValue, 4, "demonstrations only: the prototype weights, no shift, no pool")
    }

    func testHeadTakesTheBackendsSpaceAndTemperature() throws {
        let backend = BackendDescription(name: "openai(x)", capabilities: ["embed"], embeddingSpace: EmbeddingSpace(backend: "openai", model: "m"), temperature: 0.05)
        let (result, _) = try run(["svgd_iterations": 10, "draws": 1], task: task(), backend: backend)
        XCTAssertEqual(result.bestPrompt.head?.space, EmbeddingSpace(backend: "openai", model: "m"))
        XCTAssertEqual(result.bestPrompt.head?.temperature, 0.05)
    }

    func testTextModeBuildsContextAndDemonstrationsAndSelectsThroughEvaluate() throws {
        let (result, host) = try run(["mode": "text", "svgd_iterations": 10, "draws": 2, "instruction": "Name the topic."], task: task())
        let artifact = result.bestPrompt
        XCTAssertEqual(artifact.kind, .text)
        let parts = try XCTUnwrap(artifact.parts)
        XCTAssertEqual(parts.instruction, "Name the topic.")
        XCTAssertEqual(parts.context?.count, 3)
        XCTAssertTrue(parts.context!.allSatisfy { $0.contains("pool") }, "context sentences are real pool sentences")
        XCTAssertEqual(parts.demonstrations?.map(\.output), ["word0", "word1", "word2"])
        XCTAssertEqual(artifact.text, TextPromptBuilder.text(of: parts))
        XCTAssertEqual(host.evaluated.count, 2, "one request each for train and dev")
        XCTAssertEqual(host.evaluated[0].count, 2, "both draws")
        XCTAssertEqual(host.usedCalls, 60 + 6 + 2 * (6 + 9))
    }

    func testTextModeIsDeterministicUnderTheSeed() throws {
        let config: JSONValue = ["mode": "text", "svgd_iterations": 10, "draws": 3]
        let first = try run(config, task: task(), seed: 9).0.bestPrompt, second = try run(config, task: task(), seed: 9).0.bestPrompt
        XCTAssertEqual(first, second)
    }

    func testBudgetTooSmallForThePoolEmbedsASeededSample() throws {
        let (result, host) = try run(["svgd_iterations": 10, "draws": 1], task: task(unlabeled: 60), limit: 6 + 9 + 3 + 30)
        XCTAssertEqual(result.summary?["pool_size"]?.intValue, 30)
        XCTAssertEqual(host.usedCalls, 48)
        XCTAssertEqual(result.bestPrompt.kind, .embeddingHead)
    }

    func testCancelledRunReturnsTheSeedPrompt() throws {
        let task = task()
        let host = EmbeddingHost(train: task.train, dev: task.dev, limitCalls: nil, embedder: Self.embed)
        host.cancelled = true
        let optimizer = try BayesPromptOptimizer(config: [:], host: host.connection)
        let result = try optimizer.run(RunRequest(stageIndex: 0, seedPrompt: PromptArtifact(text: "seed"), task: task,
                                                  budget: BudgetStatus(limitCalls: nil, usedCalls: 0), seed: 1))
        XCTAssertEqual(result.bestPrompt, PromptArtifact(text: "seed"))
        XCTAssertEqual(result.summary?["stop_reason"]?.stringValue, "cancelled")
    }

    func testRefusesUnknownConfigKeysNamingTheKnownOnes() {
        let host = EmbeddingHost(train: [], dev: [], limitCalls: nil, embedder: Self.embed)
        XCTAssertThrowsError(try BayesPromptOptimizer(config: ["particle": "svgd"], host: host.connection)) { error in
            XCTAssertTrue("\(error)".contains("unknown config key \"particle\""))
            XCTAssertTrue("\(error)".contains("particles"))
        }
        XCTAssertThrowsError(try BayesPromptOptimizer(config: ["particles": "mcmc"], host: host.connection)) { error in
            XCTAssertTrue("\(error)".contains("\"svgd\""), "\(error)")
        }
    }
}
