import HoneSDK

/// Greedy coordinate ascent over prompt tokens.
///
/// A prompt is `prompt_length` words. Position by position, the optimizer tries
/// `candidates_per_step` other words from the vocabulary (the most frequent words of the
/// training inputs) in that one position, scores them all on train in one evaluation, and keeps
/// a replacement only if it beats the current prompt. It sweeps over the positions `sweeps`
/// times, or until the budget is spent or the run is cancelled, then scores the result on dev.
///
/// If the seed prompt already has `prompt_length` words (say, the best prompt of a random-search
/// stage before it), the ascent starts from it; otherwise from random words.
final class GreedyOptimizer: HoneOptimizer {
    /// The plugin id; also the `method` of the prompts it returns.
    static let id = "org.hone.example.swift-greedy"

    /// What the host lists in `hone plugins list` and validates configs against.
    static let descriptor = OptimizerDescriptor(
        id: id,
        name: "Greedy token ascent (Swift example)",
        version: "1.0.0",
        description: "Coordinate ascent over prompt words, one position at a time, scored on train.",
        configSchema: [
            "type": "object",
            "additionalProperties": false,
            "properties": [
                "prompt_length": ["type": "integer", "minimum": 1, "maximum": 32, "default": 5],
                "sweeps": ["type": "integer", "minimum": 1, "maximum": 1000, "default": 2],
                "candidates_per_step": ["type": "integer", "minimum": 1, "maximum": 1024, "default": 8],
                "vocab_size": ["type": "integer", "minimum": 1, "maximum": 100000, "default": 500],
                "seed": ["type": "integer", "minimum": 0, "maximum": 9_007_199_254_740_991],
            ],
        ],
        capabilities: ["score"])

    private let host: HostConnection
    private let promptLength: Int
    private let sweeps: Int
    private let candidatesPerStep: Int
    private let vocabSize: Int
    private let seed: UInt64?

    /// Reads and checks the stage config; a bad value throws a config error naming its key.
    init(config: JSONValue, host: HostConnection) throws {
        guard config.objectValue != nil else {
            throw PluginError.config("config: expected an object, got \(config.typeName)")
        }
        self.host = host
        promptLength = try Self.integer(config, "prompt_length", default: 5, in: 1...32)
        sweeps = try Self.integer(config, "sweeps", default: 2, in: 1...1000)
        candidatesPerStep = try Self.integer(config, "candidates_per_step", default: 8, in: 1...1024)
        vocabSize = try Self.integer(config, "vocab_size", default: 500, in: 1...100_000)
        seed = config["seed"] == nil ? nil : UInt64(try Self.integer(config, "seed", default: 0, in: 0...9_007_199_254_740_991))
    }

    /// Runs the ascent and returns the best prompt, also when the budget or a cancellation ends it early.
    func run(_ request: RunRequest) throws -> RunResult {
        let train = request.task.train
        guard !train.isEmpty else {
            throw PluginError.invalidArgument("\(Self.id) needs training examples; the task's train split is empty")
        }
        let vocabulary = Vocabulary.words(in: train.map(\.input), limit: vocabSize)
        guard !vocabulary.isEmpty else {
            throw PluginError.invalidArgument("the training inputs contain no words to build prompts from")
        }
        var rng = SplitMix64(seed: seed ?? request.seed)
        var search = Search(host: host, budget: request.budget, trainCount: train.count, devCount: request.task.dev.count)

        let seedWords = request.seedPrompt.text.split(separator: " ").map(String.init)
        var tokens = seedWords.count == promptLength
            ? seedWords
            : (0..<promptLength).map { _ in vocabulary[Int(rng.next() % UInt64(vocabulary.count))] }
        guard let start = try search.scoreOnTrain([tokens])?.first else {
            host.log(.warning, "the budget cannot cover one evaluation; returning the seed prompt")
            return RunResult(bestPrompt: request.seedPrompt, summary: search.summary(best: nil), curve: [])
        }
        var best = start
        var curve: [JSONValue] = []
        let totalSteps = sweeps * promptLength

        steps: for step in 0..<totalSteps {
            if host.isCancelled {
                // The host also reports a spent budget as cancelled; tell the two apart.
                search.stopped = search.remainingCalls == 0 ? "budget" : "cancelled"
                break
            }
            let position = step % promptLength
            let words = (0..<candidatesPerStep).map { _ in vocabulary[Int(rng.next() % UInt64(vocabulary.count))] }
                .filter { $0 != tokens[position] }
            let candidates = words.map { word -> [String] in
                var changed = tokens
                changed[position] = word
                return changed
            }
            if candidates.isEmpty { continue }
            guard let scores = try search.scoreOnTrain(candidates) else { break steps }
            if let top = scores.indices.max(by: { scores[$0] < scores[$1] }), scores[top] > best {
                best = scores[top]
                tokens = candidates[top]
            }
            curve.append(["step": .number(Double(step + 1)), "position": .number(Double(position)),
                          "best_train": .number(best), "calls": .number(Double(search.usedCalls))])
            host.progress(Double(step + 1) / Double(totalSteps), "step \(step + 1)/\(totalSteps): best train \(best)")
        }

        let text = tokens.joined(separator: " ")
        let dev = try search.scoreOnDev(text)
        var data: [String: JSONValue] = ["tokens": .array(tokens.map { .string($0) }), "train_score": .number(best)]
        if let dev { data["dev_score"] = .number(dev) }
        host.log(.info, "best \"\(text)\" train \(best), stopped: \(search.stopped)")
        return RunResult(
            bestPrompt: PromptArtifact(text: text, method: Self.id, data: .object(data)),
            summary: search.summary(best: (best, dev)),
            curve: curve)
    }

    /// Reads an integer member of the config, with a default and a range, or throws a config error naming it.
    private static func integer(_ config: JSONValue, _ key: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let value = config[key], !value.isNull else { return fallback }
        guard let number = value.intValue else {
            throw PluginError.config("config.\(key): expected an integer, got \(value.typeName)")
        }
        guard range.contains(number) else {
            throw PluginError.config("config.\(key): \(number) is out of range; use a value from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }
}
