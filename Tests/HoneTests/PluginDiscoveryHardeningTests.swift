import Foundation
import XCTest

@testable import Hone

/// Plugin discovery never crashes or hangs on what it finds on a plugin path: a directory or a
/// FIFO named `x.so`, a truncated library, a symlink loop; each is refused with the file and
/// the reason, and the good plugins beside them still load (issue 15, item 4).
final class PluginDiscoveryHardeningTests: XCTestCase {
    private static let goodLibrary = TestEnvironment.productsDirectory + "/libHonePluginRandomSearch.so"

    /// A plugin directory holding the real random-search library and `hostile` files; returns
    /// the registry discovered there.
    private func discover(_ hostile: (String) throws -> Void) throws -> (PluginRegistry, String) {
        let dir = try TestEnvironment.temporaryDirectory("hostile-plugins")
        try FileManager.default.copyItem(atPath: Self.goodLibrary, toPath: dir + "/good.so")
        try hostile(dir)
        return (PluginRegistry(searchPath: PluginSearchPath(entries: [dir])), dir)
    }

    private func refusal(_ registry: PluginRegistry, _ file: String) throws -> PluginLoadError {
        let found = registry.refusals.first { $0.file == file }
        return try XCTUnwrap(found, "no refusal for \(file); refusals: \(registry.refusals)")
    }

    func testADirectoryNamedLikeALibraryIsRefusedNotATrap() throws {
        let (registry, dir) = try discover { dir in
            try FileManager.default.createDirectory(atPath: dir + "/x.so", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: dir + "/target", withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: dir + "/y.so", withDestinationPath: dir + "/target")
        }
        XCTAssertTrue(try refusal(registry, dir + "/x.so").message.contains("is a directory"))
        XCTAssertTrue(try refusal(registry, dir + "/y.so").message.contains("is a directory"))
        XCTAssertEqual(registry.plugins.map(\.info.id), ["org.hone.random-search"], "the good library beside them loads")
        XCTAssertThrowsError(try PluginLoader.load(file: dir + "/x.so"), "loading it directly is refused too")
    }

    func testAFIFONamedLikeALibraryIsRefusedWithoutBlocking() throws {
        let started = Date()
        let (registry, dir) = try discover { dir in XCTAssertEqual(mkfifo(dir + "/f.so", 0o644), 0) }
        XCTAssertTrue(try refusal(registry, dir + "/f.so").message.contains("FIFO"))
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }

    func testTruncatedLibrariesAreRefusedBeforeDlopen() throws {
        let whole = try XCTUnwrap(FileManager.default.contents(atPath: Self.goodLibrary))
        let sizes = [10, 40, 100, 2_000, 8_000, 20_000, 36_000, whole.count / 2, whole.count - 1]
        let (registry, dir) = try discover { dir in
            for size in sizes { try whole.prefix(size).write(to: URL(fileURLWithPath: dir + "/cut-\(size).so")) }
        }
        for size in sizes {
            let message = try refusal(registry, dir + "/cut-\(size).so").message
            XCTAssertTrue(message.contains("truncated") || message.contains("outside the file"), "\(size) bytes: \(message)")
        }
        XCTAssertEqual(registry.plugins.count, 1)
    }

    func testASymlinkLoopIsNamedAsOne() throws {
        let (registry, dir) = try discover { dir in
            try FileManager.default.createSymbolicLink(atPath: dir + "/a.so", withDestinationPath: dir + "/b.so")
            try FileManager.default.createSymbolicLink(atPath: dir + "/b.so", withDestinationPath: dir + "/a.so")
        }
        let messages = registry.refusals.filter { $0.file.hasSuffix("/a.so") || $0.file.hasSuffix("/b.so") }.map(\.message)
        XCTAssertFalse(messages.isEmpty, "\(registry.refusals)")
        XCTAssertTrue(messages.allSatisfy { $0.contains("symbolic link loop") }, "\(messages)")
        _ = dir
    }

    func testALibraryForAnotherMachineOrClassIsRefusedWithTheReason() throws {
        var bytes = try XCTUnwrap(FileManager.default.contents(atPath: Self.goodLibrary))
        bytes[18] = 0x28  // EM_ARM
        let (registry, dir) = try discover { dir in try bytes.write(to: URL(fileURLWithPath: dir + "/arm.so")) }
        XCTAssertTrue(try refusal(registry, dir + "/arm.so").message.contains("built for machine 40"))
    }
}
