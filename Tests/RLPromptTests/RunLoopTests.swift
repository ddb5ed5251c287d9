import CHoneABI
import HoneSDK
import XCTest
@testable import HonePluginRLPrompt

/// The plugin's run loop against an in-process host (``MockHost``) on a synthetic task.
final class RunLoopTests: XCTestCase {
    var vocabularyPath = ""

    override func setUpWithError() throws {
        vocabularyPath = try SyntheticTask.vocabularyFile(count: 20)
    }

    func config(_ extra: [String: JSONValue] = [:]) -> JSONValue {
        var object: [String: JSONValue] = [
            "vocab_source": "file", "vocab_file": .string(vocabularyPath), "prompt_length": 3, "prompts_per_step": 8,
            "top_k": 10, "embedding_size": 8, "hidden_size": 16, "learning_rate": 0.02, "eval_every": 5,
            "checkpoint_every": 5, "max_steps": 40,
        ]
        for (k, v) in extra { object[k] = v }
        return .object(object)
    }

    func run(_ host: MockHost, _ extra: [String: JSONValue] = [:], limit: Int? = nil) throws -> RunResult {
        let optimizer = try RLPromptOptimizer(config: config(extra), host: host.connection)
        return try optimizer.run(SyntheticTask.request(limitCalls: limit))
    }

    func host(limit: Int? = nil) -> MockHost {
        MockHost(train: SyntheticTask.examples(8), dev: SyntheticTask.examples(6), limitCalls: limit, scorer: SyntheticTask.scorer)
    }

    func testTrainingRaisesTheRewardOverTheFirstSteps() throws {
        let result = try run(host())
        let rewards = (result.curve ?? []).compactMap { $0["mean_reward"]?.doubleValue }
        XCTAssertEqual(rewards.count, 40)
        let early = rewards.prefix(5).reduce(0, +) / 5
        let late = rewards.suffix(5).reduce(0, +) / 5
        XCTAssertGreaterThan(late, early + 10, "mean reward \(early) -> \(late)")
        XCTAssertEqual(result.bestPrompt.method, "org.hone.rlprompt")
        XCTAssertEqual(result.bestPrompt.text.split(separator: " ").count, 3)
        XCTAssertEqual(result.summary?["chosen_by"], "best_train_and_dev")
    }

    func testSelectionOnTrainAndDevScoresEachCandidateOnBothSplitsAndPoolsThem() throws {
        let mock = host()
        let result = try run(mock, ["max_steps": 10, "train_batch_size": 4])
        XCTAssertEqual(result.summary?["selected_on"], "train+dev")
        // Every candidate judged on the whole train split is judged on dev too, and nothing else is.
        let onTrain = mock.requests.filter { $0.split == .train && $0.wholeSplit }.flatMap(\.prompts)
        let onDev = mock.requests.filter { $0.split == .dev }.flatMap(\.prompts)
        XCTAssertFalse(onDev.isEmpty)
        XCTAssertEqual(onTrain, onDev)
        XCTAssertTrue(onDev.contains(result.bestPrompt.text))
        // The reported score is the accuracy over the 8 + 6 pooled examples.
        let pooled = (SyntheticTask.examples(8) + SyntheticTask.examples(6)).filter { example in
            let p = SyntheticTask.scorer(result.bestPrompt.text, example)
            return (p.indices.max { p[$0] < p[$1] } ?? 0) == example.label
        }.count
        XCTAssertEqual(result.summary?["best_dev_score"]?.doubleValue ?? -1, Double(pooled) / 14, accuracy: 1e-12)
    }

    func testSelectionOnDevAloneNeverRescoresTrain() throws {
        let mock = host()
        let result = try run(mock, ["max_steps": 10, "train_batch_size": 4, "select_on": "dev"])
        XCTAssertEqual(result.summary?["chosen_by"], "best_dev")
        XCTAssertTrue(mock.requests.filter { $0.split == .train }.allSatisfy { !$0.wholeSplit })
        XCTAssertFalse(mock.requests.filter { $0.split == .dev }.isEmpty)
    }

    func testStopsWhenTheBudgetCannotPayAStepAndReturnsTheBestSoFar() throws {
        // One step costs 8 prompts x 8 examples = 64 calls; judging a candidate 8 + 6 (train+dev).
        let mock = host(limit: 64 * 7 + 10)
        let result = try run(mock, limit: 64 * 7 + 10)
        XCTAssertEqual(result.summary?["stop_reason"], "budget")
        XCTAssertLessThanOrEqual(mock.usedCalls, 64 * 7 + 10)
        XCTAssertEqual(result.summary?["steps"]?.intValue, 6)
        XCTAssertFalse(result.bestPrompt.text.isEmpty)
        XCTAssertNotNil(result.summary?["best_dev_score"]?.doubleValue)
    }

    func testStopsOnCancellationWithAPrompt() throws {
        let mock = host()
        mock.cancelAfterCalls = 64 * 3
        let result = try run(mock)
        XCTAssertEqual(result.summary?["stop_reason"], "cancelled")
        XCTAssertEqual(result.summary?["steps"]?.intValue, 3)
        XCTAssertEqual(result.bestPrompt.text.split(separator: " ").count, 3)
    }

    func testResumedRunEqualsAnUninterruptedOne() throws {
        let straight = try run(host(), ["max_steps": 20])
        let mock = host()
        let first = try run(mock, ["max_steps": 10])
        XCTAssertEqual(first.summary?["steps"]?.intValue, 10)
        XCTAssertNotNil(mock.checkpoint)
        let resumed = try run(mock, ["max_steps": 20])
        XCTAssertEqual(resumed.summary?["steps"]?.intValue, 20)
        XCTAssertEqual(resumed.bestPrompt.text, straight.bestPrompt.text)
        XCTAssertEqual(resumed.curve?.map { $0["mean_reward"] }, straight.curve?.map { $0["mean_reward"] })
    }

    func testGreedyPromptSeenBeforeIsNotPaidForTwice() throws {
        let mock = host()
        _ = try run(mock, ["max_steps": 40, "eval_every": 1, "train_batch_size": 4])
        // 40 evaluations, two candidates each, but no prompt is judged twice.
        let judged = mock.requests.filter { $0.split == .dev }.flatMap(\.prompts)
        XCTAssertEqual(Set(judged).count, judged.count, "a candidate was judged twice")
        XCTAssertLessThan(judged.count, 80)
    }

    func testDescriptorDeclaresScoreAndTheLibraryExportsIt() {
        XCTAssertEqual(RLPromptOptimizer.descriptor.id, "org.hone.rlprompt")
        XCTAssertEqual(RLPromptOptimizer.descriptor.capabilities, ["score"])
        let library = honePluginEntry().assumingMemoryBound(to: hone_plugin_library.self).pointee
        XCTAssertEqual(library.magic, HONE_PLUGIN_MAGIC)
        XCTAssertEqual(library.plugin_count, 1)
        XCTAssertEqual(String(cString: library.plugins[0]!.pointee.id), "org.hone.rlprompt")
    }
}
