import ArgumentParser
import Foundation
import Hone
import HoneSDK

/// `hone plugins list|info`: what the plugin search path holds.
struct PluginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List plugins on the search path, or show one plugin's descriptor and config schema.",
        subcommands: [List.self, Info.self])

    struct Search: ParsableArguments {
        @Option(name: .customLong("plugin-path"), help: "A directory or library file to search first (repeatable).")
        var pluginPaths: [String] = []

        func registry() -> PluginRegistry {
            PluginRegistry(searchPath: PluginSearchPath.standard(commandLine: pluginPaths))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the plugins found and the libraries refused.")
        @OptionGroup var search: Search
        @Flag(help: "Print JSON: {\"plugins\": [...], \"refused\": [...]}.")
        var json = false

        func run() throws {
            let registry = search.registry()
            if json {
                let doc: JSONValue = [
                    "plugins": .array(registry.plugins.map(\.info.json)),
                    "refused": .array(registry.refusals.map { ["file": .string($0.file), "reason": .string($0.reason.rawValue), "message": .string($0.message)] }),
                ]
                print(doc.prettyPrinted())
                return
            }
            if registry.plugins.isEmpty { print("no plugins found on the search path") }
            for p in registry.plugins {
                print("\(p.info.id)  \(p.info.version)  [\(p.info.capabilities.map(\.rawValue).joined(separator: ","))]  \(p.info.summary)\n    \(p.info.file)")
            }
            for r in registry.refusals {
                FileHandle.standardError.write(Data("refused: \(r.description)\n".utf8))
            }
        }
    }

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a plugin's descriptor and config schema.")
        @OptionGroup var search: Search
        @Argument(help: "The plugin id.")
        var id: String

        func run() throws {
            let plugin = try search.registry().plugin(id: id)
            print(plugin.info.json.prettyPrinted())
        }
    }
}
