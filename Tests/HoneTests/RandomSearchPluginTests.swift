import Foundation
import Hone
import HoneSDK
import Logging
import Synchronization
import XCTest

/// The built-in random search (`libHonePluginRandomSearch.so`, the C example compiled by
/// SwiftPM) driven through the real loader and host table, on a deterministic hash-scoring
/// backend: seeding, budget, dev re-ranking, cancellation, vocabulary rules and checkpoints.
final class RandomSearchPluginTests: XCTestCase {
    private static let labels = TinyReviewTask.labels
    private static let train = TinyReviewTask.train
    private static let dev = TinyReviewTask.dev

    /// The built-in plugin, loaded from the products directory the way `hone` loads it.
    private static func builtInRandomSearch() throws -> LoadedPlugin {
        let library = TestEnvironment.productsDirectory + "/libHonePluginRandomSearch.so"
        let plugins = try PluginLoader.load(file: library)
        return try XCTUnwrap(plugins.first { $0.info.id == "org.hone.random-search" }, "no random search in \(library)")
    }

    /// What one stage run produced, with the host's count of calls.
    private struct Outcome {
        var result: RunResult
        var usedCalls: Int
        /// The stage's last checkpoint as the host stored it; nil when none was saved.
        var checkpoint: String?
        /// The backend's score calls in this run (one per evaluate request).
        var scoreCalls: Int
        /// What the plugin logged at warning level.
        var warnings: [String]
        /// What the plugin logged at info level.
        var infos: [String]
        var summary: JSONValue { result.summary ?? .null }
        var checkpointJSON: JSONValue? { checkpoint.flatMap { try? JSONValue(parsing: $0) } }
    }

    /// Keeps the messages a logger receives.
    private final class LogRecorder: Sendable {
        private let lines = Mutex<[(level: Logger.Level, text: String)]>([])

        func append(_ level: Logger.Level, _ text: String) { lines.withLock { $0.append((level, text)) } }
        func messages(at level: Logger.Level) -> [String] { lines.withLock { $0.filter { $0.level == level }.map(\.text) } }
    }

    /// A log handler that hands every message to a ``LogRecorder``.
    private struct RecordingLogHandler: LogHandler {
        let recorder: LogRecorder
        var logLevel: Logger.Level = .info
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) { recorder.append(event.level, event.message.description) }
    }

    /// Runs the plugin as one stage. `usedCalls` and `checkpoint` are what a resumed stage
    /// starts with: the calls its earlier attempts spent and the checkpoint they saved.
    private func runRandomSearch(
        config: JSONValue, budget: Int?, seed: UInt64 = 11, seedPrompt: String = "",
        usedCalls: Int = 0, checkpoint: String? = nil,
        onScore: @escaping (Int, StageContext) -> Void = { _, _ in }
    ) throws -> Outcome {
        let plugin = try Self.builtInRandomSearch()
        let optimizer = try PluginOptimizer(plugin: plugin, config: config)
        let backend = HashScoringBackend()
        let evaluator = ClassificationEvaluator(backend: backend, template: "{prompt} {input}", labels: Self.labels, metric: "accuracy")
        let recorder = LogRecorder()
        let logger = Logger(label: "test") { _ in RecordingLogHandler(recorder: recorder) }
        let context = StageContext(
            stageIndex: 0, pluginID: plugin.info.id, train: Self.train, dev: Self.dev, evaluator: evaluator,
            backend: backend, budgetCalls: budget, checkpointFile: nil, logger: logger, onProgress: { _, _, _ in },
            usedCalls: usedCalls, checkpoint: checkpoint)
        let scoreCalls = LogRecorder()
        backend.onScore = { [unowned context] call in
            scoreCalls.append(.trace, "\(call)")
            onScore(call, context)
        }
        func task(_ split: [LabeledExample]) -> [TaskExample] {
            split.enumerated().map { TaskExample(index: $0, input: $1.input, label: evaluator.index(ofLabel: $1.label)!) }
        }
        let request = RunRequest(
            stageIndex: 0, seedPrompt: PromptArtifact(text: seedPrompt),
            task: TaskDescription(template: "{prompt} {input}", labels: Self.labels, metric: "accuracy",
                                  train: task(Self.train), dev: task(Self.dev)),
            budget: context.budget, seed: seed)
        let result = try optimizer.optimize(request, context: context)
        return Outcome(
            result: result, usedCalls: context.usedCalls, checkpoint: context.loadCheckpoint(),
            scoreCalls: scoreCalls.messages(at: .trace).count, warnings: recorder.messages(at: .warning),
            infos: recorder.messages(at: .info))
    }

    /// A run stopped by Ctrl-C (cancelled) during its `round`-th evaluate request, which completes.
    private func runStoppedDuring(round: Int, config: JSONValue, budget: Int?, seed: UInt64 = 11) throws -> Outcome {
        let stopped = try runRandomSearch(config: config, budget: budget, seed: seed) { call, context in
            if call == round { context.cancel() }
        }
        XCTAssertEqual(stopped.summary["stopped"], "cancelled")
        XCTAssertEqual(stopped.summary["rounds_completed"]?.intValue, round)
        return stopped
    }

    func testBuiltInLibraryExportsOnlyTheEntryFunction() throws {
        let library = TestEnvironment.productsDirectory + "/libHonePluginRandomSearch.so"
        let nm = try TestEnvironment.run(["nm", "-D", "--defined-only", library])
        XCTAssertEqual(nm.status, 0, nm.stderr)
        let globalFunctions = nm.stdout.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ")
            return fields.count == 3 && fields[1] == "T" ? String(fields[2]) : nil
        }
        XCTAssertEqual(globalFunctions, ["hone_plugin_entry_v1"])
    }

    func testSameSeedGivesTheSamePromptsAndAnotherSeedOthers() throws {
        let config: JSONValue = ["candidates_per_round": 4, "rounds": 3]
        let first = try runRandomSearch(config: config, budget: nil, seed: 5)
        let again = try runRandomSearch(config: config, budget: nil, seed: 5)
        let other = try runRandomSearch(config: config, budget: nil, seed: 6)
        XCTAssertEqual(first.result.bestPrompt, again.result.bestPrompt)
        XCTAssertEqual(first.result.curve, again.result.curve)
        XCTAssertNotEqual(first.result.bestPrompt.data?["token_ids"], other.result.bestPrompt.data?["token_ids"])
        XCTAssertEqual(first.summary["seed"], 5)
    }

    func testConfigSeedOverridesTheRunSeed() throws {
        let config: JSONValue = ["candidates_per_round": 4, "rounds": 2, "seed": 99]
        let a = try runRandomSearch(config: config, budget: nil, seed: 1)
        let b = try runRandomSearch(config: config, budget: nil, seed: 2)
        XCTAssertEqual(a.result.bestPrompt, b.result.bestPrompt)
        XCTAssertEqual(a.summary["seed"], 99)
    }

    func testPromptsHavePromptLengthTokensFromTheTrainingWords() throws {
        let outcome = try runRandomSearch(config: ["prompt_length": 7, "candidates_per_round": 3, "rounds": 2], budget: nil)
        let tokens = outcome.result.bestPrompt.text.split(separator: " ").map(String.init)
        XCTAssertEqual(tokens.count, 7)
        let words = Set(Self.train.flatMap { $0.input.split(separator: " ").map(String.init) })
        XCTAssertTrue(Set(tokens).isSubset(of: words), "\(tokens) not drawn from the training words")
        XCTAssertEqual(outcome.result.bestPrompt.method, "org.hone.random-search")
        XCTAssertEqual(outcome.summary["vocabulary_size"]?.intValue, words.count)
    }

    func testVocabSizeKeepsTheMostFrequentWords() throws {
        // "the", "is" and "a" appear 5 times each; no other word more than twice.
        let outcome = try runRandomSearch(config: ["vocab_size": 3, "candidates_per_round": 8, "rounds": 2], budget: nil)
        XCTAssertEqual(outcome.summary["vocabulary_size"], 3)
        XCTAssertTrue(Set(outcome.result.bestPrompt.text.split(separator: " ").map(String.init)).isSubset(of: ["the", "is", "a"]))
    }

    func testConfigVocabularyIsTheOnlySourceOfTokens() throws {
        let outcome = try runRandomSearch(config: ["vocabulary": ["alpha", "beta"], "rounds": 2, "candidates_per_round": 4], budget: nil)
        XCTAssertTrue(Set(outcome.result.bestPrompt.text.split(separator: " ").map(String.init)).isSubset(of: ["alpha", "beta"]))
        XCTAssertEqual(outcome.summary["vocabulary_size"], 2)
    }

    func testStaysWithinBudgetAndKeepsTheDevReRankingItReserved() throws {
        // 8 train examples per prompt; dev re-ranking of 2 prompts on 4 dev examples is reserved.
        let outcome = try runRandomSearch(config: ["candidates_per_round": 4, "rounds": 100, "dev_top_k": 2], budget: 100)
        XCTAssertLessThanOrEqual(outcome.usedCalls, 100)
        XCTAssertEqual(outcome.summary["stopped"], "budget")
        XCTAssertEqual(outcome.summary["dev_reranked"], 2)
        // 100 - 8 reserved = 92 calls: 11 prompts on train (88 calls), then 8 calls on dev.
        XCTAssertEqual(outcome.summary["prompts_evaluated"], 11)
        XCTAssertEqual(outcome.usedCalls, 96)
        XCTAssertNotNil(outcome.result.bestPrompt.data?["dev_score"])
        let train = try XCTUnwrap(outcome.summary["best_train"]?.doubleValue)
        let dev = try XCTUnwrap(outcome.summary["best_dev"]?.doubleValue)
        XCTAssertEqual(outcome.summary["best_train_dev"]?.doubleValue ?? -1, (train * 8 + dev * 4) / 12, accuracy: 1e-9)
    }

    func testReRankingOnDevNeverPicksWorseOnTrainPlusDevThanTheBestOnTrain() throws {
        // Without a budget the draws do not depend on dev_top_k: both runs see the same prompts.
        let bestOnTrain = try runRandomSearch(config: ["candidates_per_round": 6, "rounds": 4, "dev_top_k": 1], budget: nil)
        let reRanked = try runRandomSearch(config: ["candidates_per_round": 6, "rounds": 4, "dev_top_k": 6], budget: nil)
        XCTAssertEqual(reRanked.summary["dev_reranked"], 6)
        func trainPlusDev(_ outcome: Outcome) throws -> Double {
            let data = try XCTUnwrap(outcome.result.bestPrompt.data)
            let train = try XCTUnwrap(data["train_score"]?.doubleValue)
            let dev = try XCTUnwrap(data["dev_score"]?.doubleValue)
            return (train * 8 + dev * 4) / 12
        }
        XCTAssertEqual(try trainPlusDev(reRanked), reRanked.summary["best_train_dev"]?.doubleValue ?? -1, accuracy: 1e-9)
        XCTAssertGreaterThanOrEqual(try trainPlusDev(reRanked), try trainPlusDev(bestOnTrain))
        XCTAssertEqual(reRanked.result.curve, bestOnTrain.result.curve, "the same prompts were drawn and scored on train")
    }

    func testReturnsTheSeedPromptWhenTheBudgetCannotCoverOnePrompt() throws {
        let outcome = try runRandomSearch(config: [:], budget: 5, seedPrompt: "start here")
        XCTAssertEqual(outcome.result.bestPrompt.text, "start here")
        XCTAssertEqual(outcome.summary["stopped"], "budget")
        XCTAssertEqual(outcome.usedCalls, 0)
    }

    func testStopsCleanlyWhenCancelledMidRunWithTheBestSoFar() throws {
        let outcome = try runRandomSearch(config: ["candidates_per_round": 2, "rounds": 50], budget: nil) { call, context in
            if call == 3 { context.cancel() }
        }
        XCTAssertEqual(outcome.summary["stopped"], "cancelled")
        XCTAssertEqual(outcome.summary["rounds_completed"], 3)
        XCTAssertEqual(outcome.summary["dev_reranked"], 0, "a cancelled run does not spend more calls on dev")
        XCTAssertEqual(outcome.result.bestPrompt.method, "org.hone.random-search")
        XCTAssertEqual(outcome.result.curve?.count, 3)
    }

    func testACheckpointSavedAfterEachRoundRestoresTheSearchSoThatAResumedRunEndsExactlyAsAnUninterruptedOne() throws {
        // Budget 100, 8 calls per prompt on train, 8 reserved for the dev re-ranking: rounds of
        // 4, 4 and 3 prompts (88 calls), then 2 prompts on dev (96). Stopping after round 3
        // leaves 12 calls: the resumed run must keep the first attempt's dev reserve, not draw
        // one more prompt with it.
        let config: JSONValue = ["candidates_per_round": 4, "rounds": 100, "dev_top_k": 2]
        let uninterrupted = try runRandomSearch(config: config, budget: 100)
        XCTAssertEqual(uninterrupted.usedCalls, 96)
        XCTAssertEqual(uninterrupted.summary["rounds_completed"], 3)
        XCTAssertEqual(uninterrupted.summary["resumed_from_round"], 0)
        XCTAssertEqual(uninterrupted.scoreCalls, 4, "3 rounds on train and one re-ranking on dev")
        for round in 1...3 {
            let stopped = try runStoppedDuring(round: round, config: config, budget: 100)
            XCTAssertEqual(stopped.checkpointJSON?["rounds_done"]?.intValue, round)
            let resumed = try runRandomSearch(config: config, budget: 100, usedCalls: stopped.usedCalls, checkpoint: stopped.checkpoint)
            XCTAssertEqual(resumed.result.bestPrompt, uninterrupted.result.bestPrompt, "stopped after round \(round)")
            XCTAssertEqual(resumed.usedCalls, uninterrupted.usedCalls, "stopped after round \(round)")
            XCTAssertEqual(resumed.result.curve, uninterrupted.result.curve, "stopped after round \(round)")
            for key in ["stopped", "rounds_completed", "prompts_evaluated", "dev_reranked", "best_train", "best_train_dev"] {
                XCTAssertEqual(resumed.summary[key], uninterrupted.summary[key], "\(key), stopped after round \(round)")
            }
            XCTAssertEqual(resumed.summary["resumed_from_round"]?.intValue, round)
            XCTAssertEqual(resumed.scoreCalls, 3 - round + 1, "only the rounds after the checkpoint, then dev")
            XCTAssertEqual(resumed.warnings, [])
            XCTAssertTrue(resumed.infos.contains { $0.contains("resuming from round \(round)") }, "\(resumed.infos)")
        }
    }

    func testACheckpointOfOtherSettingsIsIgnoredWithAWarningAndTheSearchStartsAfresh() throws {
        let config: JSONValue = ["candidates_per_round": 4, "rounds": 4, "dev_top_k": 2]
        let stopped = try runStoppedDuring(round: 2, config: config, budget: nil, seed: 5)
        let checkpoint = try XCTUnwrap(stopped.checkpoint)
        let cases: [(config: JSONValue, seed: UInt64, names: String)] = [
            (config, 6, "fingerprint.seed is 5 in the checkpoint but 6 in this run"),
            (["candidates_per_round": 3, "rounds": 4, "dev_top_k": 2], 5, "fingerprint.candidates_per_round is 4 in the checkpoint but 3"),
            (["candidates_per_round": 4, "rounds": 4, "dev_top_k": 2, "prompt_length": 4], 5, "fingerprint.prompt_length"),
            (["candidates_per_round": 4, "rounds": 4, "dev_top_k": 3], 5, "fingerprint.dev_top_k"),
            (["candidates_per_round": 4, "rounds": 4, "dev_top_k": 2, "vocab_size": 5], 5, "fingerprint.vocabulary_count"),
            (["candidates_per_round": 4, "rounds": 4, "dev_top_k": 2, "vocabulary": ["the", "film", "is"]], 5, "fingerprint.vocabulary_count"),
        ]
        for (other, seed, names) in cases {
            let fresh = try runRandomSearch(config: other, budget: 200, seed: seed)
            let ignoring = try runRandomSearch(config: other, budget: 200, seed: seed, checkpoint: checkpoint)
            XCTAssertEqual(ignoring.warnings.count, 1, "\(other)")
            XCTAssertTrue(ignoring.warnings.first?.contains("ignoring the stage's checkpoint and starting the search afresh") == true, "\(ignoring.warnings)")
            XCTAssertTrue(ignoring.warnings.first?.contains(names) == true, "\(ignoring.warnings) should name \(names)")
            XCTAssertEqual(ignoring.result.bestPrompt, fresh.result.bestPrompt)
            XCTAssertEqual(ignoring.result.curve, fresh.result.curve)
            XCTAssertEqual(ignoring.usedCalls, fresh.usedCalls)
            XCTAssertEqual(ignoring.summary["resumed_from_round"], 0)
        }
        // Same number of words, other words: only the vocabulary hash tells them apart.
        let words: JSONValue = ["candidates_per_round": 4, "rounds": 4, "dev_top_k": 2, "vocabulary": ["alpha", "beta", "gamma"]]
        let stoppedOnWords = try runStoppedDuring(round: 1, config: words, budget: nil)
        let otherWords: JSONValue = ["candidates_per_round": 4, "rounds": 4, "dev_top_k": 2, "vocabulary": ["alpha", "beta", "delta"]]
        let ignoring = try runRandomSearch(config: otherWords, budget: nil, checkpoint: stoppedOnWords.checkpoint)
        XCTAssertTrue(ignoring.warnings.first?.contains("fingerprint.vocabulary_hash") == true, "\(ignoring.warnings)")
        XCTAssertEqual(ignoring.summary["resumed_from_round"], 0)
        XCTAssertEqual(ignoring.summary["rounds_completed"], 4)
    }

    func testADamagedCheckpointOrOneOfAnotherFormatIsIgnoredWithAWarningAndTheSearchStartsAfresh() throws {
        let config: JSONValue = ["candidates_per_round": 4, "rounds": 3, "dev_top_k": 2]
        let stopped = try runStoppedDuring(round: 2, config: config, budget: nil)
        guard case .object(let document) = try XCTUnwrap(stopped.checkpointJSON) else { return XCTFail("not an object") }
        func changed(_ key: String, _ value: JSONValue?) -> String {
            var copy = document
            copy[key] = value
            return JSONValue.object(copy).serialized()
        }
        var badTop = document["top"]?.arrayValue ?? []
        if case .object(var first) = badTop.first {
            first["token_ids"] = [0, 1, 100_000, 2, 3]
            badTop[0] = .object(first)
        }
        let cases: [(checkpoint: String, names: String)] = [
            ("{\"format\": 1, \"rng\": ", "it is damaged: invalid JSON"),
            ("[1, 2]", "it is damaged: expected an object, got array"),
            (changed("format", 2), "its format is 2; this plugin reads format 1"),
            (changed("rng", 12345), "it is damaged"),
            (changed("rng", "-1"), "its rng \"-1\" is not a decimal 64-bit integer"),
            (changed("rng", "18446744073709551616"), "is not a decimal 64-bit integer"),
            (changed("rounds_done", nil), "rounds_done"),
            (changed("top", .array(badTop)), "top[0].token_ids[2] is 100000, not a token of the"),
            (changed("top", .array(Array(repeating: badTop.first ?? .null, count: 3))), "dev_top_k allows 2"),
        ]
        let fresh = try runRandomSearch(config: config, budget: nil)
        for (checkpoint, names) in cases {
            let ignoring = try runRandomSearch(config: config, budget: nil, checkpoint: checkpoint)
            XCTAssertEqual(ignoring.warnings.count, 1, checkpoint)
            XCTAssertTrue(ignoring.warnings.first?.contains(names) == true, "\(ignoring.warnings) should name \(names)")
            XCTAssertEqual(ignoring.result.bestPrompt, fresh.result.bestPrompt, checkpoint)
            XCTAssertEqual(ignoring.result.curve, fresh.result.curve, checkpoint)
            XCTAssertEqual(ignoring.summary["resumed_from_round"], 0)
        }
    }

    func testTheCheckpointNamesItsSettingsAndVocabularyAndKeepsTheGeneratorAsADecimalString() throws {
        let config: JSONValue = ["candidates_per_round": 3, "rounds": 2, "dev_top_k": 2, "prompt_length": 4,
                                 "vocabulary": ["alpha", "beta", "gamma"], "seed": 4_000_000_000]
        let outcome = try runRandomSearch(config: config, budget: nil)
        let checkpoint = try XCTUnwrap(outcome.checkpointJSON)
        XCTAssertEqual(checkpoint["format"], 1)
        let fingerprint = try XCTUnwrap(checkpoint["fingerprint"])
        XCTAssertEqual(fingerprint["seed"], 4_000_000_000)
        XCTAssertEqual(fingerprint["prompt_length"], 4)
        XCTAssertEqual(fingerprint["candidates_per_round"], 3)
        XCTAssertEqual(fingerprint["dev_top_k"], 2)
        XCTAssertEqual(fingerprint["vocabulary_count"], 3)
        XCTAssertEqual(fingerprint["vocabulary_hash"]?.stringValue, String(format: "%016llx", HashScoringBackend.fnv1a("alpha\nbeta\ngamma")))
        let rng = try XCTUnwrap(checkpoint["rng"]?.stringValue)
        XCTAssertNotNil(UInt64(rng), "rng \(rng) is a decimal uint64")
        XCTAssertEqual(checkpoint["drawn"], 6)
        XCTAssertEqual(checkpoint["rounds_done"], 2)
        XCTAssertEqual(checkpoint["curve"]?.arrayValue ?? [], outcome.result.curve ?? [])
        let top = try XCTUnwrap(checkpoint["top"]?.arrayValue)
        XCTAssertEqual(top.count, 2)
        XCTAssertEqual(top.first?["token_ids"]?.arrayValue?.count, 4)
        XCTAssertEqual(top.first?["train"], outcome.result.curve?.last?["best_train"])
        XCTAssertNotNil(top.first?["order"]?.intValue)
    }

    func testCheckpointEveryZeroSavesNoneAndTwoSavesAfterEverySecondRound() throws {
        let none = try runRandomSearch(config: ["candidates_per_round": 2, "rounds": 3, "checkpoint_every": 0], budget: nil)
        XCTAssertNil(none.checkpoint)
        XCTAssertEqual(none.summary["rounds_completed"], 3)
        let everySecond = try runRandomSearch(config: ["candidates_per_round": 2, "rounds": 5, "checkpoint_every": 2], budget: nil)
        XCTAssertEqual(everySecond.checkpointJSON?["rounds_done"], 4, "saved after rounds 2 and 4, not after 5")
        let everyRound = try runRandomSearch(config: ["candidates_per_round": 2, "rounds": 5], budget: nil)
        XCTAssertEqual(everyRound.checkpointJSON?["rounds_done"], 5, "the default saves after every round")
        XCTAssertThrowsError(try PluginOptimizer(plugin: try Self.builtInRandomSearch(), config: ["checkpoint_every": -1])) { error in
            XCTAssertTrue("\(error)".contains("$.config.checkpoint_every"), "\(error)")
        }
    }

    func testRefusesAnEmptyVocabularyEntryNamingIt() throws {
        let plugin = try Self.builtInRandomSearch()
        XCTAssertThrowsError(try PluginOptimizer(plugin: plugin, config: ["vocabulary": ["ok", ""]])) { error in
            XCTAssertTrue("\(error)".contains("$.config.vocabulary[1]"), "\(error)")
        }
        XCTAssertThrowsError(try PluginOptimizer(plugin: plugin, config: ["rounds": 0])) { error in
            XCTAssertTrue("\(error)".contains("$.config.rounds"), "\(error)")
        }
    }
}
