import Foundation
import HoneSDK
import HoneTestSupport
import XCTest

@testable import Hone

/// `hone run` killed with SIGKILL in the middle of a stage, then `hone resume` and
/// `hone report`, on the `openai` backend against the in-process FixtureHTTPServer (no model).
final class ResumeEndToEndTests: XCTestCase {
    /// Holds the fixture's stage requests once the first evaluate request has been answered,
    /// so the run is killed while its stage is waiting on the backend.
    private final class Gate: @unchecked Sendable {
        private let lock = NSLock()
        private var stageRequests = 0
        private var open = false
        private var held = 0
        /// Stage requests answered before the gate holds the rest.
        let answerFirst: Int

        init(answerFirst: Int) { self.answerFirst = answerFirst }

        /// Waits while the gate holds `request` (up to 30 s).
        func pass(_ request: FixtureHTTPServer.Request) {
            guard request.json["prompt"]?.stringValue?.hasPrefix("BASELINE") == false else { return }
            let hold = lock.withLock { () -> Bool in
                stageRequests += 1
                if stageRequests > answerFirst && !open { held += 1; return true }
                return false
            }
            guard hold else { return }
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline, !lock.withLock({ open }) { usleep(10_000) }
        }

        var holding: Int { lock.withLock { held } }
        func release() { lock.withLock { open = true } }
    }

    func testAKilledRunResumesFromItsLedgerAndSpendsItsWholeBudget() throws {
        let key = "sk-resume-SECRET-777"
        let data = TestEnvironment.repository + "/examples/data/sst2"
        // 2 prompts x 32 train examples x 2 candidates: the stage's first evaluate request.
        let gate = Gate(answerFirst: 128)
        let reply = OpenAIPipelineEndToEndTests.labelledReply(labels: try OpenAIPipelineEndToEndTests.demoLabels(data))
        let server = try FixtureHTTPServer { request in
            gate.pass(request)
            return reply(request)
        }
        defer {
            gate.release()
            server.stop()
        }
        let dir = try TestEnvironment.temporaryDirectory("resume-e2e")
        // Budget 256 = 7 prompts on train (224) + the best on dev (32), however it is split.
        let config: JSONValue = [
            "name": "resume-e2e", "seed": 5,
            "task": [
                "dataset": ["train": .string(data + "/train.tsv"), "dev": .string(data + "/dev.tsv"), "test": .string(data + "/test.tsv"), "test_sample": 20],
                "template": "{prompt} {input}", "prompt": "BASELINE",
                "labels": [["name": "0", "verbalizer": "terrible"], ["name": "1", "verbalizer": "great"]],
            ],
            "backend": ["type": "openai", "base_url": .string(server.baseURL + "/v1"), "model": "fixture-llm",
                        "api_key_env": "HONE_RESUME_KEY", "capabilities": ["score"], "max_concurrency": 8],
            "cache": ["path": .string(dir + "/cache.sqlite")],
            "stages": [["plugin": "org.hone.random-search",
                        "config": ["prompt_length": 2, "candidates_per_round": 2, "rounds": 50, "dev_top_k": 1, "vocab_size": 50],
                        "budget": ["calls": 256]]],
        ]
        let file = dir + "/pipeline.json"
        try config.prettyPrinted().write(toFile: file, atomically: true, encoding: .utf8)
        let runDirectory = dir + "/run"

        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestEnvironment.honeExecutable)
        process.arguments = ["run", file, "--out", runDirectory, "--quiet"]
        process.environment = ProcessInfo.processInfo.environment.merging(["HONE_RESUME_KEY": key]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        // Wait until the first evaluate request is in the ledger and the second is held.
        let deadline = Date().addingTimeInterval(60)
        var recorded: RecordedRun?
        while Date() < deadline {
            if gate.holding > 0, let run = try? RunLedger.open(directory: runDirectory).recordedRun(), run.stages.first?.usedCalls == 64 {
                recorded = run
                break
            }
            usleep(20_000)
        }
        let beforeKill = try XCTUnwrap(recorded, "the run never reached its stage's second request")
        XCTAssertEqual(beforeKill.status, .running)
        XCTAssertEqual(beforeKill.stages.first?.status, .running)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        gate.release()
        XCTAssertFalse(FileManager.default.fileExists(atPath: runDirectory + "/result.json"))

        let environment = ["HONE_RESUME_KEY": key]
        let resumed = try TestEnvironment.run([TestEnvironment.honeExecutable, "resume", runDirectory], environment: environment)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("best prompt:"), resumed.stdout)
        let result = try JSONValue(parsing: String(contentsOfFile: runDirectory + "/result.json", encoding: .utf8))
        XCTAssertEqual(result["stages"]?.arrayValue?.first?["used_calls"]?.intValue, 256, "the calls before the kill counted; the rest of the budget was spent")
        XCTAssertEqual(result["backend_calls"]?.intValue, 256 + 2 * (32 + 32 + 20))
        let ledger = try RunLedger.open(directory: runDirectory)
        let after = try ledger.recordedRun()
        XCTAssertEqual(after.status, .done)
        XCTAssertEqual(after.sessions, 2)
        XCTAssertEqual(after.stages.first?.status, .done)
        XCTAssertEqual(after.stages.first?.attempts, 2)
        XCTAssertEqual(try ledger.candidates(stage: 0).reduce(0) { $0 + $1.examples }, 256)

        let again = try TestEnvironment.run([TestEnvironment.honeExecutable, "resume", runDirectory], environment: environment)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("already finished"), again.stdout)
        XCTAssertEqual(try RunLedger.open(directory: runDirectory).recordedRun().sessions, 2, "a finished run is left as it is")

        let report = try TestEnvironment.run([TestEnvironment.honeExecutable, "report", runDirectory, "--top", "2"])
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(report.stdout.contains("| 1 | org.hone.random-search | done | 256 / 256 |"), report.stdout)
        XCTAssertTrue(report.stdout.contains("| baseline | \"BASELINE\" |"), report.stdout)
        XCTAssertTrue(report.stdout.contains("top 2 of"), report.stdout)
        let json = try TestEnvironment.run([TestEnvironment.honeExecutable, "report", runDirectory, "--json"])
        XCTAssertEqual(try JSONValue(parsing: json.stdout)["run"]?["status"], "done")

        for name in try FileManager.default.subpathsOfDirectory(atPath: dir) {
            let path = dir + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            XCTAssertNil(try Data(contentsOf: URL(fileURLWithPath: path)).range(of: Data(key.utf8)), "the key is in \(name)")
        }
    }

    func testResumeWithoutALedgerNamesWhatIsMissing() throws {
        let dir = try TestEnvironment.temporaryDirectory("resume-nothing")
        let run = try TestEnvironment.run([TestEnvironment.honeExecutable, "resume", dir])
        XCTAssertNotEqual(run.status, 0)
        XCTAssertTrue(run.stderr.contains("ledger.sqlite is missing"), run.stderr)
    }
}
