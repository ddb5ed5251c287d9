import Foundation
import HoneSDK

/// A two-class task whose "model" prefers the gold label more the more of a few helpful
/// words the prompt contains, so that a learner can raise its reward by finding them.
enum SyntheticTask {
    /// The candidate tokens: `w0 ... w(n-1)`.
    static func vocabularyFile(count: Int) throws -> String {
        let path = NSTemporaryDirectory() + "rlprompt-vocab-\(UUID().uuidString).txt"
        try (0..<count).map { "w\($0)" }.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Words that help: each one in the prompt moves probability toward the gold label.
    static let helpful: Set<String> = ["w3", "w7", "w11"]

    static func examples(_ count: Int) -> [TaskExample] {
        (0..<count).map { TaskExample(index: $0, input: "example \($0)", label: $0 % 2) }
    }

    /// p(gold) = 0.35 + 0.1 x (helpful words in the prompt), plus a small per-example wobble.
    static func scorer(_ prompt: String, _ example: TaskExample) -> [Double] {
        let hits = prompt.split(separator: " ").filter { helpful.contains(String($0)) }.count
        let gold = min(0.95, 0.35 + 0.1 * Double(hits) + 0.02 * Double(example.index % 3))
        return example.label == 0 ? [gold, 1 - gold] : [1 - gold, gold]
    }

    static func request(seed: UInt64 = 7, limitCalls: Int?) -> RunRequest {
        RunRequest(stageIndex: 0, seedPrompt: PromptArtifact(text: ""),
                   task: TaskDescription(template: "{prompt} {input}",
                                         labels: [TaskLabel(name: "0", verbalizer: "no"), TaskLabel(name: "1", verbalizer: "yes")],
                                         metric: "accuracy", train: examples(8), dev: examples(6)),
                   budget: BudgetStatus(limitCalls: limitCalls, usedCalls: 0), seed: seed)
    }
}
