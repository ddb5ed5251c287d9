import Foundation
import Hone
import HoneSDK
import Logging
import XCTest

/// The built-in random search (`libHonePluginRandomSearch.so`, the C example compiled by
/// SwiftPM) driven through the real loader and host table, on a deterministic hash-scoring
/// backend: seeding, budget, dev re-ranking, cancellation and vocabulary rules.
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
        var summary: JSONValue { result.summary ?? .null }
    }

    private func runRandomSearch(
        config: JSONValue, budget: Int?, seed: UInt64 = 11, seedPrompt: String = "",
        onScore: @escaping (Int, StageContext) -> Void = { _, _ in }
    ) throws -> Outcome {
        let plugin = try Self.builtInRandomSearch()
        let optimizer = try PluginOptimizer(plugin: plugin, config: config)
        let backend = HashScoringBackend()
        let evaluator = ClassificationEvaluator(backend: backend, template: "{prompt} {input}", labels: Self.labels, metric: "accuracy")
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let context = StageContext(
            stageIndex: 0, pluginID: plugin.info.id, train: Self.train, dev: Self.dev, evaluator: evaluator,
            backend: backend, budgetCalls: budget, checkpointFile: nil, logger: logger, onProgress: { _, _, _ in })
        backend.onScore = { [unowned context] call in onScore(call, context) }
        func task(_ split: [LabeledExample]) -> [TaskExample] {
            split.enumerated().map { TaskExample(index: $0, input: $1.input, label: evaluator.index(ofLabel: $1.label)!) }
        }
        let request = RunRequest(
            stageIndex: 0, seedPrompt: PromptArtifact(text: seedPrompt),
            task: TaskDescription(template: "{prompt} {input}", labels: Self.labels, metric: "accuracy",
                                  train: task(Self.train), dev: task(Self.dev)),
            budget: context.budget, seed: seed)
        let result = try optimizer.optimize(request, context: context)
        return Outcome(result: result, usedCalls: context.usedCalls)
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
