import ArgumentParser
import Foundation
import Hone
import HoneSDK

/// `hone apply --artifact FILE --input FILE`: a prompt artifact applied to new inputs, as JSONL.
struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply a prompt artifact to new inputs: the prompt each input gets (and the backend's output) as JSONL.",
        discussion: """
            --input is JSONL: each line a JSON string, or an object with an "input" member (other members are \
            copied to the output line). Each output line holds "input", "prompt" (the {prompt} text: for a \
            rendered artifact, written for that input by its plugin) and "rendered" (the whole text the backend \
            sees); with --generate, also "output" (generation tasks) or "label" and "probabilities" \
            (classification). The task and backend come from --pipeline, else from the config recorded in an \
            export file (`hone export --format json`).
            """)

    @Option(help: "The prompt artifact: a run's best_prompt.json, or `hone export --format artifact|json`.")
    var artifact: String

    @Option(help: "The new inputs, as JSONL.")
    var input: String

    @Option(help: "The pipeline whose task and backend to use (default: the config recorded in the export file).")
    var pipeline: String?

    @Flag(help: "Also run the backend on each rendered prompt: generate (generation tasks) or classify.")
    var generate = false

    @Option(name: [.short, .long], help: "Write the JSONL here instead of standard output.")
    var output: String?

    @Option(name: .customLong("plugin-path"), help: "A directory or library file to search for plugins first (repeatable).")
    var pluginPaths: [String] = []

    @Flag(name: .customLong("no-cache"), help: "Do not read or write the persistent cache.")
    var noCache = false

    func run() throws {
        let file = try ArtifactFile(path: artifact)
        let config: PipelineConfig
        if let pipeline {
            config = try PipelineConfig.load(file: pipeline)
        } else if let recorded = file.config {
            config = try PipelineConfig(json: recorded, baseDirectory: FileManager.default.currentDirectoryPath)
        } else {
            throw ValidationError("\(artifact) carries no config: give --pipeline PIPELINE for the task's template and the backend (or apply an export made with `hone export --format json`)")
        }
        let logger = PipelineOptions.quietLogger()
        let searchPath = PluginSearchPath.standard(commandLine: pluginPaths, config: config.pluginPaths)
        let runner = PipelineRunner(config: config, searchPath: searchPath, logger: logger)
        runner.usePersistentCache = !noCache
        let lines = try ApplyCommand.readInputs(input)
        let application = try ArtifactApplication(runner: runner)
        let applied = try application.apply(file.artifact, to: lines.map(\.input), produce: generate)
        var out = ""
        for (line, result) in zip(lines, applied) {
            var object = line.extra
            object.merge(result.json) { _, new in new }
            out += JSONValue.object(object).serialized() + "\n"
        }
        if let output {
            do { try out.write(toFile: output, atomically: true, encoding: .utf8) } catch {
                throw ValidationError("could not write \(output): \(error.localizedDescription)")
            }
        } else {
            print(out, terminator: "")
        }
    }

    /// The inputs of a JSONL file, with each object line's other members.
    static func readInputs(_ path: String) throws -> [(input: String, extra: [String: JSONValue])] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read \(path); check the path")
        }
        var found: [(String, [String: JSONValue])] = []
        for (n, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty { continue }
            guard let value = try? JSONValue(parsing: text) else {
                throw ValidationError("\(path):\(n + 1): not JSON; each line must be a JSON string or an object with an \"input\" string")
            }
            if let s = value.stringValue {
                found.append((s, [:]))
            } else if var object = value.objectValue, let s = object["input"]?.stringValue {
                object["input"] = nil
                found.append((s, object))
            } else {
                throw ValidationError("\(path):\(n + 1): expected a JSON string or an object with an \"input\" string")
            }
        }
        return found
    }
}
