import XCTest

/// The C helpers for plugin authors (`SDK/c/hone_jansson.{h,c}`), checked by a C program
/// (`Fixtures/hone_jansson_test.c`) compiled with `cc -Werror` and the address and
/// undefined-behaviour sanitizers: buffers and sinks, parsing errors, host calls through a fake
/// host table, and the typed config getters with their exact messages.
final class HoneJanssonTests: XCTestCase {
    func testCHelpersPassTheirChecksUnderSanitizers() throws {
        let repository = TestEnvironment.repository
        let directory = try TestEnvironment.temporaryDirectory("hone-jansson")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let program = directory + "/hone_jansson_test"
        let compile = try TestEnvironment.run([
            "cc", "-std=c99", "-Wall", "-Wextra", "-Wpedantic", "-Werror", "-g",
            "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
            "-I", repository + "/SDK/include", "-I", repository + "/SDK/c",
            "-o", program,
            repository + "/Tests/HoneTests/Fixtures/hone_jansson_test.c", repository + "/SDK/c/hone_jansson.c",
            "-ljansson",
        ])
        XCTAssertEqual(compile.status, 0, "compiling the C checks failed:\n\(compile.stderr)")
        guard compile.status == 0 else { return }
        let run = try TestEnvironment.run([program])
        XCTAssertEqual(run.status, 0, "\(run.stdout)\n\(run.stderr)")
        XCTAssertTrue(run.stdout.contains("checks passed"), run.stdout)
    }
}
