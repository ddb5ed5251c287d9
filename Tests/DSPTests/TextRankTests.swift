import XCTest
@testable import HonePluginDirectionalStimulus

final class TextRankTests: XCTestCase {
    func testStarGraphScoresMatchHandComputedPageRank() {
        // "cat dog. cat bird." -> edges cat-dog, cat-bird (no edge across the sentence end).
        // Normalized PageRank, d = 0.85: y = 0.05 + 0.85 (x + x), x = 0.05 + 0.85 y / 2
        // => x = 0.21375 / 0.8325... solved by hand: x = 0.256757, y = 0.486486.
        let scores = TextRank().wordScores(PhraseTokenizer.tokenize("cat dog. cat bird."))
        XCTAssertEqual(scores["cat"]!, 0.486486, accuracy: 1e-5)
        XCTAssertEqual(scores["dog"]!, 0.256757, accuracy: 1e-5)
        XCTAssertEqual(scores["bird"]!, 0.256757, accuracy: 1e-5)
    }
}
