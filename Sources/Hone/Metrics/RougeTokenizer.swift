/// Splits text into token ids the way Google's `rouge-score` (`tokenize.tokenize`) splits it
/// into words: lowercase, every run of characters other than `a`–`z` and `0`–`9` is a break,
/// and (with stemming) each token longer than 3 characters is replaced by its Porter stem
/// (``PorterStemmer``, NLTK's variant).
///
/// Tokens become small integer ids so that ROUGE-N and ROUGE-L compare integers. Ids are only
/// comparable between texts tokenized by the same instance. Not thread-safe: use one per thread.
public final class RougeTokenizer {
    /// Whether tokens longer than 3 characters are stemmed.
    public let usesStemmer: Bool
    private let stemmer = PorterStemmer()
    private var ids: [[UInt8]: Int32] = [:]
    private var stems: [[UInt8]: Int32] = [:]

    /// Creates a tokenizer; `usesStemmer` matches `RougeScorer(..., use_stemmer=True)`.
    public init(usesStemmer: Bool = true) { self.usesStemmer = usesStemmer }

    /// The tokens of `text`, as text (stemmed if the tokenizer stems).
    public func tokens(_ text: String) -> [String] {
        let tokenIDs = tokenIDs(text)
        var names = [Int32: [UInt8]]()
        for (bytes, id) in ids { names[id] = bytes }
        return tokenIDs.map { String(decoding: names[$0]!, as: UTF8.self) }
    }

    /// The token ids of `text`.
    public func tokenIDs(_ text: String) -> [Int32] {
        var result: [Int32] = []
        var current: [UInt8] = []
        current.reserveCapacity(32)
        func flush() {
            guard !current.isEmpty else { return }
            result.append(id(of: current))
            current.removeAll(keepingCapacity: true)
        }
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                var b = UInt8(v)
                if b >= 65 && b <= 90 { b += 32 }
                if (b >= 97 && b <= 122) || (b >= 48 && b <= 57) { current.append(b) } else { flush() }
            } else {
                // Python's str.lower() can turn a few non-ASCII letters into ASCII ones
                // (KELVIN SIGN → k, capital I with dot above → i + combining dot).
                for lowered in scalar.properties.lowercaseMapping.unicodeScalars {
                    let w = lowered.value
                    if (w >= 97 && w <= 122) || (w >= 48 && w <= 57) { current.append(UInt8(w)) } else { flush() }
                }
            }
        }
        flush()
        return result
    }

    private func id(of token: [UInt8]) -> Int32 {
        if usesStemmer && token.count > 3 {
            if let cached = stems[token] { return cached }
            let id = plainID(stemmer.stem(ascii: token))
            stems[token] = id
            return id
        }
        return plainID(token)
    }

    private func plainID(_ token: [UInt8]) -> Int32 {
        if let id = ids[token] { return id }
        let id = Int32(ids.count)
        ids[token] = id
        return id
    }
}
