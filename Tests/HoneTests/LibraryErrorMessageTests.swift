import Foundation
import XCTest

@testable import Hone

/// Library errors read the same through `localizedDescription` as the CLI prints them, speak in
/// library terms (no command-line flags) and name their fix as an ``ErrorRemedy``.
final class LibraryErrorMessageTests: XCTestCase {
    private func failure(_ body: () throws -> Void) -> (any Error)? {
        do { try body() } catch { return error }
        XCTFail("expected a failure")
        return nil
    }

    func testLocalizedDescriptionOfRealFailuresIsTheMessageTheCLIPrints() throws {
        let dir = try TestEnvironment.temporaryDirectory("localized-errors")
        try "{ \"name\": ".write(toFile: dir + "/broken.json", atomically: true, encoding: .utf8)
        let failures: [(String, (any Error)?)] = [
            ("ConfigError", failure { _ = try PipelineConfig.load(file: dir + "/broken.json") }),
            ("LedgerError", failure { _ = try RunDirectoryReport(directory: dir + "/no-such-run") }),
            ("PipelineError", failure { _ = try PluginRegistry(searchPath: PluginSearchPath(entries: [])).plugin(id: "org.example.none") }),
        ]
        for (type, error) in failures {
            guard let error else { continue }
            XCTAssertEqual(String(describing: Swift.type(of: error)), type)
            XCTAssertEqual(error.localizedDescription, "\(error)")
            XCTAssertFalse(error.localizedDescription.contains("The operation could not be completed"), error.localizedDescription)
        }
    }

    func testMissingPluginErrorNamesNoFlagAndProposesAddingTheDirectoryToTheSearchPath() throws {
        let error = failure { _ = try PluginRegistry(searchPath: PluginSearchPath(entries: [])).plugin(id: "org.example.none") }
        let pipelineError = try XCTUnwrap(error as? PipelineError)
        XCTAssertFalse(pipelineError.message.contains("--"), pipelineError.message)
        XCTAssertTrue(pipelineError.message.contains("plugin search path"), pipelineError.message)
        XCTAssertEqual(pipelineError.remedy, .addPluginDirectory(pluginID: "org.example.none"))
    }

    func testRunDirectoryInUseErrorProposesAnotherOutputDirectoryWithoutNamingAFlag() throws {
        let dir = try TestEnvironment.temporaryDirectory("lock-remedy")
        let held = try RunDirectoryLock.acquire(dir)
        defer { held.release() }
        let error = failure { _ = try RunDirectoryLock.acquire(dir) }
        let lockError = try XCTUnwrap(error as? RunDirectoryLockError)
        XCTAssertFalse(lockError.message.contains("--"), lockError.message)
        XCTAssertEqual(lockError.remedy, .chooseOutputDirectory)
    }
}
