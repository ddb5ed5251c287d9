import Foundation
import XCTest

/// Headless Chromium (Debian's `chromium`, installed by `scripts/setup.sh --with-test-tools`),
/// to render Hone's HTML pages as a browser does: the DOM after parsing, and a screenshot.
enum HeadlessChromium {
    /// The browser on `PATH`, if any.
    static let executable: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
                return "\(dir)/\(name)"
            }
        }
        return nil
    }()

    /// The browser, or a skip when it is missing outside CI (in CI a missing browser fails the test).
    static func require() throws -> String {
        if let executable { return executable }
        if ProcessInfo.processInfo.environment["CI"] != nil {
            XCTFail("chromium is not installed; CI must run `bash scripts/setup.sh --with-test-tools`")
        }
        throw XCTSkip("chromium is not installed (run `bash scripts/setup.sh --with-test-tools`); the HTML page was not rendered")
    }

    /// The DOM of `file` as Chromium builds it (`--dump-dom`).
    static func dumpDOM(_ file: String) throws -> String {
        let result = try TestEnvironment.run(try arguments() + ["--dump-dom", "file://" + file])
        guard result.status == 0, !result.stdout.isEmpty else { throw TestFailure("chromium --dump-dom failed (\(result.status)): \(result.stderr.suffix(2000))") }
        return result.stdout
    }

    /// A PNG screenshot of `file` at `width` x `height`, written to `png`.
    static func screenshot(_ file: String, to png: String, width: Int = 1200, height: Int = 1600) throws {
        let result = try TestEnvironment.run(try arguments() + ["--screenshot=" + png, "--window-size=\(width),\(height)", "file://" + file])
        guard result.status == 0, FileManager.default.fileExists(atPath: png) else {
            throw TestFailure("chromium --screenshot failed (\(result.status)): \(result.stderr.suffix(2000))")
        }
    }

    /// How much of a PNG is not background: the fraction of pixels that differ from the top-left
    /// pixel, and how many distinct colours there are (read by `Fixtures/png_ink.py`).
    static func ink(_ png: String) throws -> (fraction: Double, colors: Int) {
        let script = TestEnvironment.repository + "/Tests/HoneTests/Fixtures/png_ink.py"
        let result = try TestEnvironment.run(["python3", script, png])
        let parts = result.stdout.split(separator: " ")
        guard result.status == 0, parts.count == 2, let fraction = Double(parts[0]), let colors = Int(parts[1].trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw TestFailure("png_ink.py failed on \(png): \(result.stdout) \(result.stderr)")
        }
        return (fraction, colors)
    }

    private static func arguments() throws -> [String] {
        let profile = try TestEnvironment.temporaryDirectory("chromium-profile")
        return [try require(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                "--user-data-dir=" + profile]
    }
}
