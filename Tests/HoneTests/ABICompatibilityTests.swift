import CHoneABI
import Foundation
import HoneSDK
import XCTest

#if canImport(Glibc)
import Glibc
#endif

@testable import Hone

/// Minor-version compatibility of the C ABI, both ways: a plugin compiled against the frozen
/// 1.0 header loads and runs in this host; a 1.1 Swift SDK given a 1.0-sized host table works and
/// never reads past it; tables too small for 1.0 are refused naming both sizes.
final class ABICompatibilityTests: XCTestCase {
    nonisolated(unsafe) static var directory = ""  // set once in class setUp, before any test runs
    static let fixtures = TestEnvironment.repository + "/Tests/HoneTests/Fixtures"

    override class func setUp() {
        directory = (try? TestEnvironment.temporaryDirectory("abi")) ?? NSTemporaryDirectory()
    }

    private func refusal(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws -> PluginLoadError {
        do {
            _ = try PluginLoader.load(file: path)
        } catch let error as PluginLoadError {
            return error
        }
        XCTFail("expected \(path) to be refused", file: file, line: line)
        throw TestFailure("not refused")
    }

    private func fixture(_ name: String, _ defines: [String]) throws -> String {
        let path = Self.directory + "/\(name).so"
        try TestEnvironment.compileSharedLibrary([Self.fixtures + "/fixture_plugin.c"], output: path, defines: defines)
        return path
    }

    // MARK: frozen sizes

    func testFrozenSizesEqualTheHeaderMacrosAndTheSizesOfThe1_0Header() throws {
        let program = """
            #include <stdio.h>
            #include "hone.h"
            int main(void) {
            #ifdef HONE_HOST_SIZE_1_0
                printf("%zu %zu %zu %zu\\n", HONE_HOST_SIZE_1_0, HONE_OPTIMIZER_VTABLE_SIZE_1_0,
                       HONE_PLUGIN_DESCRIPTOR_SIZE_1_0, HONE_PLUGIN_LIBRARY_SIZE_1_0);
            #else
                printf("%zu %zu %zu %zu\\n", sizeof(hone_host), sizeof(hone_optimizer_vtable),
                       sizeof(hone_plugin_descriptor), sizeof(hone_plugin_library));
            #endif
                return 0;
            }
            """
        let source = Self.directory + "/sizes.c"
        try program.write(toFile: source, atomically: true, encoding: .utf8)
        func sizes(include: String) throws -> [Int] {
            let binary = Self.directory + "/sizes-\(UUID().uuidString.prefix(6))"
            let cc = try TestEnvironment.run(["cc", "-I", include, source, "-o", binary])
            XCTAssertEqual(cc.status, 0, cc.stderr)
            return try TestEnvironment.run([binary]).stdout.split(separator: " ").map { Int($0.trimmingCharacters(in: .whitespacesAndNewlines))! }
        }
        let swift = [ABILayout.hostSize1_0, ABILayout.optimizerVTableSize1_0, ABILayout.pluginDescriptorSize1_0, ABILayout.pluginLibrarySize1_0]
        XCTAssertEqual(try sizes(include: TestEnvironment.repository + "/SDK/include"), swift, "the Swift twins of HONE_*_SIZE_1_0")
        XCTAssertEqual(try sizes(include: Self.fixtures + "/abi-1.0"), swift, "sizeof of every struct in the frozen 1.0 header")
        XCTAssertGreaterThan(MemoryLayout<hone_optimizer_vtable>.size, ABILayout.optimizerVTableSize1_0, "1.1 appended to the vtable")
        XCTAssertTrue(ABILayout.covers(UInt32(MemoryLayout<hone_optimizer_vtable>.size), \hone_optimizer_vtable.get_extension))
        XCTAssertFalse(ABILayout.covers(UInt32(ABILayout.optimizerVTableSize1_0), \hone_optimizer_vtable.get_extension))
    }

    func testToolchainRuleIsStatedIdenticallyInTheHeaderTheDocsAndTheSwiftSDK() throws {
        /// The rule's sentences in `file`, with comment markers and line breaks removed.
        func rule(_ file: String) throws -> String {
            let text = try String(contentsOfFile: TestEnvironment.repository + "/" + file, encoding: .utf8)
            let start = try XCTUnwrap(text.range(of: "A descriptor's `toolchain`"), "\(file) does not state the rule")
            let end = try XCTUnwrap(text.range(of: "any other value.", range: start.upperBound..<text.endIndex))
            return text[start.lowerBound..<end.upperBound]
                .split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces).drop { "*/".contains($0) }.trimmingCharacters(in: .whitespaces) }
                .joined(separator: " ")
        }
        let header = try rule("SDK/include/hone.h")
        XCTAssertEqual(try rule("docs/plugins.md"), header)
        XCTAssertEqual(try rule("SDK/swift/HoneSDK/Boundary/Toolchain.swift"), header)
        XCTAssertTrue(header.contains("\"swift-MAJOR.MINOR\""), header)
        XCTAssertNotNil(SwiftToolchain.identifier.range(of: #"^swift-\d+\.\d+$"#, options: .regularExpression), "this host follows the rule")
    }

    // MARK: an old plugin in a new host

    func testAPluginBuiltAgainstTheFrozen1_0HeaderLoadsAndRunsAStage() throws {
        let library = Self.directory + "/libabi10.so"
        try TestEnvironment.compileSharedLibrary([Self.fixtures + "/abi-1.0/plugin_1_0.c"], output: library)
        let plugin = try XCTUnwrap(try PluginLoader.load(file: library).first)
        XCTAssertEqual(plugin.info.id, "org.hone.test.abi-1-0")
        XCTAssertEqual(plugin.abiMinor, 0, "compiled against the 1.0 header")
        XCTAssertEqual(Int(plugin.vtable.pointee.struct_size), ABILayout.optimizerVTableSize1_0, "a 1.0 vtable, shorter than this host's")
        XCTAssertNil(plugin.extensionPointer(HONE_EXT_ARTIFACT_RENDERER), "no 1.1 field is read from a 1.0 vtable")

        let stage = HashStage(pluginID: plugin.info.id, budget: 100)
        let result = try PluginOptimizer(plugin: plugin, config: [:]).optimize(stage.request(), context: stage.context)

        let summary = try XCTUnwrap(result.summary)
        XCTAssertEqual(summary["evaluated"], 4)
        XCTAssertEqual(summary["plugin_abi"], "1.0")
        XCTAssertEqual(summary["host_abi"]?.stringValue, "\(HONE_ABI_VERSION_MAJOR).\(HONE_ABI_VERSION_MINOR)")
        XCTAssertEqual(summary["host_struct_size"]?.intValue, MemoryLayout<hone_host>.size)
        XCTAssertEqual(stage.context.usedCalls, 4 * TinyReviewTask.train.count, "four prompts on every train example, charged")
        XCTAssertEqual(stage.context.loadCheckpoint(), #"{"evaluated":4}"#)
        // The host's own scores agree with the pick the plugin made from them.
        let scores = try stage.evaluator.evaluate(
            ["", "review:", "sentiment of the review:", "is it good or bad?"].map { PromptArtifact(text: $0) },
            on: TinyReviewTask.train.enumerated().map { (index: $0, example: $1) }, details: false).map(\.score)
        XCTAssertEqual(summary["best_train"]?.doubleValue ?? -1, scores.max()!, accuracy: 1e-9)
        XCTAssertEqual(result.bestPrompt.text, ["", "review:", "sentiment of the review:", "is it good or bad?"][scores.firstIndex(of: scores.max()!)!])
    }

    func testAVTableOfExactlyThe1_0SizeLoadsAndOffersNoExtension() throws {
        let plugin = try XCTUnwrap(try PluginLoader.load(file: try fixture("vtable10", ["FIXTURE_VTABLE_SIZE=HONE_OPTIMIZER_VTABLE_SIZE_1_0"])).first)
        XCTAssertEqual(Int(plugin.vtable.pointee.struct_size), ABILayout.optimizerVTableSize1_0)
        XCTAssertNil(plugin.extensionPointer(HONE_EXT_ARTIFACT_RENDERER))
    }

    // MARK: refusals naming both sizes

    func testRefusesALibraryTableTooSmallFor1_0NamingBothSizesAndTheFile() throws {
        let path = try fixture("library8", ["FIXTURE_LIBRARY_SIZE=8"])
        let error = try refusal(path)
        XCTAssertEqual(error.reason, .structTooSmall)
        XCTAssertTrue(error.message.contains("hone_plugin_library.struct_size is 8 bytes"), error.message)
        XCTAssertTrue(error.message.contains("\(ABILayout.pluginLibrarySize1_0) bytes"), error.message)
        XCTAssertTrue(error.message.contains("built for ABI 1.\(HONE_ABI_VERSION_MINOR), this host speaks ABI 1.\(HONE_ABI_VERSION_MINOR)"), error.message)
        XCTAssertTrue(error.description.contains(path), error.description)
    }

    func testRefusesADescriptorTooSmallFor1_0NamingBothSizes() throws {
        let small = ABILayout.pluginDescriptorSize1_0 - 8
        let error = try refusal(try fixture("descriptor-small", ["FIXTURE_DESCRIPTOR_SIZE=\(small)"]))
        XCTAssertEqual(error.reason, .structTooSmall)
        XCTAssertTrue(error.message.contains("plugins[0]: hone_plugin_descriptor.struct_size is \(small) bytes, smaller than the \(ABILayout.pluginDescriptorSize1_0) bytes"), error.message)
    }

    func testRefusesAVTableTooSmallFor1_0NamingBothSizesAndThePlugin() throws {
        let error = try refusal(try fixture("vtable-small", ["FIXTURE_VTABLE_SIZE=16"]))
        XCTAssertEqual(error.reason, .structTooSmall)
        XCTAssertTrue(error.message.contains("plugin org.hone.test.fixture: hone_optimizer_vtable.struct_size is 16 bytes, smaller than the \(ABILayout.optimizerVTableSize1_0) bytes"), error.message)
    }

    func testRefusesAToolchainThatIsNeitherCNorSwift() throws {
        let error = try refusal(try fixture("toolchain-rust", [#"FIXTURE_TOOLCHAIN="rust-1.80""#]))
        XCTAssertEqual(error.reason, .toolchainMismatch)
        XCTAssertTrue(error.message.contains(#""rust-1.80""#), error.message)
        XCTAssertTrue(error.message.contains("swift-MAJOR.MINOR"), error.message)
    }

    // MARK: a new SDK on an old host

    /// A copy of the first `size` bytes of a real host table, with `struct_size = size`, placed so
    /// that it ends exactly where an inaccessible page begins: any read past it crashes the test.
    private final class GuardedHostTable {
        let pointer: UnsafePointer<hone_host>
        private let base: UnsafeMutableRawPointer
        private let length: Int

        init(copying table: UnsafePointer<hone_host>, size: Int) throws {
            let page = Int(sysconf(Int32(_SC_PAGESIZE)))
            length = 2 * page
            guard let mapped = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), mapped != MAP_FAILED else {
                throw TestFailure("mmap failed")
            }
            base = mapped
            guard mprotect(base + page, page, PROT_NONE) == 0 else { throw TestFailure("mprotect failed") }
            let start = base + page - size
            start.copyMemory(from: UnsafeRawPointer(table), byteCount: size)
            start.storeBytes(of: UInt32(size), as: UInt32.self)
            pointer = UnsafePointer(start.assumingMemoryBound(to: hone_host.self))
        }

        deinit { munmap(base, length) }
    }

    func testSDKHostConnectionWorksOnAHostTableOfThe1_0SizeWithoutReadingPastIt() throws {
        let stage = HashStage(pluginID: "org.hone.test.sdk", budget: 50)
        let host = HostTable(context: stage.context)
        let guarded = try GuardedHostTable(copying: host.table, size: ABILayout.hostSize1_0)
        let connection = HostConnection(guarded.pointer)
        XCTAssertEqual(Int(connection.structSize), ABILayout.hostSize1_0)
        XCTAssertTrue(connection.abiVersion! == (1, UInt32(HONE_ABI_VERSION_MINOR)))

        let response = try connection.evaluate(EvaluateRequest(prompts: [PromptArtifact(text: "review:")], split: .train))
        XCTAssertEqual(response.results.count, 1)
        let scored = try connection.backend(["op": "score", "items": [["context": "a joy", "candidates": ["good", "bad"]]]])
        XCTAssertEqual(scored["scores"]?.arrayValue?.first?.arrayValue?.count, 2)
        connection.log(.info, "hello")
        connection.progress(0.5, "half")
        XCTAssertFalse(connection.isCancelled)
        try connection.saveCheckpoint(["step": 1])
        XCTAssertEqual(try connection.loadCheckpoint(), ["step": 1])
        XCTAssertNil(connection.extensionPointer("hone.host.ledger/1"))
        XCTAssertEqual(stage.context.usedCalls, TinyReviewTask.train.count + 1)
        withExtendedLifetime(host) {}
    }

    func testSDKHostConnectionTreatsFieldsBeyondAShortHostTableAsAbsent() throws {
        let stage = HashStage(pluginID: "org.hone.test.sdk", budget: 50)
        let host = HostTable(context: stage.context)
        let size = ABILayout.end(of: \hone_host.log)   // a host that ends after `log`
        let guarded = try GuardedHostTable(copying: host.table, size: size)
        let connection = HostConnection(guarded.pointer)

        XCTAssertTrue(connection.has(\.evaluate))
        XCTAssertFalse(connection.has(\.progress))
        XCTAssertEqual(try connection.evaluate(EvaluateRequest(prompts: [PromptArtifact(text: "")], split: .dev)).results.count, 1)
        connection.log(.debug, "still there")
        connection.progress(1, "absent: a no-op")
        XCTAssertFalse(connection.isCancelled, "no is_cancelled: never cancelled")
        XCTAssertThrowsError(try connection.saveCheckpoint(["step": 1])) { error in
            XCTAssertEqual((error as? PluginError)?.status, Int32(HONE_ERR_UNSUPPORTED))
            XCTAssertTrue("\(error)".contains("checkpoint_save"), "\(error)")
        }
        XCTAssertNil(try connection.loadCheckpoint())
        XCTAssertNil(connection.extensionPointer("hone.host.ledger/1"))
        withExtendedLifetime(host) {}
    }
}
