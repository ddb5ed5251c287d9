import Foundation
import HoneSDK
import XCTest

@testable import Hone

/// `hone compare` and `hone runs`: grouping runs into methods x tasks over seeds, mean and
/// spread of the held-out test scores, budgets and their warning.
final class RunComparisonTests: XCTestCase {
    /// Runs `methods` (name, prompt length, budget) on `seeds` into `root/runs/seed-N/<name>`.
    private func makeRuns(_ root: String, methods: [(String, Int, Int)], seeds: [Int]) throws -> [String: [RunReport]] {
        var reports: [String: [RunReport]] = [:]
        for seed in seeds {
            for (method, length, budget) in methods {
                let text = HashScoredRun.configText(name: "cmp-\(seed)-\(method)", stages: [HashScoredRun.randomSearch(promptLength: length, budget: budget)], seed: seed)
                reports[method, default: []].append(try HashScoredRun.run(text, into: "\(root)/runs/seed-\(seed)/\(method)", base: root))
            }
        }
        return reports
    }

    func testCompareGroupsSeedsOfEachMethodAndGivesTheTestMeanAndSpread() throws {
        let root = try TestEnvironment.temporaryDirectory("compare")
        let reports = try makeRuns(root, methods: [("five_words", 5, 80), ("one_word", 1, 80)], seeds: [2, 1])
        let comparison = try RunComparison(folders: [root + "/runs"])
        XCTAssertEqual(comparison.tasks, ["reviews"], "the task is named by its test data's folder")
        XCTAssertEqual(comparison.rows.map(\.method), ["prompt \"\"", "five_words", "one_word"])
        XCTAssertTrue(comparison.warnings.isEmpty, "\(comparison.warnings)")
        for (method, runs) in reports {
            let row = try XCTUnwrap(comparison.rows.first { $0.method == method })
            XCTAssertEqual(row.seeds.map(\.label), ["seed 1", "seed 2"], "seeds in order")
            let tests = [runs[1].best.test, runs[0].best.test]
            XCTAssertEqual(row.seeds.map(\.scores.test), tests)
            let mean = tests.reduce(0, +) / 2
            XCTAssertEqual(row.testMean, mean, accuracy: 1e-12)
            XCTAssertEqual(row.testSpread, abs(tests[0] - tests[1]) / 2, accuracy: 1e-12, "population standard deviation of two values")
            XCTAssertEqual(row.budgetCalls, 80)
            XCTAssertEqual(row.meanUsedCalls, Double(runs.map(\.stages[0].usedCalls).reduce(0, +)) / 2, accuracy: 1e-12)
        }
        let baseline = comparison.rows[0]
        XCTAssertTrue(baseline.isFixedPrompt)
        XCTAssertEqual(baseline.seeds.count, 2, "the shared baseline counts once per seed, not once per run")

        let markdown = comparison.markdown()
        XCTAssertTrue(markdown.contains("| task | method | seeds | test mean | spread | per seed | budget (calls) | calls used (mean) |"), markdown)
        let five = try XCTUnwrap(comparison.rows.first { $0.method == "five_words" })
        XCTAssertTrue(markdown.contains("| reviews | five_words | 2 | \(RunComparison.percent(five.testMean, digits: 1)) | \(RunComparison.percent(five.testSpread, digits: 1)) |"), markdown)
        XCTAssertTrue(markdown.contains("| method | reviews |"), markdown)
        XCTAssertTrue(markdown.contains("| five_words | \(RunComparison.percent(five.testMean, digits: 1)) ± \(RunComparison.percent(five.testSpread, digits: 1)) (2) |"), markdown)
        let json = comparison.json
        XCTAssertEqual(json["rows"]?.arrayValue?.count, 3)
        XCTAssertEqual(json["rows"]?.arrayValue?[1]["test_mean"]?.doubleValue ?? -1, five.testMean, accuracy: 1e-12)
    }

    func testCompareWarnsWhenTheMethodsOfATaskHadDifferentBudgets() throws {
        let root = try TestEnvironment.temporaryDirectory("compare-budgets")
        _ = try makeRuns(root, methods: [("small", 5, 40), ("large", 5, 120)], seeds: [1])
        let comparison = try RunComparison(folders: [root + "/runs"])
        XCTAssertEqual(comparison.warnings.count, 1, "\(comparison.warnings)")
        let warning = try XCTUnwrap(comparison.warnings.first)
        XCTAssertTrue(warning.contains("different budgets") && warning.contains("small 40 calls") && warning.contains("large 120 calls"), warning)
        XCTAssertTrue(comparison.markdown().contains("> warning: reviews: the methods had different budgets"))
    }

    func testCompareLeavesOutRunsWithoutATestScoreAndSaysWhy() throws {
        let root = try TestEnvironment.temporaryDirectory("compare-unfinished")
        _ = try makeRuns(root, methods: [("done", 5, 40)], seeds: [1])
        // A run that was started and killed before its final scoring: its ledger says running.
        let text = HashScoredRun.configText(name: "killed", stages: [HashScoredRun.randomSearch(budget: 40)], seed: 2)
        let ledger = try RunLedger.create(in: root + "/runs/seed-2/done")
        try ledger.startRun(name: "killed", configJSON: text, baseDirectory: root, pluginPaths: [], persistentCache: false, backend: "hash-scoring",
                            stages: [("org.hone.random-search", 40)])
        let comparison = try RunComparison(folders: [root + "/runs"])
        XCTAssertEqual(comparison.skipped.map(\.directory), [root + "/runs/seed-2/done"])
        XCTAssertTrue(comparison.skipped.first?.reason.contains("no best prompt scored on test yet (status running)") == true, "\(comparison.skipped)")
        XCTAssertEqual(comparison.rows.first { $0.method == "done" }?.seeds.count, 1)
    }

    func testTaskLabelsAreTheShortestFolderTailThatTellsTestFilesApart() {
        XCTAssertEqual(RunComparison.labels(forPaths: ["/d/fsc/sst-2/test.tsv", "/d/fsc/agnews/test.tsv"]), ["sst-2", "agnews"])
        XCTAssertEqual(RunComparison.labels(forPaths: ["/a/x/sst2/test.tsv", "/b/y/sst2/test.tsv"]), ["x/sst2", "y/sst2"])
        XCTAssertEqual(RunComparison.labels(forPaths: ["/d/sst2_test.tsv", "/d/agnews_test.tsv"]), ["sst2_test", "agnews_test"])
        XCTAssertEqual(RunComparison.labels(forPaths: ["/work/examples/data/sst2/test.tsv"]), ["sst2"])
    }

    func testRunsListsEveryRunUnderAFolderWithStatusScoresAndCalls() throws {
        let root = try TestEnvironment.temporaryDirectory("runs-index")
        let reports = try makeRuns(root, methods: [("five_words", 5, 40)], seeds: [1, 2])
        let index = try RunIndex(folder: root)
        XCTAssertEqual(index.entries.map(\.directory), [root + "/runs/seed-1/five_words", root + "/runs/seed-2/five_words"])
        XCTAssertEqual(index.entries.map(\.bestTest), reports["five_words"]!.map(\.best.test))
        XCTAssertEqual(index.entries.map(\.calls), reports["five_words"]!.map(\.backendCalls))
        XCTAssertTrue(index.entries.allSatisfy { $0.run.status == .done })

        let result = try TestEnvironment.run([TestEnvironment.honeExecutable, "runs", root])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("| runs/seed-1/five_words | cmp-1-five_words | done | \(String(format: "%.4f", reports["five_words"]![0].best.test)) |"), result.stdout)
        let missing = try TestEnvironment.run([TestEnvironment.honeExecutable, "runs", root + "/absent"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("is not a directory"), missing.stderr)
    }
}
