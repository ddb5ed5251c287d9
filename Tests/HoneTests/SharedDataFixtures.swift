import Foundation
import XCTest

/// Paths to the real datasets the project shares (`<repo root>/../shared/data`), and scratch files.
enum SharedDataFixtures {
    /// `<repo root>/../shared/data`.
    static let dataDirectory = URL(fileURLWithPath: TestEnvironment.sharedData)

    /// The path of `relative` under the shared data folder; skips the test if it is absent.
    static func path(_ relative: String) throws -> String {
        let url = dataDirectory.appendingPathComponent(relative)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("shared dataset \(relative) is not present at \(url.path)")
        }
        return url.path
    }

    /// A fresh scratch folder, removed by the caller's `addTeardownBlock`.
    static func scratchDirectory(_ test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hone-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// Writes `bytes` to `name` in `directory` and returns its path.
    @discardableResult
    static func write(_ bytes: [UInt8], to name: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Writes `text` as UTF-8.
    @discardableResult
    static func write(_ text: String, to name: String, in directory: URL) throws -> String {
        try write(Array(text.utf8), to: name, in: directory)
    }
}
