import Foundation

/// Splits a document into sentences, for the ``ExtractiveGenerator``: at line breaks, and after
/// `.`, `!`, `?` (and their CJK forms) followed by space and a capital, digit, quote or bracket,
/// except after common abbreviations and single-letter initials.
@_spi(Internals) public enum SentenceSplitter {
    /// Abbreviations (lowercased, without the dot) after which a period does not end a sentence.
    static let abbreviations: Set<String> = [
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "e.g", "i.e", "eg", "ie", "no", "fig",
        "inc", "ltd", "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "u.s", "u.k", "approx", "dept", "est", "gen", "gov", "sen", "rep", "mt", "ft",
    ]

    /// The sentences of `text`, trimmed, in order; empty pieces are dropped.
    public static func split(_ text: String) -> [String] {
        var sentences: [String] = []
        for line in text.components(separatedBy: .newlines) {
            sentences += splitLine(line)
        }
        return sentences
    }

    private static func splitLine(_ line: String) -> [String] {
        let chars = Array(line)
        var result: [String] = []
        var start = 0
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if "。！？".contains(c) {
                append(chars[start...i], to: &result)
                start = i + 1
            } else if ".!?".contains(c) {
                var end = i
                while end + 1 < chars.count, ".!?\"'”’)]".contains(chars[end + 1]) { end += 1 }
                var next = end + 1
                guard next < chars.count, chars[next].isWhitespace else { i = end + 1; continue }
                while next < chars.count, chars[next].isWhitespace { next += 1 }
                let startsSentence = next >= chars.count || chars[next].isUppercase || chars[next].isNumber || "\"'“‘([".contains(chars[next]) || !(chars[next].isLetter && chars[next].isLowercase)
                if startsSentence && (c != "." || !isAbbreviation(chars, before: i)) {
                    append(chars[start...end], to: &result)
                    start = next
                    i = next
                    continue
                }
                i = end + 1
                continue
            }
            i += 1
        }
        if start < chars.count { append(chars[start...], to: &result) }
        return result
    }

    private static func isAbbreviation(_ chars: [Character], before dot: Int) -> Bool {
        var j = dot - 1
        while j >= 0, chars[j].isLetter || chars[j] == "." { j -= 1 }
        let word = String(chars[(j + 1)..<dot]).lowercased()
        if word.count == 1, chars[dot - 1].isUppercase { return true }
        return abbreviations.contains(word)
    }

    private static func append(_ piece: ArraySlice<Character>, to result: inout [String]) {
        let s = String(piece).trimmingCharacters(in: .whitespaces)
        if !s.isEmpty { result.append(s) }
    }
}
