/// Exact match after the SQuAD normalization (`normalize_answer` of the SQuAD v1.1 evaluation
/// script): lowercase, remove ASCII punctuation, remove the articles `a`, `an`, `the` as whole
/// words, collapse whitespace.
public enum ExactMatch {
    /// `text` normalized as SQuAD's `normalize_answer` does.
    public static func normalize(_ text: String) -> String {
        let lowered = text.lowercased()
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(lowered.unicodeScalars.count)
        for s in lowered.unicodeScalars where !isASCIIPunctuation(s) { scalars.append(s) }
        let withoutArticles = removingArticles(scalars)
        return PythonText.split(withoutArticles.map(\.value)).map { word in
            var view = String.UnicodeScalarView()
            for v in word { view.append(Unicode.Scalar(v)!) }
            return String(view)
        }.joined(separator: " ")
    }

    /// 1 if the normalized prediction equals any normalized reference, else 0.
    public static func score(prediction: String, references: [String]) -> Double {
        let p = normalize(prediction)
        return references.contains { normalize($0) == p } ? 1 : 0
    }

    /// Mean exact match over pairs; 0 for no pairs.
    public static func mean(predictions: [String], references: [String]) -> Double {
        precondition(predictions.count == references.count, "one reference per prediction")
        guard !predictions.isEmpty else { return 0 }
        return zip(predictions, references).reduce(0) { $0 + score(prediction: $1.0, references: [$1.1]) } / Double(predictions.count)
    }

    /// Python's `string.punctuation`.
    private static func isASCIIPunctuation(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (0x21...0x2F).contains(v) || (0x3A...0x40).contains(v) || (0x5B...0x60).contains(v) || (0x7B...0x7E).contains(v)
    }

    /// `re.sub(r'\b(a|an|the)\b', ' ', text)`.
    private static func removingArticles(_ s: [Unicode.Scalar]) -> [Unicode.Scalar] {
        let articles: [[Unicode.Scalar]] = [["a"], ["a", "n"], ["t", "h", "e"]]
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(s.count)
        var k = 0
        while k < s.count {
            let boundaryBefore = k == 0 || !PythonText.isWordCharacter(s[k - 1])
            if boundaryBefore, PythonText.isWordCharacter(s[k]) {
                var matched: Int?
                for article in articles where k + article.count <= s.count && s[k..<(k + article.count)].elementsEqual(article) {
                    let end = k + article.count
                    if end == s.count || !PythonText.isWordCharacter(s[end]) { matched = article.count; break }
                }
                if let length = matched {
                    out.append(" ")
                    k += length
                    continue
                }
            }
            out.append(s[k])
            k += 1
        }
        return out
    }
}
