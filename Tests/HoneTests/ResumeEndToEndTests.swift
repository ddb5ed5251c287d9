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

    /// A `hone run` on the fixture server, stopped while its stage's second evaluate request
    /// is held at the gate (the first one is in the ledger).
    private struct HeldRun {
        var process: Process
        var gate: Gate
        var server: FixtureHTTPServer
        var directory: String
        var runDirectory: String
        var beforeStop: RecordedRun
        var stderr: StderrCollector
    }

    /// Collects a process's standard error as it is written.
    private final class StderrCollector: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        let pipe = Pipe()

        init() {
            pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
                let chunk = handle.availableData
                guard let self, !chunk.isEmpty else { return }
                self.lock.withLock { self.data.append(chunk) }
            }
        }

        var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
    }

    private static let key = "sk-resume-SECRET-777"

    private func startHeldRun(_ name: String) throws -> HeldRun {
        let data = TestEnvironment.repository + "/examples/data/sst2"
        // 2 prompts x 32 train examples x 2 candidates: the stage's first evaluate request.
        let gate = Gate(answerFirst: 128)
        let reply = OpenAIPipelineEndToEndTests.labelledReply(labels: try OpenAIPipelineEndToEndTests.demoLabels(data))
        let server = try FixtureHTTPServer { request in
            gate.pass(request)
            return reply(request)
        }
        let dir = try TestEnvironment.temporaryDirectory(name)
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
        process.environment = ProcessInfo.processInfo.environment.merging(["HONE_RESUME_KEY": Self.key]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        let stderr = StderrCollector()
        process.standardError = stderr.pipe
        try process.run()

        // Wait until the first evaluate request is in the ledger and the second is held.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if gate.holding > 0, let run = try? RunLedger.open(directory: runDirectory).recordedRun(), run.stages.first?.usedCalls == 64 {
                return HeldRun(process: process, gate: gate, server: server, directory: dir, runDirectory: runDirectory, beforeStop: run, stderr: stderr)
            }
            usleep(20_000)
        }
        kill(process.processIdentifier, SIGKILL)
        gate.release()
        server.stop()
        throw TestFailure("the run never reached its stage's second request")
    }

    func testAKilledRunResumesFromItsLedgerAndSpendsItsWholeBudget() throws {
        let held = try startHeldRun("resume-killed")
        defer {
            if held.process.isRunning { kill(held.process.processIdentifier, SIGKILL) }
            held.gate.release()
            held.server.stop()
        }
        let (dir, runDirectory, key) = (held.directory, held.runDirectory, Self.key)
        XCTAssertEqual(held.beforeStop.status, .running)
        XCTAssertEqual(held.beforeStop.stages.first?.status, .running)
        kill(held.process.processIdentifier, SIGKILL)
        held.process.waitUntilExit()
        held.gate.release()
        XCTAssertFalse(FileManager.default.fileExists(atPath: runDirectory + "/result.json"))

        let refused = try TestEnvironment.run([TestEnvironment.honeExecutable, "export", runDirectory])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("was killed") && refused.stderr.contains("hone resume"), refused.stderr)

        let environment = ["HONE_RESUME_KEY": key]
        let resumed = try TestEnvironment.run([TestEnvironment.honeExecutable, "resume", runDirectory], environment: environment)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("best prompt:"), resumed.stdout)
        let result = try JSONValue(parsing: String(contentsOfFile: runDirectory + "/result.json", encoding: .utf8))
        XCTAssertEqual(result["stages"]?.arrayValue?.first?["used_calls"]?.intValue, 256, "the calls before the kill counted; the rest of the budget was spent")
        let checked = result["stages"]?.arrayValue?.first?["selection"] == nil ? 0 : 2 * (32 + 32)
        XCTAssertEqual(result["backend_calls"]?.intValue, 256 + 2 * (32 + 32 + 20) + checked)
        let ledger = try RunLedger.open(directory: runDirectory)
        let after = try ledger.recordedRun()
        XCTAssertEqual(after.status, .done)
        XCTAssertEqual(after.sessions, 2)
        XCTAssertEqual(after.stages.first?.status, .done)
        XCTAssertEqual(after.stages.first?.attempts, 2)
        XCTAssertEqual(try ledger.candidates(stage: 0).reduce(0) { $0 + $1.examples }, 256)
        // Random search checkpointed its first round before the kill: the resumed stage continued
        // after it and made none of the first session's requests again.
        let firstSession = try ledger.database.prepare("SELECT COUNT(*) FROM backend_calls WHERE session = 1 AND stage = 0")
        XCTAssertTrue(try firstSession.step())
        XCTAssertEqual(firstSession.int(0), 1, "the first round's request was recorded before the kill")
        let repeated = try ledger.database.prepare("""
            SELECT COUNT(*) FROM backend_calls a JOIN backend_calls b ON a.request_hash = b.request_hash
            WHERE a.session = 1 AND b.session = 2 AND a.stage = 0 AND b.stage = 0
            """)
        XCTAssertTrue(try repeated.step())
        XCTAssertEqual(repeated.int(0), 0, "the resumed stage repeated a request of the first session")
        XCTAssertEqual(result["stages"]?.arrayValue?.first?["summary"]?["resumed_from_round"], 1)
        XCTAssertEqual(try ledger.checkpoint(stage: 0).flatMap { try JSONValue(parsing: $0)["rounds_done"] }, 4,
                       "rounds of 2, 2, 2 and 1 prompts: 224 calls on train, then 32 on dev")

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

        let bestPrompt = try String(contentsOfFile: runDirectory + "/best_prompt.txt", encoding: .utf8)
        let exportedText = try TestEnvironment.run([TestEnvironment.honeExecutable, "export", runDirectory])
        XCTAssertEqual(exportedText.status, 0, exportedText.stderr)
        XCTAssertEqual(exportedText.stdout, bestPrompt)
        let exported = try TestEnvironment.run([TestEnvironment.honeExecutable, "export", runDirectory, "--format", "json", "-o", dir + "/export.json"])
        XCTAssertEqual(exported.status, 0, exported.stderr)
        let exportJSON = try JSONValue(parsing: String(contentsOfFile: dir + "/export.json", encoding: .utf8))
        XCTAssertEqual(exportJSON["prompt"]?.stringValue.map { $0 + "\n" }, bestPrompt)
        XCTAssertEqual(exportJSON["provenance"]?["run"]?["sessions"], 2)
        XCTAssertEqual(exportJSON["provenance"]?["scores"]?["best"]?["test"], result["scores"]?["best"]?["test"])

        for name in try FileManager.default.subpathsOfDirectory(atPath: dir) {
            let path = dir + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            XCTAssertNil(try Data(contentsOf: URL(fileURLWithPath: path)).range(of: Data(key.utf8)), "the key is in \(name)")
        }
    }

    func testARunStoppedWithCtrlCIsRecordedCancelledAndResumeFinishesIt() throws {
        let held = try startHeldRun("resume-interrupted")
        defer {
            if held.process.isRunning { kill(held.process.processIdentifier, SIGKILL) }
            held.gate.release()
            held.server.stop()
        }
        kill(held.process.processIdentifier, SIGINT)
        // The handler announces the interruption, then cancels the stage; only then is the
        // held request answered.
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, !held.stderr.text.contains("interrupted:") { usleep(10_000) }
        XCTAssertTrue(held.stderr.text.contains("interrupted:"), held.stderr.text)
        usleep(100_000)
        held.gate.release()
        held.process.waitUntilExit()
        XCTAssertEqual(held.process.terminationStatus, 0)
        let cancelled = try RunLedger.open(directory: held.runDirectory).recordedRun()
        XCTAssertEqual(cancelled.status, .cancelled)
        XCTAssertEqual(cancelled.stages.first?.status, .cancelled)
        XCTAssertEqual(cancelled.stages.first?.usedCalls, 128, "the held request completed; no more were made")
        XCTAssertTrue(FileManager.default.fileExists(atPath: held.runDirectory + "/result.json"), "Ctrl-C still writes a result")

        let resumed = try TestEnvironment.run([TestEnvironment.honeExecutable, "resume", held.runDirectory], environment: ["HONE_RESUME_KEY": Self.key])
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        let result = try JSONValue(parsing: String(contentsOfFile: held.runDirectory + "/result.json", encoding: .utf8))
        XCTAssertEqual(result["stages"]?.arrayValue?.first?["used_calls"]?.intValue, 256)
        XCTAssertEqual(try RunLedger.open(directory: held.runDirectory).recordedRun().status, .done)
    }

    func testResumeWithoutALedgerNamesWhatIsMissing() throws {
        let dir = try TestEnvironment.temporaryDirectory("resume-nothing")
        let run = try TestEnvironment.run([TestEnvironment.honeExecutable, "resume", dir])
        XCTAssertNotEqual(run.status, 0)
        XCTAssertTrue(run.stderr.contains("ledger.sqlite is missing"), run.stderr)
    }
}
