import HoneSDK
import XCTest
@testable import HonePluginGRAMCore

/// A whole `run` against an in-process host that embeds with word vectors.
final class PluginRunTests: XCTestCase {
    private static let topics: [String: [String]] = [
        "sports": ["goal", "match", "team", "coach", "league", "score"],
        "music": ["song", "album", "band", "guitar", "concert", "singer"],
        "food": ["recipe", "dinner", "bread", "cheese", "kitchen", "taste"],
        "weather": ["rain", "storm", "sunny", "cloud", "wind", "snow"],
        "travel": ["flight", "hotel", "beach", "passport", "trip", "airport"],
        "money": ["bank", "loan", "price", "stock", "market", "budget"],
        "cars": ["engine", "wheel", "driver", "road", "fuel", "brake"],
        "health": ["doctor", "fever", "clinic", "pill", "nurse", "therapy"],
    ]
    private static let filler = ["the", "a", "today", "really", "about", "with", "very", "new", "my", "this"]

    private func sentences(_ topic: String, count: Int, seed: UInt64) -> [String] {
        var g = SeededGenerator(seed: seed)
        let words = Self.topics[topic]!
        return (0..<count).map { i in
            (0..<3).map { _ in words[Int(g.next() % UInt64(words.count))] }.joined(separator: " ")
                + " " + (0..<3).map { _ in Self.filler[Int(g.next() % UInt64(Self.filler.count))] }.joined(separator: " ") + " #\(i)"
        }
    }

    private func request(backend: BackendDescription?, limit: Int? = nil) -> RunRequest {
        let labels = ["sports", "music", "food"]
        func split(_ perClass: Int, _ seed: UInt64) -> [TaskExample] {
            labels.enumerated().flatMap { label, topic in sentences(topic, count: perClass, seed: seed &+ UInt64(label)) }
                .enumerated().map { TaskExample(index: $0.offset, input: $0.element, label: $0.offset / perClass) }
        }
        let task = TaskDescription(template: "{prompt} {input}", labels: labels.map { TaskLabel(name: $0, verbalizer: $0) },
                                   metric: "accuracy", train: split(4, 100), dev: split(4, 200))
        return RunRequest(stageIndex: 0, seedPrompt: PromptArtifact(text: "Topic:"), task: task,
                          budget: BudgetStatus(limitCalls: limit, usedCalls: 0), seed: 5, backend: backend)
    }

    private func poolFile() throws -> String {
        let others = ["weather", "travel", "money", "cars", "health"]
        let lines = ["sentence\tlabel"] + others.enumerated().flatMap { i, t in sentences(t, count: 40, seed: 900 + UInt64(i)).map { "\($0)\t0" } }
        let path = NSTemporaryDirectory() + "gram-pool-\(UUID().uuidString).tsv"
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private var smallConfig: JSONValue {
        ["domains": 3, "classes_per_domain": 4, "ways": 3, "shots": 2, "queries_per_class": 3, "meta_steps": 20, "meta_batch": 2,
         "inner_steps": 2, "rank": 2, "tune_steps": 20, "eval_every": 5]
    }

    func testRunReturnsAnEmbeddingHeadInTheBackendsSpaceWithoutEvaluating() throws {
        let host = EmbeddingMockHost(dimension: 24)
        let pool = try poolFile()
        defer { try? FileManager.default.removeItem(atPath: pool) }
        var config = smallConfig.objectValue!
        config["pool_files"] = [.string(pool)]
        let optimizer = try GRAMOptimizer(config: .object(config), host: host.connection)
        let space = EmbeddingSpace(backend: "e5", model: "test-model")
        let req = request(backend: BackendDescription(name: "e5", capabilities: ["embed", "score"], embeddingSpace: space, temperature: 0.05))
        let result = try optimizer.run(req)
        let artifact = result.bestPrompt
        XCTAssertEqual(artifact.kind, .embeddingHead)
        XCTAssertEqual(artifact.text, "Topic:")
        XCTAssertEqual(artifact.methodVersion, GRAMOptimizer.descriptor.version)
        let head = try XCTUnwrap(artifact.head)
        XCTAssertEqual(head.space, space)
        XCTAssertEqual(head.temperature, 0.05)
        XCTAssertEqual(head.dimension, 24)
        XCTAssertNil(head.problem(labelCount: 3))
        XCTAssertNil(head.logitBias)
        XCTAssertEqual(host.evaluateRequests, 0)
        // Queries are the rendered inputs; passages the verbalizers and the pool's medoids.
        let queries = Set(host.embedded.filter { $0.role == "query" }.map(\.text))
        XCTAssertTrue(req.task.train.allSatisfy { queries.contains("Topic: " + $0.input) })
        XCTAssertTrue(host.embedded.contains { $0.role == "passage" && $0.text == "music" })
        XCTAssertEqual(result.summary?["pool_texts"]?.intValue, 200)
        XCTAssertEqual(result.summary?["calls_used"]?.intValue, host.usedCalls)
        // The picked head is at least as good on dev as the zero-shot one (picked on dev, step 0 included).
        let picked = try XCTUnwrap(result.summary?["selection_accuracy"]?.doubleValue)
        XCTAssertGreaterThanOrEqual(picked, try XCTUnwrap(result.summary?["zero_shot_selection_accuracy"]?.doubleValue))
        // What the host would compute from the artifact on dev equals what the plugin selected on.
        let devQueries = req.task.dev.map { host.vector("Topic: " + $0.input, role: "query").map(Double.init) }
        let predictions = HeadScoring.predictions(head: head, queries: devQueries)
        let accuracy = Double(zip(predictions, req.task.dev).filter { $0 == $1.label }.count) / Double(req.task.dev.count)
        XCTAssertEqual(accuracy, picked, accuracy: 1e-12)
    }

    func testThePoolNeverHoldsTheTasksOwnTexts() throws {
        let req = request(backend: nil)
        let own = req.task.train.map(\.input) + req.task.dev.map(\.input)
        let pool = try PoolSource.pool(files: [], extra: own + ["an unrelated text"], excluded: Set(own), limit: 100, seed: 1)
        XCTAssertEqual(pool, ["an unrelated text"])
    }

    func testWithoutAPoolTheRunTunesFromZeroAndSaysWhy() throws {
        let host = EmbeddingMockHost(dimension: 16)
        let optimizer = try GRAMOptimizer(config: smallConfig, host: host.connection)
        let result = try optimizer.run(request(backend: nil))
        XCTAssertEqual(result.bestPrompt.head?.space, GRAMOptimizer.defaultSpace)
        XCTAssertEqual(result.bestPrompt.head?.temperature, GRAMOptimizer.defaultTemperature)
        XCTAssertTrue(result.summary?["meta_skipped"]?.stringValue?.contains("pool") == true)
        XCTAssertTrue(host.logs.contains { $0.contains("tuning without meta-learning") })
    }

    func testReturnsTheSeedPromptWhenTheBudgetCannotEmbedTheTask() throws {
        let host = EmbeddingMockHost(dimension: 16, limitCalls: 10)
        let result = try GRAMOptimizer(config: smallConfig, host: host.connection).run(request(backend: nil, limit: 10))
        XCTAssertEqual(result.bestPrompt, PromptArtifact(text: "Topic:"))
        XCTAssertEqual(host.usedCalls, 0)
    }

    func testABudgetSpentWhileEmbeddingThePoolStillReturnsATunedHead() throws {
        // The host's budget covers the task (3 labels + 12 train + 12 dev) and 10 texts more,
        // while the request does not say so: the pool's embed call is refused mid-run.
        let host = EmbeddingMockHost(dimension: 16, limitCalls: 27 + 10)
        let pool = try poolFile()
        defer { try? FileManager.default.removeItem(atPath: pool) }
        var config = smallConfig.objectValue!
        config["pool_files"] = [.string(pool)]
        let result = try GRAMOptimizer(config: .object(config), host: host.connection).run(request(backend: nil))
        XCTAssertEqual(result.bestPrompt.kind, .embeddingHead)
        XCTAssertTrue(result.summary?["meta_skipped"]?.stringValue?.contains("budget") == true, "\(String(describing: result.summary))")
        XCTAssertEqual(host.usedCalls, 27)
    }

    func testRefusesUnknownOrMistypedConfigKeys() {
        let host = EmbeddingMockHost()
        XCTAssertThrowsError(try GRAMOptimizer(config: ["inner_stepz": 3], host: host.connection)) { error in
            XCTAssertTrue("\(error)".contains("unknown config key \"inner_stepz\""), "\(error)")
        }
        XCTAssertThrowsError(try GRAMOptimizer(config: ["meta_gradient": "third_order"], host: host.connection)) { error in
            XCTAssertTrue("\(error)".contains("first_order, second_order"), "\(error)")
        }
        XCTAssertThrowsError(try GRAMOptimizer(config: ["pool_files": "a.tsv"], host: host.connection)) { error in
            XCTAssertTrue("\(error)".contains("pool_files must be an array of strings"), "\(error)")
        }
    }
}
