/// One word of a text, as the keyword machinery sees it.
public struct PhraseToken: Equatable, Sendable {
    /// The word as written.
    public var text: String
    /// Lowercased, with a trailing possessive `'s` dropped: what phrases are matched on.
    public var key: String
    /// The sentence it belongs to (0-based).
    public var sentence: Int
    /// Whether punctuation separates it from the previous word (a phrase cannot span it).
    public var breakBefore: Bool
}

/// Splits text into words for TextRank, candidate phrases and keyword matching: runs of
/// letters and digits (with inner `-`, `'`, `’`, `.` between digits); other characters are
/// punctuation, which ends a phrase, and `.`, `!`, `?` also end a sentence.
public enum PhraseTokenizer {
    /// The words of `text`, in order.
    public static func tokenize(_ text: String) -> [PhraseToken] {
        var tokens: [PhraseToken] = []
        var current = ""
        var sentence = 0
        var pendingBreak = true
        let chars = Array(text)
        func flush() {
            guard !current.isEmpty else { return }
            tokens.append(PhraseToken(text: current, key: key(of: current), sentence: sentence, breakBefore: pendingBreak))
            current = ""
            pendingBreak = false
        }
        for (i, c) in chars.enumerated() {
            if c.isLetter || c.isNumber {
                current.append(c)
            } else if isJoiner(c, after: current, before: i + 1 < chars.count ? chars[i + 1] : nil) {
                current.append(c)
            } else {
                flush()
                if c.isWhitespace { continue }
                pendingBreak = true
                if ".!?".contains(c) { sentence += 1 }
            }
        }
        flush()
        return tokens
    }

    /// Whether `c` joins two parts of one word: `-` and apostrophes between letters or digits,
    /// `.` and `,` between digits (`3.5`, `1,000`).
    private static func isJoiner(_ c: Character, after current: String, before next: Character?) -> Bool {
        guard let last = current.last, let next, next.isLetter || next.isNumber else { return false }
        if "-'’".contains(c) { return true }
        return ".,".contains(c) && last.isNumber && next.isNumber
    }

    /// The matching key of a word: lowercased, curly apostrophes straightened, possessive dropped.
    public static func key(of word: String) -> String {
        var k = word.lowercased().replacingOccurrences(of: "’", with: "'")
        if k.hasSuffix("'s") { k.removeLast(2) }
        return k
    }

    /// The keys of `text`'s words, in order.
    public static func keys(_ text: String) -> [String] {
        tokenize(text).map(\.key)
    }
}
