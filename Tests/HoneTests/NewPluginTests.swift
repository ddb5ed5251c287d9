import Foundation
import XCTest

/// `hone new-plugin` creates plugin projects that build outside the tree with their own build
/// files and load into the built `hone` under the new id, and refuses bad input.
final class NewPluginTests: XCTestCase {
    private var scratch = ""

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("hone-new-plugin-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: scratch)
    }

    private func hone(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
        try TestEnvironment.run([TestEnvironment.honeExecutable] + arguments, environment: environment, directory: scratch)
    }

    /// `hone plugins info <id>` with only `folder` on the plugin path.
    private func assertLoads(_ id: String, from folder: String, library: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let info = try hone(["plugins", "info", id], environment: ["HONE_PLUGIN_PATH": folder])
        XCTAssertEqual(info.status, 0, info.stderr, file: file, line: line)
        XCTAssertTrue(info.stdout.contains(id), info.stdout, file: file, line: line)
        XCTAssertTrue(info.stdout.contains(folder + "/" + library), info.stdout, file: file, line: line)
    }

    func testGeneratedCPluginBuildsWithItsMakefileAndLoadsUnderTheNewId() throws {
        // No --sdk: the SDK is found above the hone executable (this checkout's SDK/).
        let created = try hone(["new-plugin", "com.example.word-search", "--language", "c"])
        XCTAssertEqual(created.status, 0, created.stderr)
        let folder = scratch + "/word-search"
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: folder)), ["word_search.c", "Makefile", "README.md"])
        let make = try TestEnvironment.run(["make", "all", "check-exports"], directory: folder)
        XCTAssertEqual(make.status, 0, make.stdout + make.stderr)
        try assertLoads("com.example.word-search", from: folder, library: "libword_search.so")
    }

    func testGeneratedSwiftPluginBuildsWithSwiftPMAndLoadsUnderTheNewId() throws {
        let created = try hone(["new-plugin", "com.example.my-ascent", "--language", "swift", "--output", "ascent",
                                "--sdk", TestEnvironment.repository + "/SDK"])
        XCTAssertEqual(created.status, 0, created.stderr)
        let folder = scratch + "/ascent"
        let manifest = try String(contentsOfFile: folder + "/Package.swift", encoding: .utf8)
        XCTAssertTrue(manifest.contains("\"MyAscent\"") && manifest.contains(TestEnvironment.repository), manifest)
        let build = try TestEnvironment.run(["swift", "build", "--package-path", folder, "--scratch-path", scratch + "/swift-build"],
                                            directory: scratch)
        XCTAssertEqual(build.status, 0, build.stdout + build.stderr)
        let plugins = scratch + "/plugins"
        try FileManager.default.createDirectory(atPath: plugins, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: scratch + "/swift-build/debug/libMyAscent.so", toPath: plugins + "/libMyAscent.so")
        try assertLoads("com.example.my-ascent", from: plugins, library: "libMyAscent.so")
    }

    func testRefusesAnIdThatIsNotReverseDNSAndAFolderThatHoldsFiles() throws {
        let badID = try hone(["new-plugin", "My Search"])
        XCTAssertNotEqual(badID.status, 0)
        XCTAssertTrue(badID.stderr.contains("reverse-DNS"), badID.stderr)

        try "keep me".write(toFile: scratch + "/notes.txt", atomically: true, encoding: .utf8)
        let occupied = try hone(["new-plugin", "com.example.x", "--output", scratch])
        XCTAssertNotEqual(occupied.status, 0)
        XCTAssertTrue(occupied.stderr.contains("already holds files"), occupied.stderr)
        XCTAssertEqual(try String(contentsOfFile: scratch + "/notes.txt", encoding: .utf8), "keep me")

        let noSDK = try hone(["new-plugin", "com.example.y", "--sdk", scratch])
        XCTAssertNotEqual(noSDK.status, 0)
        XCTAssertTrue(noSDK.stderr.contains("include/hone.h"), noSDK.stderr)
    }
}
