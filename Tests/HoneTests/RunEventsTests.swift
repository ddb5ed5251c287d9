import Foundation
import HoneSDK
import Synchronization
import XCTest

@testable import Hone

/// The run's event stream (`events.jsonl`, ``PipelineRunner/onEvent``) and the live progress
/// line: in process, random search on the hash-scoring backend.
final class RunEventsTests: XCTestCase {
    private final class Collected: Sendable {
        private let events = Mutex<[RunEvent]>([])
        func add(_ e: RunEvent) { events.withLock { $0.append(e) } }
        var all: [RunEvent] { events.withLock { $0 } }
    }

    func testEventStreamRecordsTheRunItsStageEveryCandidateProgressAndTheEnd() throws {
        let dir = try TestEnvironment.temporaryDirectory("events")
        let collected = Collected()
        let text = HashScoredRun.configText(name: "events-test", stages: [HashScoredRun.randomSearch(budget: 100)])
        let report = try HashScoredRun.run(text, into: dir + "/run", onEvent: { collected.add($0) })
        let events = try RunEventLog.events(in: dir + "/run")
        let names = events.compactMap { $0["event"]?.stringValue }
        XCTAssertEqual(names.first, "run_started")
        XCTAssertEqual(names.last, "run_finished")
        XCTAssertEqual(collected.all.map(\.name), names, "onEvent sees exactly what the file records")
        XCTAssertEqual(names.filter { $0 == "stage_started" }.count, 1)
        XCTAssertEqual(names.filter { $0 == "stage_ended" }.count, 1)
        XCTAssertEqual(names.filter { $0 == "candidate_scored" }.count, report.stages[0].evaluatedPrompts)
        XCTAssertEqual(events.filter { $0["event"] == "scored" }.map { $0["which"]?.stringValue }, ["baseline", "best"])

        let candidates = events.filter { $0["event"] == "candidate_scored" }
        let ledgerPoints = try RunLedger.open(directory: dir + "/run").candidatePoints(stage: 0)
        XCTAssertEqual(candidates.map { $0["prompt"]?.stringValue }, ledgerPoints.map(\.candidate.promptText))
        XCTAssertEqual(candidates.map { $0["used_calls"]?.intValue }, ledgerPoints.map(\.callsUsed), "the events' calls are the ledger curve's")
        XCTAssertEqual(candidates.map { $0["score"]?.doubleValue }, ledgerPoints.map(\.candidate.score))

        let progress = events.filter { $0["event"] == "progress" }
        XCTAssertFalse(progress.isEmpty)
        let used = progress.compactMap { $0["used_calls"]?.intValue }
        XCTAssertEqual(used, used.sorted(), "calls used never go back")
        XCTAssertEqual(used.last, report.stages[0].usedCalls)
        XCTAssertTrue(progress.allSatisfy { $0["budget_calls"] == 100 })
        let bestTrain = try XCTUnwrap(progress.last?["best_train"]?.doubleValue)
        XCTAssertEqual(bestTrain, ledgerPoints.filter { $0.candidate.split == "train" && $0.candidate.examples == TinyReviewTask.train.count }.map(\.candidate.score).max())

        let ended = try XCTUnwrap(events.first { $0["event"] == "stage_ended" })
        XCTAssertEqual(ended["status"], "done")
        XCTAssertEqual(ended["best_prompt"]?.stringValue, report.stages[0].bestPrompt.text)
        let finished = try XCTUnwrap(events.last)
        XCTAssertEqual(finished["status"], "done")
        XCTAssertEqual(finished["best_test"]?.doubleValue, report.best.test)
        XCTAssertEqual(finished["baseline_test"]?.doubleValue, report.baseline.test)
        XCTAssertEqual(finished["backend_calls"]?.intValue, report.backendCalls)
        XCTAssertNotNil(finished["time"]?.doubleValue)
    }

    func testResumeAppendsToTheEventStreamAndANewRunStartsItAfresh() throws {
        let dir = try TestEnvironment.temporaryDirectory("events-resume")
        let text = HashScoredRun.configText(name: "events-resume", stages: [HashScoredRun.randomSearch(budget: 100)])
        let runner = try HashScoredRun.makeRunner(text, into: dir + "/run")
        let backend = HashScoringBackend()
        backend.onScore = { call in if call == 6 { runner.cancel() } }
        _ = try runner.run(try HashScoredRun.prepared(for: runner, backend: backend))
        let first = try RunEventLog.events(in: dir + "/run")
        XCTAssertEqual(first.last?["status"], "cancelled")
        XCTAssertTrue(first.contains { $0["event"] == "stage_ended" && $0["status"] == "cancelled" })

        let resumer = try HashScoredRun.makeRunner(text, into: dir + "/run")
        _ = try resumer.resume(try HashScoredRun.prepared(for: resumer))
        let both = try RunEventLog.events(in: dir + "/run")
        XCTAssertEqual(Array(both.prefix(first.count)).map { $0.serialized() }, first.map { $0.serialized() }, "resume appends")
        let sessions = both.filter { $0["event"] == "run_started" }.map { $0["session"]?.intValue }
        XCTAssertEqual(sessions, [1, 2])
        XCTAssertEqual(both.last?["status"], "done")

        try HashScoredRun.run(text, into: dir + "/run")
        let fresh = try RunEventLog.events(in: dir + "/run")
        XCTAssertEqual(fresh.filter { $0["event"] == "run_started" }.count, 1, "a new run starts the stream afresh")
    }

    func testStageProgressEstimatesTimeLeftFromThisAttemptsRate() {
        XCTAssertEqual(StageProgress.estimatedSecondsLeft(elapsed: 10, startFraction: 0, fraction: 0.25) ?? -1, 30, accuracy: 1e-9)
        XCTAssertEqual(StageProgress.estimatedSecondsLeft(elapsed: 10, startFraction: 0.5, fraction: 0.75) ?? -1, 10, accuracy: 1e-9,
                       "a resumed stage's earlier calls do not count as this attempt's speed")
        XCTAssertNil(StageProgress.estimatedSecondsLeft(elapsed: 10, startFraction: 0.5, fraction: 0.5), "no progress yet: no estimate")
        XCTAssertEqual(StageProgress.estimatedSecondsLeft(elapsed: 10, startFraction: 0, fraction: 1), 0)
        var p = StageProgress(stage: 0, stageCount: 2, plugin: "org.hone.random-search", fraction: 0.1, usedCalls: 600, budgetCalls: 1000)
        XCTAssertEqual(p.overallFraction ?? -1, 0.6, accuracy: 1e-12, "the larger of the plugin's fraction and the budget spent")
        p.budgetCalls = nil
        XCTAssertEqual(p.overallFraction ?? -1, 0.1, accuracy: 1e-12)
    }

    func testLiveLineShowsStepBestScoresCallsOfTheBudgetCacheHitsAndETA() {
        let p = StageProgress(
            stage: 0, stageCount: 2, plugin: "org.hone.rlprompt", fraction: 0.2, message: "step 12 reward 81.5", usedCalls: 1536,
            budgetCalls: 6000, bestTrain: 0.90625, bestDev: 0.8125, candidates: 200, cacheHits: 96, elapsedSeconds: 65, etaSeconds: 185)
        XCTAssertEqual(p.line, "[1/2 org.hone.rlprompt]  26% step 12 reward 81.5 | best train 0.9062 dev 0.8125 | calls 1536/6000 | cache hits 96 | 1:05, ETA 3:05")
        let q = StageProgress(stage: 1, stageCount: 2, plugin: "org.hone.random-search", usedCalls: 10)
        XCTAssertEqual(q.line, "[2/2 org.hone.random-search]   ?% | best train - dev - | calls 10/unlimited | cache hits 0 | 0:00")
    }
}
