import CHoneABI
import Foundation
import HoneSDK
import XCTest

@testable import Hone

/// Every refusal of the plugin loader, each with its message, and none of them crashing the host.
final class PluginLoaderTests: XCTestCase {
    nonisolated(unsafe) static var directory = ""  // set once in class setUp, before any test runs
    static let fixture = TestEnvironment.repository + "/Tests/HoneTests/Fixtures/fixture_plugin.c"

    override class func setUp() {
        directory = (try? TestEnvironment.temporaryDirectory("plugins")) ?? NSTemporaryDirectory()
    }

    private func build(_ name: String, _ defines: [String] = []) throws -> String {
        let path = PluginLoaderTests.directory + "/\(name).so"
        if !FileManager.default.fileExists(atPath: path) {
            try TestEnvironment.compileSharedLibrary([PluginLoaderTests.fixture], output: path, defines: defines)
        }
        return path
    }

    private func refusal(_ path: String, file: StaticString = #filePath, line: UInt = #line) -> PluginLoadError? {
        do {
            _ = try PluginLoader.load(file: path)
            XCTFail("expected \(path) to be refused", file: file, line: line)
            return nil
        } catch let error as PluginLoadError {
            return error
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
            return nil
        }
    }

    func testLoadsAWellFormedCPlugin() throws {
        let plugins = try PluginLoader.load(file: try build("good"))
        XCTAssertEqual(plugins.map(\.info.id), ["org.hone.test.fixture"])
        XCTAssertEqual(plugins[0].info.capabilities, [.score])
        XCTAssertEqual(plugins[0].info.toolchain, "c")
    }

    /// docs/plugins.md, section 12: hone.h declares the entry with HONE_EXPORT, so under
    /// -fvisibility=hidden a definition without it is still exported (and nothing else is).
    func testEntryIsExportedByHoneHsDeclarationWithoutHoneExportOnTheDefinition() throws {
        let path = try build("plain-definition", ["FIXTURE_EXPORT="])
        XCTAssertEqual(try PluginLoader.load(file: path).map(\.info.id), ["org.hone.test.fixture"])
        let nm = try TestEnvironment.run(["nm", "-D", "--defined-only", path])
        let exported = nm.stdout.split(separator: "\n").filter { $0.contains(" T ") }.map { String($0.split(separator: " ").last!) }
        XCTAssertEqual(exported, ["hone_plugin_entry_v1"])
    }

    func testRefusesAFileThatIsNotASharedLibrary() throws {
        let path = PluginLoaderTests.directory + "/text.so"
        try "not a library".write(toFile: path, atomically: true, encoding: .utf8)
        let error = try XCTUnwrap(refusal(path))
        XCTAssertEqual(error.reason, .notASharedLibrary)
        XCTAssertEqual(error.file, path)
        XCTAssertTrue(error.message.contains("not a shared library"), error.message)
    }

    func testRefusesALibraryWithoutTheEntrySymbol() throws {
        let error = try XCTUnwrap(refusal(try build("noentry", ["FIXTURE_ENTRY=some_other_function"])))
        XCTAssertEqual(error.reason, .noEntrySymbol)
        XCTAssertTrue(error.message.contains("hone_plugin_entry_v1"), error.message)
    }

    func testRefusesAWrongMagicNumber() throws {
        let error = try XCTUnwrap(refusal(try build("badmagic", ["FIXTURE_MAGIC=0x12345678u"])))
        XCTAssertEqual(error.reason, .badMagic)
        XCTAssertTrue(error.message.contains("0x12345678"), error.message)
    }

    func testRefusesAnOtherABIMajorNamingBothVersions() throws {
        let error = try XCTUnwrap(refusal(try build("abi2", ["FIXTURE_ABI_MAJOR=2"])))
        XCTAssertEqual(error.reason, .abiMismatch)
        XCTAssertTrue(error.message.contains("ABI 2.\(HONE_ABI_VERSION_MINOR)"), error.message)
        XCTAssertTrue(error.message.contains("ABI 1.\(HONE_ABI_VERSION_MINOR)"), error.message)
    }

    func testRefusesALibraryExportingOnlyAFutureEntryNamingBothVersions() throws {
        let error = try XCTUnwrap(refusal(try build("entry-v3", ["FIXTURE_ENTRY=hone_plugin_entry_v3"])))
        XCTAssertEqual(error.reason, .abiMismatch)
        XCTAssertTrue(error.message.contains("ABI 3"), error.message)
        XCTAssertTrue(error.message.contains("ABI 1"), error.message)
    }

    func testRefusesAStructSizeTooSmall() throws {
        let error = try XCTUnwrap(refusal(try build("small", ["FIXTURE_LIBRARY_SIZE=8"])))
        XCTAssertEqual(error.reason, .structTooSmall)
        XCTAssertTrue(error.message.contains("struct_size is 8 bytes"), error.message)
    }

    func testRefusesASwiftPluginBuiltWithAnotherToolchain() throws {
        let error = try XCTUnwrap(refusal(try build("swift5", [#"FIXTURE_TOOLCHAIN="swift-5.9""#])))
        XCTAssertEqual(error.reason, .toolchainMismatch)
        XCTAssertTrue(error.message.contains("swift-5.9"), error.message)
        XCTAssertTrue(error.message.contains(SwiftToolchain.identifier), error.message)
    }

    func testRefusesADuplicateIDNamingBothFiles() throws {
        let first = try build("good")
        let copy = PluginLoaderTests.directory + "/copy/good-copy.so"
        try FileManager.default.createDirectory(atPath: PluginLoaderTests.directory + "/copy", withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: copy) { try FileManager.default.copyItem(atPath: first, toPath: copy) }
        let registry = PluginRegistry(searchPath: PluginSearchPath(entries: [first, copy]))
        XCTAssertEqual(registry.plugins.count, 1)
        let error = try XCTUnwrap(registry.refusals.first { $0.reason == .duplicateID })
        XCTAssertEqual(error.file, copy)
        XCTAssertTrue(error.message.contains(first), error.message)
    }

    func testRefusesAStageConfigThatFailsThePluginSchemaNamingThePath() throws {
        let plugin = try XCTUnwrap(try PluginLoader.load(file: try build("good")).first)
        XCTAssertThrowsError(try PluginOptimizer(plugin: plugin, config: ["level": 7], path: "$.stages[0].config")) { error in
            XCTAssertEqual(error as? ConfigError, ConfigError(path: "$.stages[0].config.level", message: "7 is above the maximum 3"))
        }
        XCTAssertThrowsError(try PluginOptimizer(plugin: plugin, config: ["levle": 2], path: "$.stages[0].config")) { error in
            XCTAssertEqual((error as? ConfigError)?.path, "$.stages[0].config.levle")
        }
    }

    func testRegistryKeepsLoadingAfterARefusal() throws {
        let bad = try build("badmagic", ["FIXTURE_MAGIC=0x12345678u"])
        let good = try build("good")
        let registry = PluginRegistry(searchPath: PluginSearchPath(entries: [bad, good]))
        XCTAssertEqual(registry.plugins.map(\.info.id), ["org.hone.test.fixture"])
        XCTAssertEqual(registry.refusals.map(\.reason), [.badMagic])
        XCTAssertThrowsError(try registry.plugin(id: "org.example.missing")) { error in
            XCTAssertTrue("\(error)".contains("available: org.hone.test.fixture"), "\(error)")
        }
    }

    func testSearchPathOrderIsCommandLineConfigEnvironmentThenBuiltIns() {
        let path = PluginSearchPath.standard(
            commandLine: ["/cli"], config: ["/config"], environment: ["HONE_PLUGIN_PATH": "/env1:/env2"], executableDirectory: "/bin/hone-dir")
        XCTAssertEqual(path.entries, ["/cli", "/config", "/env1", "/env2", "/bin/hone-dir/hone-plugins"])
        XCTAssertEqual(path.builtInDirectories, ["/bin/hone-dir"])
    }
}
