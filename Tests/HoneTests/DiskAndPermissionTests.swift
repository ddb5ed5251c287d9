import Foundation
import HoneSDK
import XCTest

@testable import Hone

/// Disks and permissions: messages that name the path and the OS reason, report and export on
/// a read-only mount, run names that cannot leave the runs folder, and a ledger that says when
/// it missed writes (issue 15, item 6).
final class DiskAndPermissionTests: XCTestCase {
    func testARunNameThatWouldLeaveTheRunsFolderIsRefused() throws {
        for name in ["../../../tmp/x", "a/b", "..", ""] {
            let json: JSONValue = [
                "name": .string(name),
                "task": ["dataset": ["train": "t.tsv", "dev": "d.tsv", "test": "e.tsv"],
                         "labels": [["name": "a"], ["name": "b"]]],
                "stages": [["plugin": "org.hone.random-search"]],
            ]
            XCTAssertThrowsError(try PipelineConfig(json: json, baseDirectory: "/tmp"), name) { error in
                XCTAssertEqual((error as? ConfigError)?.path, "$.name", "\(name): \(error)")
            }
        }
    }

    func testAFailedFileWriteNamesThePathAndTheOSReason() throws {
        XCTAssertThrowsError(try FileWrite.atomically("x", to: "/dev/null/run/result.json", what: "run result")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("/dev/null/run/result.json") && text.contains("ENOTDIR"), text)
            XCTAssertFalse(text.contains("NSCocoaErrorDomain"), text)
        }
        let full = NSError(domain: NSCocoaErrorDomain, code: NSFileWriteOutOfSpaceError)
        XCTAssertTrue(FileSystemReason.describe(full).contains("No space left on device (ENOSPC)"))
    }

    /// Runs `command` with `dir` bind-mounted read-only at `mount` in a private mount namespace.
    private func onReadOnlyMount(_ dir: String, _ command: String) throws -> (status: Int32, stdout: String, stderr: String) {
        let mount = try TestEnvironment.temporaryDirectory("ro-mount")
        let probe = try TestEnvironment.run(["unshare", "-m", "sh", "-c", "mount --bind '\(dir)' '\(mount)' && mount -o remount,ro,bind '\(mount)'"])
        try XCTSkipUnless(probe.status == 0, "needs unshare and mount (root in a private mount namespace): \(probe.stderr)")
        return try TestEnvironment.run(["unshare", "-m", "sh", "-c", "mount --bind '\(dir)' '\(mount)' && mount -o remount,ro,bind '\(mount)' && \(command.replacingOccurrences(of: "RUN", with: mount))"])
    }

    func testReportAndExportWorkOnAReadOnlyMount() throws {
        let dir = try TestEnvironment.temporaryDirectory("readonly") + "/run"
        let run = try TinyRun.make(runDirectory: dir)
        _ = try run.runner.run(run.prepared)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/ledger.sqlite-shm"), "a finished run leaves no WAL index")
        let hone = TestEnvironment.honeExecutable
        let result = try onReadOnlyMount(dir, "'\(hone)' report RUN && '\(hone)' export RUN --format json")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("tiny-run"), result.stdout)
        XCTAssertTrue(result.stdout.contains("\"provenance\""), result.stdout)
    }

    /// Overwrites `count` bytes of the file at `path` from `offset` with 0xA5.
    private func damage(_ path: String, at offset: UInt64, count: Int) throws {
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: offset)
        handle.write(Data(repeating: 0xA5, count: count))
        try handle.close()
    }

    func testReportAndExportOfAFinishedRunWithADamagedLedgerFallBackToResultJSON() throws {
        let dir = try TestEnvironment.temporaryDirectory("damaged") + "/run"
        let run = try TinyRun.make(runDirectory: dir)
        let finished = try run.runner.run(run.prepared)
        let ledgerPath = dir + "/ledger.sqlite"
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: ledgerPath)[.size] as? Int)
        // The header overwritten (no longer SQLite at all), then, on a fresh copy, every page
        // after the first (SQLite: "database disk image is malformed").
        let pristine = try Data(contentsOf: URL(fileURLWithPath: ledgerPath))
        for (offset, count, reason) in [(UInt64(0), 100, "not an SQLite database"), (UInt64(4096), size - 4096, "malformed")] {
            try pristine.write(to: URL(fileURLWithPath: ledgerPath))
            try damage(ledgerPath, at: offset, count: count)
            XCTAssertThrowsError(try RunLedger.open(directory: dir).recordedRun(), "the damage must make the ledger unreadable")

            let report = try RunDirectoryReport(directory: dir)
            let problem = try XCTUnwrap(report.ledgerProblem)
            XCTAssertTrue(problem.contains(ledgerPath) && problem.contains(reason), problem)
            XCTAssertEqual(report.bestScores?.prompt.text, finished.bestPrompt.text)
            XCTAssertEqual(report.bestScores?.scores, finished.best)
            XCTAssertEqual(report.baselineScores?.scores, finished.baseline)
            XCTAssertEqual(report.run.stages.map(\.plugin), finished.stages.map(\.plugin))
            XCTAssertEqual(report.json["run"]?["status"], "unknown")

            let hone = TestEnvironment.honeExecutable
            let markdown = try TestEnvironment.run([hone, "report", dir])
            XCTAssertEqual(markdown.status, 0, markdown.stderr)
            XCTAssertTrue(markdown.stderr.contains("warning: the run's ledger \(ledgerPath) cannot be read") && markdown.stderr.contains(reason), markdown.stderr)
            XCTAssertTrue(markdown.stdout.contains("**Warning:**") && markdown.stdout.contains(String(format: "%.4f", finished.best.test)), markdown.stdout)
            let exported = try TestEnvironment.run([hone, "export", dir, "--format", "json"])
            XCTAssertEqual(exported.status, 0, exported.stderr)
            XCTAssertTrue(exported.stderr.contains(ledgerPath), exported.stderr)
            let json = try JSONValue(parsing: exported.stdout)
            XCTAssertEqual(json["prompt"]?.stringValue, finished.bestPrompt.text)
            XCTAssertEqual(json["provenance"]?["scores"]?["best"]?["test"]?.doubleValue, finished.best.test)
            XCTAssertEqual(json["provenance"]?["run"]?["ledger_problem"]?.stringValue, problem)
            let text = try TestEnvironment.run([hone, "export", dir])
            XCTAssertEqual(text.stdout, finished.bestPrompt.text + "\n", text.stderr)
            let template = try TestEnvironment.run([hone, "export", dir, "--format", "template"])
            XCTAssertNotEqual(template.status, 0)
            XCTAssertTrue(template.stderr.contains("only in the ledger, which cannot be read"), template.stderr)
        }
        // Without result.json the ledger's own error stands.
        try FileManager.default.removeItem(atPath: dir + "/result.json")
        XCTAssertThrowsError(try RunDirectoryReport(directory: dir)) { error in
            XCTAssertTrue("\(error)".contains("malformed"), "\(error)")
        }
    }

    func testAFailedLedgerWriteIsRecordedSoTheAccountingIsNotTrusted() throws {
        let dir = try TestEnvironment.temporaryDirectory("gaps") + "/run"
        let run = try TinyRun.make(runDirectory: dir)
        _ = try run.runner.run(run.prepared)
        let ledger = try RunLedger.openForWriting(directory: dir)
        XCTAssertEqual(try ledger.accountingGaps(), [])
        try ledger.database.execute("PRAGMA query_only = 1")  // every write now fails, as on a full disk
        XCTAssertThrowsError(try ledger.saveCheckpoint(0, json: "{}"))
        XCTAssertThrowsError(try ledger.saveCheckpoint(0, json: "{}"))
        XCTAssertEqual(try ledger.accountingGaps(), [LedgerGap(session: nil, failedWrites: nil, firstError: nil)], "the marker file says so at once")
        try ledger.database.execute("PRAGMA query_only = 0")
        try ledger.saveCheckpoint(0, json: "{}")
        let gaps = try RunLedger.open(directory: dir).accountingGaps()
        XCTAssertEqual(gaps.map(\.session), [1])
        XCTAssertEqual(gaps.first?.failedWrites, 2)
        XCTAssertTrue(gaps.first?.firstError?.contains("readonly") == true, "\(gaps)")
    }

    func testAKilledRunFoundWithoutItsWALFileStillRecordsTheRun() throws {
        let dir = try TestEnvironment.temporaryDirectory("nowal")
        let ledger = try RunLedger.create(in: dir + "/run")
        try ledger.startRun(name: "killed", configJSON: "{}", baseDirectory: dir, pluginPaths: [], persistentCache: true, backend: "e5",
                            stages: [(plugin: "org.hone.random-search", budgetCalls: 10)])
        // The process dies here; someone deletes ledger.sqlite-wal. Copy what is left.
        try FileManager.default.createDirectory(atPath: dir + "/copy", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: dir + "/run/ledger.sqlite", toPath: dir + "/copy/ledger.sqlite")
        let recorded = try RunLedger.open(directory: dir + "/copy").recordedRun()
        XCTAssertEqual(recorded.name, "killed")
        XCTAssertEqual(recorded.stages.map(\.plugin), ["org.hone.random-search"])
        withExtendedLifetime(ledger) {}
    }
}
