import HoneSDK

/// Builds BayesPrompt's text prompts: domain context (the real unlabeled sentences nearest to
/// a draw's particles), demonstrations (k-shot examples with their verbalizers) and the
/// instruction, as one text with its ``PromptParts``.
///
/// The layout of ``text(of:)``:
/// ```
/// <instruction>
/// Context: <sentence 1> <sentence 2> ...
/// <input 1> => <verbalizer 1>
/// ...
/// ```
/// (lines with nothing in them are left out).
public struct TextPromptBuilder: Sendable {
    /// The unlabeled sentences and their features (same row order).
    public let poolTexts: [String]
    /// Features of ``poolTexts``.
    public let pool: FeatureMatrix

    /// A builder over an unlabeled pool.
    public init(poolTexts: [String], pool: FeatureMatrix) {
        precondition(poolTexts.count == pool.rows)
        self.poolTexts = poolTexts
        self.pool = pool
    }

    /// For each row of `particles`, the nearest pool sentence not already taken (squared
    /// Euclidean distance; ties to the lower index), in particle order.
    public func nearestSentences(to particles: FeatureMatrix) -> [Int] {
        var taken = Set<Int>()
        var chosen: [Int] = []
        for p in 0..<particles.rows {
            let point = particles.row(p)
            var best = -1, bestDistance = Double.infinity
            point.withUnsafeBufferPointer { q in
                for i in 0..<pool.rows where !taken.contains(i) {
                    let distance = pool.squaredDistance(row: i, to: q)
                    if distance < bestDistance { bestDistance = distance; best = i }
                }
            }
            if best >= 0 { taken.insert(best); chosen.append(best) }
        }
        return chosen
    }

    /// `perClass` demonstrations of each label in label order, drawn from `train` with `random`.
    public static func demonstrations(from train: [TaskExample], labels: [TaskLabel], perClass: Int,
                                      random: inout StageRandom) -> [PromptParts.Demonstration] {
        guard perClass > 0 else { return [] }
        var out: [PromptParts.Demonstration] = []
        for (c, label) in labels.enumerated() {
            let members = train.filter { $0.label == c }
            for i in random.sample(perClass, from: members.count) {
                out.append(.init(input: members[i].input, output: label.verbalizer))
            }
        }
        return out
    }

    /// The prompt text of `parts` in the layout above.
    public static func text(of parts: PromptParts) -> String {
        var lines: [String] = []
        if let instruction = parts.instruction, !instruction.isEmpty { lines.append(instruction) }
        if let context = parts.context, !context.isEmpty { lines.append("Context: " + context.joined(separator: " ")) }
        for demonstration in parts.demonstrations ?? [] { lines.append("\(demonstration.input) => \(demonstration.output)") }
        return lines.joined(separator: "\n")
    }
}
