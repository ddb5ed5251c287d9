/// A phrase of an input that the policy may choose as a hint keyword.
public struct CandidatePhrase: Equatable, Sendable {
    /// The phrase as first written in the input.
    public var text: String
    /// Its word keys (see ``PhraseTokenizer/key(of:)``).
    public var keys: [String]
    /// Sum of its words' TextRank scores.
    public var score: Double
    /// Occurrences in the input.
    public var frequency: Int
    /// Position of the first occurrence, as a fraction of the input's words in `[0, 1)`.
    public var position: Double
    /// Fraction of its words written with a capital letter (names).
    public var capitalized: Double
    /// Whether it occurs in the input's first sentence.
    public var inLead: Bool
    /// Whether one of its words contains a digit.
    public var hasNumber: Bool

    /// Whether it shares a word with `other`.
    public func overlaps(_ other: CandidatePhrase) -> Bool {
        !Set(keys).isDisjoint(with: other.keys)
    }
}

/// The candidate hint phrases of an input: every n-gram (1 to ``maxWords`` words) inside a run
/// of content words (no stopword, no punctuation between them; see ``TextRank/isContentWord(_:)``),
/// scored by the sum of its words' TextRank scores.
public struct CandidateExtractor: Sendable {
    /// Longest phrase, in words.
    public var maxWords: Int
    /// The word scorer.
    public var textRank: TextRank

    /// Creates an extractor.
    public init(maxWords: Int = 3, textRank: TextRank = TextRank()) {
        self.maxWords = maxWords
        self.textRank = textRank
    }

    /// Every phrase of `text`, highest score first (ties: earlier first).
    public func allPhrases(_ text: String) -> [CandidatePhrase] {
        let tokens = PhraseTokenizer.tokenize(text)
        let scores = textRank.wordScores(tokens)
        var byKey: [[String]: CandidatePhrase] = [:]
        var order: [[String]] = []
        var runStart = 0
        let total = Double(max(tokens.count, 1))
        for i in 0...tokens.count {
            let ends = i == tokens.count || tokens[i].breakBefore || tokens[i].sentence != tokens[runStart].sentence
                || !TextRank.isContentWord(tokens[i].key)
            if ends {
                if i > runStart {
                    for start in runStart..<i {
                        for length in 1...min(maxWords, i - start) {
                            let words = tokens[start..<(start + length)]
                            let keys = words.map(\.key)
                            if var seen = byKey[keys] {
                                seen.frequency += 1
                                byKey[keys] = seen
                                continue
                            }
                            byKey[keys] = CandidatePhrase(
                                text: words.map(\.text).joined(separator: " "), keys: keys,
                                score: keys.reduce(0) { $0 + (scores[$1] ?? 0) }, frequency: 1,
                                position: Double(start) / total,
                                capitalized: Double(words.filter { $0.text.first?.isUppercase == true }.count) / Double(length),
                                inLead: words.first!.sentence == 0,
                                hasNumber: keys.contains { $0.contains(where: \.isNumber) })
                            order.append(keys)
                        }
                    }
                }
                runStart = i == tokens.count ? i : (TextRank.isContentWord(tokens[i].key) ? i : i + 1)
            }
        }
        let phrases = order.map { byKey[$0]! }
        return phrases.enumerated().sorted { a, b in
            a.element.score != b.element.score ? a.element.score > b.element.score : a.offset < b.offset
        }.map(\.element)
    }

    /// The `limit` best phrases of `text`: the policy's action set.
    public func candidates(_ text: String, limit: Int) -> [CandidatePhrase] {
        Array(allPhrases(text).prefix(limit))
    }

    /// TextRank's own keywords: the best phrases, skipping any that shares a word with one taken.
    public static func topK(_ candidates: [CandidatePhrase], k: Int) -> [CandidatePhrase] {
        var picked: [CandidatePhrase] = []
        for c in candidates where picked.count < k && !picked.contains(where: { $0.overlaps(c) }) {
            picked.append(c)
        }
        return picked
    }
}
