import XCTest
@testable import HonePluginDirectionalStimulus

final class CandidatePhraseTests: XCTestCase {
    func testPhrasesAreContentWordRunsCutAtStopwordsAndPunctuation() {
        let phrases = CandidateExtractor(maxWords: 3).allPhrases("The prime minister offered to resign, said Park Geun-hye.")
        let texts = Set(phrases.map(\.text))
        // Runs: "prime minister offered" | "resign" | "Park Geun-hye" ("said" is a stopword here).
        XCTAssertEqual(texts, ["prime", "minister", "offered", "prime minister", "minister offered", "prime minister offered",
                               "resign", "Park", "Geun-hye", "Park Geun-hye"])
        let park = phrases.first { $0.text == "Park Geun-hye" }!
        XCTAssertEqual(park.keys, ["park", "geun-hye"])
        XCTAssertEqual(park.capitalized, 1)
        XCTAssertFalse(texts.contains("resign said"), "a comma ends a phrase")
    }

    func testTopKSkipsPhrasesSharingAWordWithOneTaken() {
        let pool = CandidateExtractor().candidates("Fire crews fought the fire. Fire crews saved the school. The school reopened.", limit: 20)
        let top = CandidateExtractor.topK(pool, k: 3)
        for (i, a) in top.enumerated() { for b in top[(i + 1)...] { XCTAssertFalse(a.overlaps(b), "\(a.text) / \(b.text)") } }
        XCTAssertEqual(top.first?.keys.contains("fire"), true, "the most connected word leads: \(top.map(\.text))")
    }

    func testPossessivesAndCurlyApostrophesMatchTheSameKey() {
        XCTAssertEqual(PhraseTokenizer.keys("Korea’s Lee's 3.5 1,000 well-known"), ["korea", "lee", "3.5", "1,000", "well-known"])
    }
}
