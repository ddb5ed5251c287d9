import Foundation
@_spi(Internals) @testable import Hone
import HoneSDK
import XCTest
@testable import HonePluginDirectionalStimulus

/// A saved DSP artifact applied to a new article through `hone apply` (the real CLI, the plugin
/// loaded with dlopen, the embedded e5 model behind the extractive generator).
final class ApplyArtifactTests: XCTestCase {
    private let root = BuiltProducts.root

    func testSavedPolicyArtifactWritesAHintForANewArticleThroughHoneApply() throws {
        do { _ = try E5Engine.locate() } catch { throw XCTSkip("the embedded e5 engine is not installed: \(error)") }
        let hone = try BuiltProducts.path("hone"), plugin = try BuiltProducts.path("libHonePluginDirectionalStimulus.so")
        let dir = try BuiltProducts.temporaryDirectory("dsp-apply")
        defer { try? FileManager.default.removeItem(atPath: dir) }

        let instruction = "Given an article and a list of keywords, write a short summary that accurately incorporates the provided keywords into 2-4 sentences."
        let template = instruction + "\nKeywords: [[HINT]]"
        let data = HintArtifact(selector: .policy, policy: HintPolicy(embeddingDimension: 384, maxKeywords: 5), candidates: 20,
                                maxWords: 3, promptTemplate: template)
        let artifact = PromptArtifact(kind: .rendered, text: instruction + "\nKeywords: ", method: DSPOptimizer.descriptor.id,
                                      methodVersion: DSPOptimizer.descriptor.version, data: data.json)
        try Wire.encode(artifact).write(toFile: dir + "/artifact.json", atomically: true, encoding: .utf8)
        let pipeline: JSONValue = [
            "name": "dsp-apply", "seed": 1,
            "task": [
                "type": "generation",
                "dataset": ["format": "json-records", "file": .string(root.path + "/examples/data/cnndm/cnndm_val60.json"),
                            "input_column": "article", "label_column": "reference", "split": ["train_fraction": 0.5, "dev_fraction": 0.2]],
                "template": "{prompt}\n\nArticle: {input}\n\nSummary:", "prompt": .string(instruction), "metric": "rougeL",
                "generation": ["max_tokens": 120],
            ],
            "backend": ["type": "extractive-e5", "sentences": 2],
            "stages": [["plugin": "org.hone.dsp", "config": ["prompt_template": .string(template)]]],
        ]
        try pipeline.prettyPrinted().write(toFile: dir + "/pipeline.json", atomically: true, encoding: .utf8)
        let article = "The city council voted on Tuesday to close the old Riverside bridge after engineers found deep cracks in its steel supports. "
            + "Traffic will move to the Harbor tunnel for at least six months. Mayor Ana Ruiz said the repairs would cost 12 million dollars. "
            + "Local shops near the bridge fear they will lose customers during the closure. The weather was mild and sunny all week."
        try (String(data: try JSONSerialization.data(withJSONObject: ["input": article, "id": 3]), encoding: .utf8)! + "\n")
            .write(toFile: dir + "/inputs.jsonl", atomically: true, encoding: .utf8)

        let applied = try BuiltProducts.run([hone, "apply", "--artifact", dir + "/artifact.json", "--input", dir + "/inputs.jsonl",
                               "--pipeline", dir + "/pipeline.json", "--plugin-path", plugin, "--generate"])
        XCTAssertEqual(applied.status, 0, applied.stderr)
        let line = try JSONValue(parsing: applied.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let prompt = try XCTUnwrap(line["prompt"]?.stringValue)
        XCTAssertTrue(prompt.hasPrefix(instruction + "\nKeywords: "), prompt)
        // The hint is the policy's greedy pick among the article's TextRank candidates, "; "-separated.
        let keywords = prompt.components(separatedBy: "\nKeywords: ")[1].components(separatedBy: "; ")
        let expected = data.keywordsWithoutEmbeddings(article)
        XCTAssertFalse(keywords.isEmpty)
        for keyword in keywords { XCTAssertTrue(expected.contains(keyword), "\(keyword) is not a candidate of the article: \(expected)") }
        XCTAssertEqual(line["id"], 3)
        // The extractive generator answers with sentences of the article.
        let output = try XCTUnwrap(line["output"]?.stringValue)
        XCTAssertFalse(output.isEmpty)
        for sentence in SentenceSplitter.split(output) { XCTAssertTrue(article.contains(sentence), sentence) }
    }
}

extension HintArtifact {
    /// The candidate texts of `input` (what any hint of this artifact is drawn from).
    fileprivate func keywordsWithoutEmbeddings(_ input: String) -> [String] {
        extractor.candidates(input, limit: candidates).map(\.text)
    }
}
