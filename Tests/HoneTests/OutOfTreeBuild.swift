import Foundation

/// Builds the two out-of-tree example plugins the way a third party would, once per test run,
/// and runs the already built `hone` executable against them.
///
/// - The C example is copied to a temporary folder and built there by its own Makefile with
///   `cc`, pointing `HONE_SDK` back at this checkout's `SDK/` (what a copy elsewhere does).
/// - The Swift example is built by `swift build --package-path SDK/examples/swift-plugin` into
///   a temporary scratch path; its `Package.swift` depends on this checkout by path.
///
/// Nothing here rebuilds the host: the `hone` under test is ``TestEnvironment/honeExecutable``.
enum OutOfTreeBuild {
    /// The libraries built, each in a folder of its own for `HONE_PLUGIN_PATH`.
    struct Products {
        /// Scratch folder in the system temp dir holding everything below; see ``removeScratch()``.
        var root: URL
        /// Folder holding `libhone_random_search.so` (and nothing else that is a plugin).
        var cPluginDirectory: URL
        /// Folder holding only `libHoneSwiftGreedy.so`, copied out of the SwiftPM products folder.
        var swiftPluginDirectory: URL
    }

    /// Builds both examples on first use; later calls return the same products (or the same failure).
    static func products() throws -> Products {
        lock.lock()
        defer { lock.unlock() }
        if let cached { return try cached.get() }
        let result = Result { try build() }
        cached = result
        return try result.get()
    }

    /// Deletes the scratch folder of a finished build, if there was one; the next use builds again.
    static func removeScratch() {
        lock.lock()
        defer { lock.unlock() }
        if let root = try? cached?.get().root { try? FileManager.default.removeItem(at: root) }
        cached = nil
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var cached: Result<Products, Error>?

    private static func build() throws -> Products {
        let fm = FileManager.default
        let root = fm.temporaryDirectory.appendingPathComponent("hone-out-of-tree-\(ProcessInfo.processInfo.processIdentifier)")
        try? fm.removeItem(at: root)
        try fm.createDirectory(at: root, withIntermediateDirectories: true)
        let sdk = URL(fileURLWithPath: TestEnvironment.repository).appendingPathComponent("SDK")

        // C: copy the example out of the tree and build it there with its Makefile.
        let cDirectory = root.appendingPathComponent("random-search-c")
        try fm.copyItem(at: sdk.appendingPathComponent("examples/random-search-c"), to: cDirectory)
        for leftover in ["libhone_random_search.so"] { try? fm.removeItem(at: cDirectory.appendingPathComponent(leftover)) }
        let make = try TestEnvironment.run(["make", "HONE_SDK=\(sdk.path)", "all", "check-exports"], directory: cDirectory.path)
        guard make.status == 0 else {
            throw BuildFailure("make of the C example failed (status \(make.status)):\n\(make.stdout)\n\(make.stderr)")
        }

        // Swift: its own package, its own scratch path, the SDK by path.
        let scratch = root.appendingPathComponent("swift-build")
        let swift = try TestEnvironment.run(
            ["swift", "build", "--package-path", sdk.appendingPathComponent("examples/swift-plugin").path,
             "--scratch-path", scratch.path],
            directory: root.path)
        guard swift.status == 0 else {
            throw BuildFailure("swift build of the Swift example failed (status \(swift.status)):\n\(swift.stdout)\n\(swift.stderr)")
        }
        let swiftProducts = scratch.appendingPathComponent("debug")
        guard fm.fileExists(atPath: swiftProducts.appendingPathComponent("libHoneSwiftGreedy.so").path) else {
            throw BuildFailure("swift build succeeded but \(swiftProducts.path)/libHoneSwiftGreedy.so is missing")
        }
        // Only the plugin goes on the search path: the products folder holds other .so files too.
        let swiftDirectory = root.appendingPathComponent("swift-plugin")
        try fm.createDirectory(at: swiftDirectory, withIntermediateDirectories: true)
        try fm.copyItem(at: swiftProducts.appendingPathComponent("libHoneSwiftGreedy.so"),
                        to: swiftDirectory.appendingPathComponent("libHoneSwiftGreedy.so"))
        return Products(root: root, cPluginDirectory: cDirectory, swiftPluginDirectory: swiftDirectory)
    }

    /// A build step of an example failed; the message holds its output.
    struct BuildFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
