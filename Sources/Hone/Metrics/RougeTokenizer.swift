/// Splits text into token ids the way Google's `rouge-score` (`tokenize.tokenize`) splits it
/// into words: lowercase, every run of characters other than `a`–`z` and `0`–`9` is a break,
/// and (with stemming) each token longer than 3 characters is replaced by its Porter stem
/// (``PorterStemmer``, NLTK's variant).
///
/// Tokens become small integer ids so that ROUGE-N and ROUGE-L compare integers. Ids are only
/// comparable between texts tokenized by the same instance. Not thread-safe: use one per thread.
final class RougeTokenizer {
    /// Whether tokens longer than 3 characters are stemmed.
    let usesStemmer: Bool
    private let stemmer = PorterStemmer()
    private var ids: [Key: Int32] = [:]
    private var names: [[UInt8]] = []
    private var stems: [Key: Int32] = [:]

    /// Creates a tokenizer; `usesStemmer` matches `RougeScorer(..., use_stemmer=True)`.
    init(usesStemmer: Bool = true) { self.usesStemmer = usesStemmer }

    /// The tokens of `text`, as text (stemmed if the tokenizer stems).
    func tokens(_ text: String) -> [String] {
        tokenIDs(text).map { String(decoding: names[Int($0)], as: UTF8.self) }
    }

    /// The token ids of `text`.
    func tokenIDs(_ text: String) -> [Int32] {
        var text = text
        return text.withUTF8 { bytes in
            var result: [Int32] = []
            result.reserveCapacity(bytes.count / 5)
            var start = -1
            // A token is a run of ASCII letters and digits, lowercased, in `scratch`.
            var scratch: [UInt8] = []
            scratch.reserveCapacity(32)
            var k = 0
            let count = bytes.count
            while k < count {
                let byte = bytes[k]
                if byte < 0x80 {
                    var b = byte
                    if b >= 65 && b <= 90 { b += 32 }
                    if (b >= 97 && b <= 122) || (b >= 48 && b <= 57) {
                        if start < 0 { start = k }
                        scratch.append(b)
                    } else if start >= 0 {
                        result.append(id(of: scratch))
                        scratch.removeAll(keepingCapacity: true)
                        start = -1
                    }
                    k += 1
                    continue
                }
                // A multi-byte scalar: only two lowercase to ASCII letters under Python's
                // str.lower() (U+0130 capital I with dot above → "i" + combining dot,
                // U+212A KELVIN SIGN → "k"); every other non-ASCII character separates tokens.
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                var value = UInt32(byte & (byte >= 0xF0 ? 0x07 : byte >= 0xE0 ? 0x0F : 0x1F))
                for j in 1..<length where k + j < count { value = value << 6 | UInt32(bytes[k + j] & 0x3F) }
                k += length
                if value == 0x212A {
                    if start < 0 { start = k }
                    scratch.append(107)
                    continue
                }
                if value == 0x130 { scratch.append(105); start = max(start, 0) }
                if start >= 0 {
                    result.append(id(of: scratch))
                    scratch.removeAll(keepingCapacity: true)
                    start = -1
                }
            }
            if start >= 0 { result.append(id(of: scratch)) }
            return result
        }
    }

    /// A token packed into two integers when it has at most 16 bytes (nearly all do).
    private struct Key: Hashable {
        var low: UInt64 = 0, high: UInt64 = 0
        var long: [UInt8]?
        init(_ token: [UInt8]) {
            if token.count > 16 { long = token; low = UInt64(token.count); return }
            for (i, b) in token.enumerated() {
                if i < 8 { low |= UInt64(b) << (8 * UInt64(i)) } else { high |= UInt64(b) << (8 * UInt64(i - 8)) }
            }
        }
    }

    private func id(of token: [UInt8]) -> Int32 {
        if usesStemmer && token.count > 3 {
            let key = Key(token)
            if let cached = stems[key] { return cached }
            let id = plainID(stemmer.stem(ascii: token))
            stems[key] = id
            return id
        }
        return plainID(token)
    }

    private func plainID(_ token: [UInt8]) -> Int32 {
        let key = Key(token)
        if let id = ids[key] { return id }
        let id = Int32(names.count)
        ids[key] = id
        names.append(token)
        return id
    }
}
