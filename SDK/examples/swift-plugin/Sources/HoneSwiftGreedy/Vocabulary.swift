/// The tokens a prompt is made of: the most frequent words of the training inputs.
enum Vocabulary {
    /// Lower-cased words (letters, digits, apostrophes) of `texts`, most frequent first (ties
    /// by first appearance, so the list is deterministic), at most `limit` of them.
    static func words(in texts: [String], limit: Int) -> [String] {
        var counts: [String: (count: Int, first: Int)] = [:]
        var position = 0
        for text in texts {
            for word in split(text) {
                if let seen = counts[word] {
                    counts[word] = (seen.count + 1, seen.first)
                } else {
                    counts[word] = (1, position)
                }
                position += 1
            }
        }
        let ranked = counts.sorted { a, b in
            a.value.count != b.value.count ? a.value.count > b.value.count : a.value.first < b.value.first
        }
        return ranked.prefix(limit).map(\.key)
    }

    /// Splits a text into lower-cased words.
    private static func split(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber || character == "'" {
                current.append(character)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}
