import Foundation
import HoneSDK
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
        XCTAssertTrue(created.stdout.contains("HONE_PLUGIN_PATH=$PWD hone plugins info com.example.word-search"), created.stdout)
        // -Werror: strdup (used by the template) must be declared under -std=c99 -Wpedantic.
        let make = try TestEnvironment.run(["make", "all", "check-exports", "CFLAGS=-O2 -Werror"], directory: folder)
        XCTAssertEqual(make.status, 0, make.stdout + make.stderr)
        XCTAssertTrue(make.stdout.contains("-std=c99") && make.stdout.contains("-Wpedantic"), make.stdout)
        try assertLoads("com.example.word-search", from: folder, library: "libword_search.so")
    }

    func testGeneratedPluginsCarryTheirOwnNameAndDescription() throws {
        let created = try hone(["new-plugin", "com.example.quoted", "--name", #"Quoted "search""#, "--description", #"Searches with a \ and "quotes"."#])
        XCTAssertEqual(created.status, 0, created.stderr)
        let make = try TestEnvironment.run(["make", "CFLAGS=-O2 -Werror"], directory: scratch + "/quoted")
        XCTAssertEqual(make.status, 0, make.stdout + make.stderr)
        let defaults = try hone(["new-plugin", "com.example.plain"])
        XCTAssertEqual(defaults.status, 0, defaults.stderr)
        XCTAssertEqual(try TestEnvironment.run(["make"], directory: scratch + "/plain").status, 0)
        let list = try hone(["plugins", "list", "--json"], environment: ["HONE_PLUGIN_PATH": scratch + "/quoted:" + scratch + "/plain"])
        XCTAssertEqual(list.status, 0, list.stderr)
        let plugins = try JSONValue(parsing: list.stdout)["plugins"]?.arrayValue ?? []
        func entry(_ id: String) -> JSONValue? { plugins.first { $0["id"]?.stringValue == id } }
        XCTAssertEqual(entry("com.example.quoted")?["name"]?.stringValue, #"Quoted "search""#)
        XCTAssertEqual(entry("com.example.quoted")?["description"]?.stringValue, #"Searches with a \ and "quotes"."#)
        XCTAssertEqual(entry("com.example.plain")?["name"]?.stringValue, "Plain")
        let description = try XCTUnwrap(entry("com.example.plain")?["description"]?.stringValue)
        XCTAssertNotEqual(description, entry("org.hone.random-search")?["description"]?.stringValue, "not the example's description")
        XCTAssertTrue(description.hasPrefix("com.example.plain: the SDK's random search"), description)
    }

    func testGeneratedSwiftPluginBuildsWithSwiftPMAndLoadsUnderTheNewId() throws {
        let created = try hone(["new-plugin", "com.example.my-ascent", "--language", "swift", "--output", "ascent",
                                "--sdk", TestEnvironment.repository + "/SDK"])
        XCTAssertEqual(created.status, 0, created.stderr)
        let folder = scratch + "/ascent"
        XCTAssertTrue(created.stdout.contains("HONE_PLUGIN_PATH=$PWD/.build/release hone plugins info com.example.my-ascent"), created.stdout)
        let readme = try String(contentsOfFile: folder + "/README.md", encoding: .utf8)
        XCTAssertTrue(readme.contains("HONE_PLUGIN_PATH=$PWD/.build/release hone plugins info com.example.my-ascent"), readme)
        XCTAssertFalse(readme.contains("HONE_PLUGIN_PATH=$PWD hone"), readme)
        let optimizer = try String(contentsOfFile: folder + "/Sources/MyAscent/GreedyOptimizer.swift", encoding: .utf8)
        XCTAssertTrue(optimizer.contains(#"name: "My ascent","#), optimizer)
        XCTAssertFalse(optimizer.contains("Greedy token ascent (Swift example)"), "the example's name is not kept")
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
