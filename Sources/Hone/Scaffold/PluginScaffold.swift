import Foundation

/// Creates the folder of a new optimizer plugin, built outside the Hone tree, from one of the
/// SDK's working example plugins (what `hone new-plugin` does).
///
/// The new plugin starts as a renamed copy of a real, tested optimizer: the C random search
/// (`SDK/examples/random-search-c`) or the Swift greedy token ascent
/// (`SDK/examples/swift-plugin`). Its id, library name and build files are rewritten, and its
/// build points at the SDK it was made from, so it builds and loads as generated; the author
/// then changes the search itself.
public struct PluginScaffold: Sendable {
    /// The language the plugin is written in.
    public enum Language: String, CaseIterable, Sendable {
        /// C99 with libjansson, built by a Makefile.
        case c
        /// Swift with the HoneSDK module, built by SwiftPM.
        case swift
    }

    /// The plugin id, reverse-DNS style (`com.example.my-search`).
    public let id: String
    /// The language of the generated sources.
    public let language: Language
    /// The SDK folder (holding `include/hone.h`) the plugin is built against.
    public let sdkDirectory: String

    /// Checks the id and the SDK folder.
    ///
    /// - Throws: ``ScaffoldError`` when the id is not reverse-DNS or the SDK folder lacks `include/hone.h`.
    public init(id: String, language: Language, sdkDirectory: String) throws {
        guard id.range(of: #"^[a-z0-9]+(\.[a-z0-9][a-z0-9-]*)+$"#, options: .regularExpression) != nil else {
            throw ScaffoldError("plugin id \"\(id)\" is not reverse-DNS: use lower-case dot-separated parts such as com.example.my-search")
        }
        guard FileManager.default.fileExists(atPath: sdkDirectory + "/include/hone.h") else {
            throw ScaffoldError("\(sdkDirectory) is not a Hone SDK folder (no include/hone.h); pass --sdk or set HONE_SDK_DIR")
        }
        self.id = id
        self.language = language
        self.sdkDirectory = URL(fileURLWithPath: sdkDirectory).standardizedFileURL.path
    }

    /// The id's last part, the default folder name (`my-search`).
    public var shortName: String { String(id.split(separator: ".").last!) }
    /// The C library's base name (`my_search`, built as `libmy_search.so`).
    public var cName: String { shortName.replacingOccurrences(of: "-", with: "_") }
    /// The Swift module and library name (`MySearch`, built as `libMySearch.so`).
    public var swiftName: String {
        let camel = shortName.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return camel.first?.isNumber == true ? "Plugin" + camel : camel
    }
    /// The file name of the library the generated build produces.
    public var libraryFileName: String { language == .c ? "lib\(cName).so" : "lib\(swiftName).so" }

    /// Writes the plugin's files into `directory` (created; it must not exist or be empty) and
    /// returns their paths, relative to it.
    ///
    /// - Throws: ``ScaffoldError`` when the folder holds files or an SDK example is missing or
    ///   no longer has what the rewrite expects.
    @discardableResult
    public func write(to directory: String) throws -> [String] {
        let fm = FileManager.default
        if let existing = try? fm.contentsOfDirectory(atPath: directory), !existing.isEmpty {
            throw ScaffoldError("\(directory) already holds files; choose an empty or new folder with --output")
        }
        let files = try language == .c ? cFiles() : swiftFiles()
        for (path, text) in files {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return files.map(\.0)
    }

    // MARK: C

    private func cFiles() throws -> [(String, String)] {
        let example = sdkDirectory + "/examples/random-search-c"
        var source = try read(example + "/random_search.c")
        source = try replacing(#"#define RS_PLUGIN_ID "org.hone.random-search""#, with: "#define RS_PLUGIN_ID \"\(id)\"", in: source, file: "random_search.c")
        var makefile = try read(example + "/Makefile")
        makefile = try replacing("HONE_SDK ?= ../..", with: "HONE_SDK ?= \(sdkDirectory)", in: makefile, file: "Makefile")
        makefile = try replacing("libhone_random_search.so", with: libraryFileName, in: makefile, file: "Makefile")
        makefile = try replacing("SOURCES = random_search.c", with: "SOURCES = \(cName).c", in: makefile, file: "Makefile")
        makefile = try replacing("# Builds the random-search optimizer plugin", with: "# Builds the \(id) optimizer plugin", in: makefile, file: "Makefile")
        return [("\(cName).c", source), ("Makefile", makefile), ("README.md", readme(build: "make", product: libraryFileName,
                                                                                       sources: "`\(cName).c`", example: "random-search-c"))]
    }

    // MARK: Swift

    private func swiftFiles() throws -> [(String, String)] {
        let example = sdkDirectory + "/examples/swift-plugin"
        let honePackage = URL(fileURLWithPath: sdkDirectory).deletingLastPathComponent().path
        var manifest = try read(example + "/Package.swift")
        manifest = try replacing("HoneSwiftGreedy", with: swiftName, in: manifest, file: "Package.swift")
        manifest = try replacing(#".package(name: "Hone", path: "../../..")"#, with: ".package(name: \"Hone\", path: \"\(honePackage)\")",
                                 in: manifest, file: "Package.swift")
        var files: [(String, String)] = [("Package.swift", manifest), ("exports.map", try read(example + "/exports.map"))]
        let sources = example + "/Sources/HoneSwiftGreedy"
        var sawID = false
        for name in try FileManager.default.contentsOfDirectory(atPath: sources).sorted() where name.hasSuffix(".swift") {
            var text = try read(sources + "/" + name)
            if text.contains(#""org.hone.example.swift-greedy""#) {
                text = text.replacingOccurrences(of: #""org.hone.example.swift-greedy""#, with: "\"\(id)\"")
                sawID = true
            }
            files.append(("Sources/\(swiftName)/\(name)", text))
        }
        guard sawID else { throw ScaffoldError("the SDK's Swift example no longer declares its id where expected; \(sources) changed") }
        files.append(("README.md", readme(build: "swift build -c release", product: ".build/release/\(libraryFileName)",
                                          sources: "`Sources/\(swiftName)/`", example: "swift-plugin")))
        return files
    }

    // MARK: Helpers

    private func read(_ path: String) throws -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ScaffoldError("cannot read \(path): the SDK folder \(sdkDirectory) is incomplete")
        }
        return text
    }

    private func replacing(_ old: String, with new: String, in text: String, file: String) throws -> String {
        guard text.contains(old) else {
            throw ScaffoldError("the SDK example's \(file) no longer contains \"\(old)\"; the scaffold must be updated with it")
        }
        return text.replacingOccurrences(of: old, with: new)
    }

    private func readme(build: String, product: String, sources: String, example: String) -> String {
        """
        # \(id)

        A Hone optimizer plugin, generated by `hone new-plugin` from the SDK example
        `\(example)` (a working optimizer: change its search in \(sources)).

        Build and check that the host loads it:

        ```sh
        \(build)
        HONE_PLUGIN_PATH=$PWD hone plugins info \(id)
        ```

        The library is `\(product)`. Use it in a pipeline stage as
        `{"plugin": "\(id)", "config": {...}, "budget": {"calls": 2000}}`, with the folder on
        `HONE_PLUGIN_PATH`, `--plugin-path` or the pipeline's `plugin_paths`. The SDK it builds
        against is `\(sdkDirectory)`; see its README.md and docs/plugins.md for the ABI.

        """
    }
}

/// Why a plugin folder could not be generated.
public struct ScaffoldError: Error, CustomStringConvertible, Sendable {
    /// What went wrong and what to do.
    public let description: String

    /// Creates an error with a message a user can act on.
    public init(_ description: String) { self.description = description }
}
