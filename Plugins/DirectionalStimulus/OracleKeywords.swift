/// The supervised targets of DSP: phrases of the input that also occur in the reference,
/// ordered by where they first occur in the reference.
///
/// As in the paper's data preparation: a phrase qualifies when its word sequence occurs in the
/// reference (matched on ``PhraseTokenizer/key(of:)``); qualifying phrases are ordered by their
/// first position in the reference (at one position the longer phrase first); a phrase is
/// dropped as a duplicate when it shares a word with a kept phrase (so the sliding n-grams of
/// one name collapse to the first, longest one, and the list is one the policy can emit), and stop-like
/// phrases (a single word shorter than 3 characters, or a bare number of one digit) are dropped.
public enum OracleKeywords {
    /// The oracle keywords among `phrases` (e.g. a ``CandidateExtractor``'s) for `reference`,
    /// at most `limit`.
    public static func extract(from phrases: [CandidatePhrase], reference: String, limit: Int = .max) -> [CandidatePhrase] {
        let referenceKeys = PhraseTokenizer.keys(reference)
        var located: [(position: Int, phrase: CandidatePhrase)] = []
        for phrase in phrases where !isStopLike(phrase) {
            if let position = firstOccurrence(of: phrase.keys, in: referenceKeys) {
                located.append((position, phrase))
            }
        }
        located.sort { a, b in
            a.position != b.position ? a.position < b.position : a.phrase.keys.count > b.phrase.keys.count
        }
        var kept: [CandidatePhrase] = []
        var covered = Set<String>()
        for (_, phrase) in located where kept.count < limit {
            if phrase.keys.contains(where: covered.contains) { continue }
            kept.append(phrase)
            covered.formUnion(phrase.keys)
        }
        return kept
    }

    /// Whether the phrase's words occur, in order and adjacent, in `text`'s words.
    public static func occurs(_ keys: [String], in textKeys: [String]) -> Bool {
        firstOccurrence(of: keys, in: textKeys) != nil
    }

    /// The first word index of `keys` in `textKeys`.
    static func firstOccurrence(of keys: [String], in textKeys: [String]) -> Int? {
        guard !keys.isEmpty, keys.count <= textKeys.count else { return nil }
        for start in 0...(textKeys.count - keys.count) where textKeys[start] == keys[0] {
            if keys.indices.allSatisfy({ textKeys[start + $0] == keys[$0] }) { return start }
        }
        return nil
    }

    static func isStopLike(_ phrase: CandidatePhrase) -> Bool {
        guard phrase.keys.count == 1, let word = phrase.keys.first else { return false }
        return word.count < 3 || Stopwords.contains(word)
    }
}
