import ArgumentParser
import Foundation
import Hone
import Logging

/// Options shared by every command that reads a pipeline.
struct PipelineOptions: ParsableArguments {
    @Argument(help: "The pipeline config (JSON).")
    var pipeline: String

    @Option(name: .customLong("plugin-path"), help: "A directory or library file to search for plugins first (repeatable).")
    var pluginPaths: [String] = []

    @Flag(name: .customLong("no-cache"), help: "Do not read or write the persistent cache.")
    var noCache = false

    @Flag(name: [.short, .long], help: "Log more (debug level).")
    var verbose = false

    @Flag(name: [.short, .long], help: "Log only warnings and errors.")
    var quiet = false

    /// A logger on stderr at the chosen level.
    func makeLogger() -> Logger {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        var logger = Logger(label: "hone")
        logger.logLevel = verbose ? .debug : quiet ? .warning : .info
        return logger
    }

    /// A logger on stderr for warnings and errors only (commands whose stdout is data).
    static func quietLogger() -> Logger {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        var logger = Logger(label: "hone")
        logger.logLevel = .warning
        return logger
    }

    /// The config and a runner for it.
    func makeRunner(outputDirectory: String? = nil) throws -> PipelineRunner {
        let config = try PipelineConfig.load(file: pipeline)
        let searchPath = PluginSearchPath.standard(commandLine: pluginPaths, config: config.pluginPaths)
        let runner = PipelineRunner(config: config, searchPath: searchPath, outputDirectory: outputDirectory, logger: makeLogger())
        runner.usePersistentCache = !noCache
        runner.configJSON = FileManager.default.contents(atPath: pipeline).map { String(decoding: $0, as: UTF8.self) }
        runner.commandLinePluginPaths = pluginPaths.map { PipelineConfig.resolve($0, against: FileManager.default.currentDirectoryPath) }
        return runner
    }
}

/// Formats a score for people.
func percent(_ x: Double) -> String { String(format: "%.4f", x) }
