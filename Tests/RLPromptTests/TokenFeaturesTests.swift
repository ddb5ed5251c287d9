import HoneSDK
import XCTest
@testable import HonePluginRLPrompt

/// The shipped e5 features of the default word list (``TokenFeatures``).
final class TokenFeaturesTests: XCTestCase {
    func defaultVocabulary(_ limit: Int = 3000) throws -> Vocabulary {
        try Vocabulary.load(source: .defaultList, file: nil, limit: limit, trainingTexts: [])
    }

    func testShippedFeaturesPlaceRelatedWordsNextToEachOther() throws {
        let vocabulary = try defaultVocabulary()
        let (values, dimension) = try TokenFeatures.shipped(for: vocabulary)
        XCTAssertEqual(dimension, 32)
        XCTAssertEqual(values.count, vocabulary.count * dimension)
        func row(_ i: Int) -> ArraySlice<Double> { values[(i * dimension)..<((i + 1) * dimension)] }
        func cosine(_ a: ArraySlice<Double>, _ b: ArraySlice<Double>) -> Double {
            let dot = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
            let na = a.reduce(0) { $0 + $1 * $1 }.squareRoot(), nb = b.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return dot / max(na * nb, 1e-12)
        }
        func nearest(_ word: String) throws -> String {
            let i = try XCTUnwrap(vocabulary.tokens.firstIndex(of: word), word)
            let j = (0..<vocabulary.count).filter { $0 != i }.max { cosine(row(i), row($0)) < cosine(row(i), row($1)) }!
            return vocabulary.tokens[j]
        }
        XCTAssertTrue(["sunday", "tuesday", "wednesday", "thursday", "friday", "saturday"].contains(try nearest("monday")))
        XCTAssertTrue(["films", "movie"].contains(try nearest("film")))
        XCTAssertTrue(["december", "february", "march", "july", "august"].contains(try nearest("january")))
    }

    func testAPrefixOfTheDefaultListGetsTheFirstRows() throws {
        let full = try TokenFeatures.shipped(for: defaultVocabulary())
        let prefix = try TokenFeatures.shipped(for: defaultVocabulary(100))
        XCTAssertEqual(prefix.values, Array(full.values.prefix(100 * full.dimension)))
    }

    func testOtherVocabulariesAreRefusedForShippedAndGetNoneForAuto() throws {
        let other = Vocabulary(tokens: ["movie", "great", "terrible"])
        XCTAssertThrowsError(try TokenFeatures.shipped(for: other)) { error in
            XCTAssertTrue(((error as? PluginError)?.message ?? "").contains("token_features"))
        }
        XCTAssertNil(try TokenFeatures.resolve(.auto, for: other, vocabularySource: .file))
        XCTAssertNotNil(try TokenFeatures.resolve(.auto, for: defaultVocabulary(50), vocabularySource: .defaultList))
        XCTAssertNil(try TokenFeatures.resolve(.none, for: defaultVocabulary(50), vocabularySource: .defaultList))
    }

    func testTrainingWithFeaturesLeavesTheFrozenOutputLayerUntouched() throws {
        let config = try RLPromptConfig(json: ["prompt_length": 2, "prompts_per_step": 4, "top_k": 20, "learning_rate": 0.01])
        let vocabulary = try defaultVocabulary(40)
        let trainer = SoftQTrainer(config: config, vocabularySize: vocabulary.count, seed: 3,
                                   tokenFeatures: try TokenFeatures.shipped(for: vocabulary))
        let shape = trainer.policy.shape
        let frozenBefore = Array(trainer.policy.parameters[shape.outputWeights..<shape.featureProjection])
        let projectionBefore = Array(trainer.policy.parameters[shape.featureProjection...])
        for _ in 0..<3 {
            let samples = trainer.samplePrompts()
            trainer.update(samples: samples, rawRewards: samples.indices.map { Double($0) * 10 })
        }
        XCTAssertEqual(Array(trainer.policy.parameters[shape.outputWeights..<shape.featureProjection]), frozenBefore)
        XCTAssertNotEqual(Array(trainer.policy.parameters[shape.featureProjection...]), projectionBefore)
    }
}
