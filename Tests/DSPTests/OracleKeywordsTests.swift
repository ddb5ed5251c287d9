import XCTest
@testable import HonePluginDirectionalStimulus

final class OracleKeywordsTests: XCTestCase {
    /// The first demonstration of the paper's few-shot file: its article, summary and the
    /// keywords the authors wrote for it.
    private func paperDemonstration() -> (article: String, summary: String, keywords: [String]) {
        let block = PaperFewShotPrompt.cnndmHint.components(separatedBy: "\n\n")[1].components(separatedBy: "\n")
        func field(_ label: String) -> String { String(block.first { $0.hasPrefix(label) }!.dropFirst(label.count)) }
        let keywords = field("Keywords: ").split(whereSeparator: { $0 == ";" || $0 == "," }).map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: ".")) }
        return (field("Article: "), field("A: "), keywords)
    }

    func testOracleKeywordsOfThePaperDemonstrationFollowTheSummaryOrder() {
        let demo = paperDemonstration()
        let oracle = OracleKeywords.extract(from: CandidateExtractor().allPhrases(demo.article), reference: demo.summary)
        let texts = oracle.map(\.text)
        // Ordered by first occurrence in the summary.
        let positions = oracle.map { OracleKeywords.firstOccurrence(of: $0.keys, in: PhraseTokenizer.keys(demo.summary))! }
        XCTAssertEqual(positions, positions.sorted())
        // Every phrase is in both texts; none shares a word with an earlier one.
        var covered = Set<String>()
        for phrase in oracle {
            XCTAssertTrue(OracleKeywords.occurs(phrase.keys, in: PhraseTokenizer.keys(demo.article)))
            XCTAssertFalse(phrase.keys.contains(where: covered.contains), phrase.text)
            covered.formUnion(phrase.keys)
        }
        // The authors' keywords are found, alone or as the start of a longer shared phrase
        // ("resign began"); "hanging from a tree" is cut at its stopwords.
        for expected in ["Lee Wan-koo", "resign", "South Korean tycoon", "Sung Woan-jong", "investigation", "top officials"] {
            XCTAssertTrue(texts.contains { $0 == expected || $0.hasPrefix(expected + " ") }, "\(expected) missing from \(texts)")
        }
        XCTAssertLessThan(texts.firstIndex(of: "Lee Wan-koo")!, texts.firstIndex(of: "Sung Woan-jong")!)
    }

    func testOracleKeywordsOfADatasetArticleAreSharedPhrasesWithoutStopLikeOnes() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("examples/data/cnndm/cnndm_val60.json")
        let records = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as! [String: [String: String]]
        let first = records["0"]!
        let oracle = OracleKeywords.extract(from: CandidateExtractor().allPhrases(first["article"]!), reference: first["reference"]!)
        let texts = oracle.map { $0.text.lowercased() }
        // Reference: "The children were found roaming the streets ... Asked surprised officer for a taxi home to Nottingham ..."
        XCTAssertTrue(texts.contains { $0.contains("children") }, "\(texts)")
        XCTAssertTrue(texts.contains { $0.contains("nottingham") }, "\(texts)")
        XCTAssertTrue(texts.contains { $0.contains("taxi home") }, "\(texts)")
        XCTAssertFalse(oracle.contains { $0.keys.count == 1 && Stopwords.contains($0.keys[0]) })
        XCTAssertLessThan(texts.firstIndex { $0.contains("children") }!, texts.firstIndex { $0.contains("nottingham") }!)
    }
}
