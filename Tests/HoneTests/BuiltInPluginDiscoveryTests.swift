import Foundation
import XCTest

@testable import Hone

/// A program linking Hone finds the built-in optimizers with no setting: SwiftPM builds the plugin
/// products of the package (or of a program's dependency on it) beside the executables, and the
/// standard plugin search path looks there.
final class BuiltInPluginDiscoveryTests: XCTestCase {
    func testDefaultSearchPathFindsTheBuiltInPluginsNextToTheRunningExecutable() throws {
        // SwiftPM puts the dynamic library products (libHonePlugin*.so) of a package and of its
        // dependencies beside the executables it builds, here beside the test runner.
        let directory = try XCTUnwrap(PluginSearchPath.executableDirectory)
        let registry = PluginRegistry(searchPath: PluginSearchPath.standard(environment: [:]))
        for id in ["org.hone.random-search", "org.hone.rlprompt", "org.hone.gram", "org.hone.bayesprompt", "org.hone.dsp"] {
            let plugin = try registry.plugin(id: id)
            XCTAssertEqual((plugin.info.file as NSString).deletingLastPathComponent, directory, id)
        }
        // A runner built without a search path uses the standard one, built-ins included.
        let runner = try PipelineRunner(configFile: TestEnvironment.repository + "/examples/sst2.json")
        XCTAssertTrue(runner.searchPath.builtInDirectories.contains(directory))
    }
}
