import HoneSDK
import XCTest
@testable import HonePluginRLPrompt

final class VocabularyTests: XCTestCase {
    func testDefaultListHoldsThreeThousandDistinctWordsAndHonoursTheCap() throws {
        XCTAssertEqual(try Vocabulary.load(source: .defaultList, file: nil, limit: 100_000, trainingTexts: []).count, 3000)
        let capped = try Vocabulary.load(source: .defaultList, file: nil, limit: 50, trainingTexts: [])
        XCTAssertEqual(capped.count, 50)
        XCTAssertEqual(capped.tokens.first, "the")
    }

    func testTrainTextRanksWordsByFrequency() throws {
        let v = try Vocabulary.load(source: .trainText, file: nil, limit: 3, trainingTexts: ["A great film, great!", "a dull Film", "film"])
        XCTAssertEqual(v.tokens, ["film", "a", "great"])
    }

    func testFileSkipsBlanksAndRepeats() throws {
        let path = NSTemporaryDirectory() + "rlprompt-vocab-test-\(UUID().uuidString).txt"
        try "alpha\n\nbeta\r\nalpha\ngamma\n".write(toFile: path, atomically: true, encoding: .utf8)
        let v = try Vocabulary.load(source: .file, file: path, limit: 10, trainingTexts: [])
        XCTAssertEqual(v.tokens, ["alpha", "beta", "gamma"])
        XCTAssertEqual(v.text(of: [2, 0]), "gamma alpha")
    }

    func testMissingFileErrorSaysWhatToCheck() {
        XCTAssertThrowsError(try Vocabulary.load(source: .file, file: "/nonexistent/words.txt", limit: 10, trainingTexts: [])) { error in
            let message = (error as? PluginError)?.message ?? ""
            XCTAssertTrue(message.contains("/nonexistent/words.txt") && message.contains("exists"), message)
        }
    }
}
