import Foundation
import XCTest

/// The products SwiftPM built along with the tests (the `hone` executable, the built-in plugin
/// libraries), found in the folder of the test binary.
enum BuiltProducts {
    /// The build folder, e.g. `.build/x86_64-unknown-linux-gnu/debug`.
    static func directory(file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        var folders: [URL] = []
        if let testBinary = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            folders.append(URL(fileURLWithPath: testBinary).deletingLastPathComponent())
        }
        let bundle = Bundle(for: BundleMarker.self).bundleURL
        folders += [bundle, bundle.deletingLastPathComponent()]
        if let folder = folders.first(where: { FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("hone").path) }) {
            return folder
        }
        XCTFail("no hone executable in \(folders.map(\.path)); run `swift build` before `swift test`", file: file, line: line)
        throw CocoaError(.fileNoSuchFile)
    }

    /// The `hone` executable.
    static func hone(file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        try directory(file: file, line: line).appendingPathComponent("hone")
    }

    /// A built-in plugin library, e.g. `libHonePluginRandomSearch.so`.
    static func library(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        let library = try directory(file: file, line: line).appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: library.path) else {
            XCTFail("\(library.path) was not built; run `swift build`", file: file, line: line)
            throw CocoaError(.fileNoSuchFile)
        }
        return library
    }

    private final class BundleMarker {}
}
