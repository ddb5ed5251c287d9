import Foundation
import HoneSDK
import XCTest

@testable import Hone

/// One writer per run directory, and a `ledger.sqlite` that is not Hone's is never replaced or
/// written into (issue 15, item 1).
final class RunDirectoryWriterTests: XCTestCase {
    /// A SQLite file of another program at `path`, and its bytes.
    private func foreignDatabase(at path: String) throws -> Data {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let db = try SQLiteDatabase(path: path, purpose: "test file")
        try db.execute("PRAGMA journal_mode=DELETE; CREATE TABLE precious (v TEXT); INSERT INTO precious VALUES ('keep me')")
        _ = db
        return try XCTUnwrap(FileManager.default.contents(atPath: path))
    }

    func testSecondWriterIntoABusyRunDirectoryIsRefusedWithTheHoldersPID() throws {
        let dir = try TestEnvironment.temporaryDirectory("writer") + "/run"
        let holder = try RunDirectoryLock.acquire(dir)
        defer { holder.release() }
        let run = try TinyRun.make(runDirectory: dir)
        XCTAssertThrowsError(try run.runner.run(run.prepared)) { error in
            XCTAssertTrue("\(error)".contains("in use by another Hone run (pid \(getpid())"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/" + RunLedger.fileName), "the refused run wrote no ledger")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/result.json"))
    }

    func testResumeIsRefusedWhileAnotherWriterHoldsTheRunDirectory() throws {
        let dir = try TestEnvironment.temporaryDirectory("writer") + "/run"
        let first = try TinyRun.make(runDirectory: dir)
        _ = try first.runner.run(first.prepared)
        let holder = try RunDirectoryLock.acquire(dir)
        defer { holder.release() }
        let again = try TinyRun.make(runDirectory: dir)
        XCTAssertThrowsError(try again.runner.resume(again.prepared)) { XCTAssertTrue("\($0)".contains("pid \(getpid())"), "\($0)") }
    }

    func testLockIsHeldForTheRunsLifeAndReleasedAfter() throws {
        let dir = try TestEnvironment.temporaryDirectory("writer") + "/run"
        final class Probe: Optimizer, @unchecked Sendable {
            let id = "test.probe"
            let requiredCapabilities: [BackendCapability] = []
            var heldDuringRun = false
            let dir: String
            init(dir: String) { self.dir = dir }
            func optimize(_ request: RunRequest, context: StageContext) throws -> RunResult {
                heldDuringRun = RunDirectoryLock.isHeld(dir)
                return RunResult(bestPrompt: request.seedPrompt)
            }
        }
        let probe = Probe(dir: dir)
        var run = try TinyRun.make(runDirectory: dir)
        run.prepared.optimizers = [probe]
        _ = try run.runner.run(run.prepared)
        XCTAssertTrue(probe.heldDuringRun, "the run directory is locked while a stage runs")
        XCTAssertFalse(RunDirectoryLock.isHeld(dir), "released when the run ended")
        XCTAssertNoThrow(try RunDirectoryLock.acquire(dir).release())
    }

    func testStaleLockOfAProcessThatDiedIsTakenOver() throws {
        let dir = try TestEnvironment.temporaryDirectory("writer") + "/run"
        // A process that wrote its PID into the lock and was killed: the kernel dropped its flock.
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "424242\n".write(toFile: dir + "/" + RunDirectoryLock.fileName, atomically: true, encoding: .utf8)
        let lock = try RunDirectoryLock.acquire(dir)
        XCTAssertEqual(lock.staleHolder, 424242)
        XCTAssertEqual(RunDirectoryLock.holder(of: dir), getpid(), "the lock file now names this process")
        lock.release()
    }

    func testRunRefusesToReplaceAForeignSQLiteFileNamedLedger() throws {
        let dir = try TestEnvironment.temporaryDirectory("writer") + "/run"
        let before = try foreignDatabase(at: dir + "/" + RunLedger.fileName)
        let run = try TinyRun.make(runDirectory: dir)
        XCTAssertThrowsError(try run.runner.run(run.prepared)) { error in
            XCTAssertTrue("\(error)".contains("is not a Hone run ledger"), "\(error)")
        }
        XCTAssertEqual(FileManager.default.contents(atPath: dir + "/" + RunLedger.fileName), before, "the file is untouched")
    }

    func testReportAndResumeNeverWriteASchemaIntoAForeignFile() throws {
        let dir = try TestEnvironment.temporaryDirectory("writer") + "/run"
        let path = dir + "/" + RunLedger.fileName
        let before = try foreignDatabase(at: path)
        XCTAssertThrowsError(try RunDirectoryReport(directory: dir)) { XCTAssertTrue("\($0)".contains("is not a Hone run ledger"), "\($0)") }
        XCTAssertThrowsError(try PipelineRunner(resuming: dir)) { XCTAssertTrue("\($0)".contains("is not a Hone run ledger"), "\($0)") }
        XCTAssertEqual(FileManager.default.contents(atPath: path), before, "no schema was written into it")
        try Data("not sqlite at all".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try RunDirectoryReport(directory: dir)) { XCTAssertTrue("\($0)".contains("not an SQLite database"), "\($0)") }
    }

    func testLedgerCarriesHonesApplicationIDAndARunReplacesAnEarlierHoneLedger() throws {
        let dir = try TestEnvironment.temporaryDirectory("writer") + "/run"
        for _ in 0..<2 {
            let run = try TinyRun.make(runDirectory: dir)
            _ = try run.runner.run(run.prepared)
        }
        XCTAssertEqual(LedgerFileIdentity.of(path: dir + "/" + RunLedger.fileName), .hone(version: LedgerSchema.version))
        XCTAssertEqual(try RunLedger.open(directory: dir).recordedRun().status, .done)
    }
}
