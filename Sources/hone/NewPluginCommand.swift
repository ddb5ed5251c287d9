import ArgumentParser
import Foundation
import Hone

/// `hone new-plugin <id>`: the folder of a new optimizer plugin, built outside the Hone tree.
struct NewPluginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new-plugin",
        abstract: "Create a new optimizer plugin project (C or Swift) from a working SDK example.",
        discussion: """
            The project is a renamed copy of the SDK's C random search or Swift greedy token ascent, \
            with its id, library name and build files rewritten and its build pointed at this SDK. \
            It builds and loads as generated (`make`, then `HONE_PLUGIN_PATH=<folder> hone plugins info <id>`; \
            or `swift build -c release`, then `HONE_PLUGIN_PATH=<folder>/.build/release hone plugins info <id>`); \
            change its search, name and description from there.
            """)

    @Argument(help: "The plugin id, reverse-DNS (for example com.example.my-search).")
    var id: String

    @Option(help: "The language: c (Makefile, libjansson) or swift (SwiftPM, HoneSDK).")
    var language: PluginScaffold.Language = .c

    @Option(help: "The folder to create (default: the id's last part, in the current folder). Must be new or empty.")
    var output: String?

    @Option(help: "The name `hone plugins list` shows (default: from the id, e.g. \"My search\").")
    var name: String?

    @Option(name: .customLong("description"), help: "The one-line description `hone plugins list` shows (default: names the example it was copied from).")
    var pluginDescription: String?

    @Option(help: "The Hone SDK folder (default: $HONE_SDK_DIR, else the SDK/ of the Hone tree this hone was built in).")
    var sdk: String?

    func run() throws {
        let scaffold = try PluginScaffold(id: id, language: language, sdkDirectory: try sdkDirectory(), name: name, description: pluginDescription)
        let folder = output ?? scaffold.shortName
        let files = try scaffold.write(to: folder)
        print("created \(folder)/ for \(id) (\(language.rawValue)):")
        for file in files { print("  \(file)") }
        let build = language == .c ? "make" : "swift build -c release"
        let library = language == .c ? scaffold.libraryFileName : "\(scaffold.libraryDirectory)/\(scaffold.libraryFileName)"
        print("next: cd \(folder) && \(build)   # -> \(library)")
        print("      \(scaffold.pluginsInfoCommand)")
    }

    /// --sdk, else HONE_SDK_DIR, else the first `SDK/` with `include/hone.h` above this executable.
    private func sdkDirectory() throws -> String {
        if let sdk { return sdk }
        if let fromEnvironment = ProcessInfo.processInfo.environment["HONE_SDK_DIR"], !fromEnvironment.isEmpty { return fromEnvironment }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var folder = URL(fileURLWithPath: executable).deletingLastPathComponent()
        for _ in 0..<8 {
            let candidate = folder.appendingPathComponent("SDK")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("include/hone.h").path) { return candidate.path }
            folder = folder.deletingLastPathComponent()
        }
        throw ScaffoldError("cannot find the Hone SDK above \(executable); pass --sdk <hone>/SDK or set HONE_SDK_DIR")
    }
}

extension PluginScaffold.Language: ExpressibleByArgument {}
