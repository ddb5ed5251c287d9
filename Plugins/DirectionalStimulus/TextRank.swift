/// TextRank keyword scoring (Mihalcea & Tarau, 2004): words that are not stopwords are the
/// nodes of an undirected graph, linked when they occur within ``window`` words of each other in
/// the same sentence (edge weight: how often); PageRank with damping ``damping`` ranks them.
public struct TextRank: Sendable {
    /// Co-occurrence window in words (2: adjacent words only).
    public var window: Int
    /// PageRank damping factor.
    public var damping: Double
    /// Iterations at most; stops earlier when no score moves by more than `1e-8`.
    public var iterations: Int

    /// Creates a scorer with the classic settings.
    public init(window: Int = 2, damping: Double = 0.85, iterations: Int = 100) {
        self.window = window
        self.damping = damping
        self.iterations = iterations
    }

    /// Each candidate word's (key's) score; the scores sum to 1.
    ///
    /// The graph is built over the sequence of non-stopword tokens of each sentence (stopwords
    /// are skipped, as TextRank's syntactic filter drops them); PageRank is the normalized form
    /// `S(v) = (1 - d) / N + d * sum_u w(u, v) / W(u) * S(u)`.
    public func wordScores(_ tokens: [PhraseToken]) -> [String: Double] {
        var index: [String: Int] = [:]
        var words: [String] = []
        var edges: [[Int: Double]] = []
        func node(_ key: String) -> Int {
            if let i = index[key] { return i }
            index[key] = words.count
            words.append(key)
            edges.append([:])
            return words.count - 1
        }
        var sentenceWords: [Int] = []
        var sentence = -1
        func link() {
            for (a, u) in sentenceWords.enumerated() {
                for v in sentenceWords[(a + 1)..<min(sentenceWords.count, a + window)] where u != v {
                    edges[u][v, default: 0] += 1
                    edges[v][u, default: 0] += 1
                }
            }
            sentenceWords.removeAll(keepingCapacity: true)
        }
        for token in tokens {
            if token.sentence != sentence { link(); sentence = token.sentence }
            guard TextRank.isContentWord(token.key) else { continue }
            sentenceWords.append(node(token.key))
        }
        link()
        let n = words.count
        guard n > 0 else { return [:] }
        let totals = edges.map { $0.values.reduce(0, +) }
        var scores = [Double](repeating: 1 / Double(n), count: n)
        for _ in 0..<iterations {
            var next = [Double](repeating: (1 - damping) / Double(n), count: n)
            // Dangling words (no neighbours) spread their mass evenly, so the scores keep summing to 1.
            var dangling = 0.0
            for u in 0..<n {
                if totals[u] == 0 { dangling += scores[u]; continue }
                let share = damping * scores[u] / totals[u]
                for (v, w) in edges[u] { next[v] += share * w }
            }
            if dangling > 0 { for v in 0..<n { next[v] += damping * dangling / Double(n) } }
            let moved = zip(scores, next).map { abs($0 - $1) }.max() ?? 0
            scores = next
            if moved < 1e-8 { break }
        }
        return Dictionary(uniqueKeysWithValues: zip(words, scores))
    }

    /// Whether a word key can be a graph node: not a stopword, and a number or at least two characters.
    public static func isContentWord(_ key: String) -> Bool {
        !Stopwords.contains(key) && (key.count >= 2 || key.first?.isNumber == true)
    }
}
