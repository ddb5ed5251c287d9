import Foundation
import Hone
import HoneSDK
import Logging
import Synchronization

/// What a program embedding Hone brings in the tests of ``HoneComponents``: a backend that only
/// scores, one that only generates, a metric and a Swift optimizer.
enum ProgramComponents {
    /// A backend that implements only `score`: a candidate's score is the number of words it
    /// shares with the context (a crude, deterministic keyword model). `embed` and `generate`
    /// are the protocol's unsupported defaults.
    final class WordOverlapBackend: Backend, Sendable {
        let name = "word-overlap"
        let capabilities: Set<BackendCapability> = [.score]
        private let counters = Mutex(BackendUsage())
        var usage: BackendUsage { counters.withLock { $0 } }

        func score(_ items: [ScoreItem]) throws -> [[Double]] {
            counters.withLock {
                $0.modelCalls += 1
                $0.itemsComputed += items.count
            }
            return items.map { item in
                let words = Set(item.context.lowercased().split { !$0.isLetter })
                return item.candidates.map { candidate in
                    Double(candidate.lowercased().split { !$0.isLetter }.filter { words.contains($0) }.count)
                }
            }
        }
    }

    /// A backend that implements only `generate`: it answers with the last `words` words of
    /// the prompt it is given (`settings.words`, default 3).
    final class LastWordsBackend: Backend, Sendable {
        let name = "last-words"
        let capabilities: Set<BackendCapability> = [.generate]
        let words: Int
        private let counters = Mutex(BackendUsage())
        var usage: BackendUsage { counters.withLock { $0 } }

        init(settings: JSONValue) throws {
            let words = settings["words"]?.intValue ?? 3
            guard words > 0 else { throw ConfigError(path: "$.backend.words", message: "expected a positive number of words") }
            self.words = words
        }

        func generate(_ requests: [GenerateRequest]) throws -> [String] {
            counters.withLock {
                $0.modelCalls += 1
                $0.itemsComputed += requests.count
            }
            return requests.map { $0.prompt.split(separator: " ").suffix(words).joined(separator: " ") }
        }
    }

    /// The share of the reference's words that the generated text contains.
    static func wordRecall(generated: String, reference: String) -> Double {
        let have = Set(generated.lowercased().split(separator: " "))
        let want = reference.lowercased().split(separator: " ")
        guard !want.isEmpty else { return 0 }
        return Double(want.filter { have.contains($0) }.count) / Double(want.count)
    }

    /// A Swift optimizer: scores the prompts listed in its stage config (`{"prompts": [...]}`)
    /// on train, two at a time, and returns the best (the seed when none beats it). It stops
    /// when the budget is spent or the run is cancelled, with the best so far.
    final class PromptListOptimizer: Optimizer, Sendable {
        let id: String
        let prompts: [String]
        let requiredCapabilities: [BackendCapability] = []
        /// Requests made, across runs (tests read it).
        let requests = Atomic<Int>(0)

        init(id: String, setup: OptimizerSetup) throws {
            guard let list = setup.config["prompts"]?.arrayValue?.compactMap(\.stringValue), !list.isEmpty else {
                throw ConfigError(path: setup.configPath + ".prompts", message: "expected a non-empty array of prompts")
            }
            self.id = id
            self.prompts = list
        }

        func optimize(_ request: RunRequest, context: StageContext) throws -> RunResult {
            var best = request.seedPrompt
            var bestScore = -Double.infinity
            var evaluated = 0
            for start in stride(from: 0, to: prompts.count, by: 2) where !context.isCancelled {
                let candidates = prompts[start..<min(start + 2, prompts.count)].map { PromptArtifact(text: $0) }
                requests.add(1, ordering: .relaxed)
                let response: EvaluateResponse
                do {
                    response = try context.evaluate(EvaluateRequest(prompts: candidates, split: .train))
                } catch let error as PluginError where error.shouldStop {
                    break
                }
                evaluated += candidates.count
                for (candidate, score) in zip(candidates, response.results) where score.score > bestScore {
                    (best, bestScore) = (candidate, score.score)
                }
            }
            return RunResult(bestPrompt: best, summary: ["evaluated": .number(Double(evaluated))])
        }
    }

    /// Writes a small generation task (inputs ending in their reference words) into `dir` and
    /// returns its `task.dataset` object.
    static func writeGenerationData(in dir: String) throws -> JSONValue {
        let animals = ["cat", "dog", "owl", "fox", "bee", "elk", "yak", "emu", "ant", "cod", "eel", "ram"]
        func rows(_ range: Range<Int>) -> String {
            "input\tlabel\n" + range.map { i in
                let a = animals[i % animals.count], b = animals[(i + 5) % animals.count]
                return "story \(i) about the \(a) and the \(b)\t\(a) \(b)"
            }.joined(separator: "\n") + "\n"
        }
        for (name, range) in [("train", 0..<8), ("dev", 8..<14), ("test", 14..<24)] {
            try rows(range).write(toFile: "\(dir)/\(name).tsv", atomically: true, encoding: .utf8)
        }
        return ["train": .string(dir + "/train.tsv"), "dev": .string(dir + "/dev.tsv"), "test": .string(dir + "/test.tsv"),
                "input_column": "input", "label_column": "label"]
    }

    /// A quiet logger.
    static var logger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }
}
