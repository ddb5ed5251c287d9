import Foundation
import Hone
import HoneSDK

/// A Swift optimizer, run in process: each round it puts every word of its vocabulary in front
/// of the best prompt so far, scores those candidates on the train split, and keeps the best
/// one if it beats the prompt it came from. It stops when no candidate improves, when its
/// rounds are done, or when its budget is spent or the run cancelled, with its best so far.
///
/// Its stage config: `{"words": ["Review:", ...], "rounds": 2}`.
final class GreedyPrefixOptimizer: Optimizer, Sendable {
    /// The id a stage names in `plugin`.
    static let id = "com.example.greedy-prefix"

    var id: String { Self.id }
    /// It only asks the host to evaluate, which needs no capability of its own.
    let requiredCapabilities: [BackendCapability] = []
    /// The words it tries in front of the prompt.
    let words: [String]
    /// Rounds at most.
    let rounds: Int

    /// Reads the stage's config; a mistake is a ``ConfigError`` at the member's path.
    init(setup: OptimizerSetup) throws {
        guard let words = setup.config["words"]?.arrayValue?.compactMap(\.stringValue), !words.isEmpty else {
            throw ConfigError(path: setup.configPath + ".words", message: "expected a non-empty array of words")
        }
        let rounds = setup.config["rounds"]?.intValue ?? 2
        guard rounds >= 1 else {
            throw ConfigError(path: setup.configPath + ".rounds", message: "expected at least 1 round, found \(rounds)")
        }
        self.words = words
        self.rounds = rounds
    }

    func optimize(_ request: RunRequest, context: StageContext) throws -> RunResult {
        var best = request.seedPrompt
        var bestScore: Double?
        var curve: [JSONValue] = []
        for round in 1...rounds where !context.isCancelled {
            let candidates = words.map { PromptArtifact(text: ($0 + " " + best.text).trimmingCharacters(in: .whitespaces)) }
            let scores: [PromptScore]
            do {
                // The seed is scored too in the first round, so a round can only improve.
                let asked = bestScore == nil ? [best] + candidates : candidates
                scores = try context.evaluate(EvaluateRequest(prompts: asked, split: .train)).results
                if bestScore == nil { bestScore = scores[0].score }
                let top = zip(candidates, scores.suffix(candidates.count)).max { $0.1.score < $1.1.score }!
                curve.append(["round": .number(Double(round)), "best_train": .number(max(top.1.score, bestScore!))])
                context.onProgress(context.stageIndex, Double(round) / Double(rounds), "round \(round): best \"\(top.0.text)\"")
                guard top.1.score > bestScore! else { break }
                (best, bestScore) = (top.0, top.1.score)
            } catch let error as PluginError where error.shouldStop {
                break // budget spent or run cancelled: the best so far stands
            }
        }
        return RunResult(bestPrompt: best, summary: ["best_train": bestScore.map(JSONValue.number) ?? .null], curve: curve)
    }
}

