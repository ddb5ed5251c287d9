import ArgumentParser
import Foundation
import Hone
import Logging

/// `hone resume RUN_DIR`: continue a killed or interrupted run from its ledger.
struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue a killed or interrupted run from its ledger (RUN_DIR/ledger.sqlite).",
        discussion: """
            Stages the ledger records as done are not run again; the interrupted stage runs again from its last \
            checkpoint with the calls it used counted against its budget; then the best prompt is scored and \
            RUN_DIR/result.json written as `hone run` does. A run that finished is left as it is.
            """)

    @Argument(help: "The run directory `hone run` wrote (holding ledger.sqlite).")
    var runDirectory: String

    @Option(name: .customLong("plugin-path"), help: "A directory or library file to search for plugins first (repeatable).")
    var pluginPaths: [String] = []

    @Flag(name: [.short, .long], help: "Log more (debug level).")
    var verbose = false

    @Flag(name: [.short, .long], help: "Log only warnings and errors.")
    var quiet = false

    func run() throws {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        var logger = Logger(label: "hone")
        logger.logLevel = verbose ? .debug : quiet ? .warning : .info
        let paths = pluginPaths.map { PipelineConfig.resolve($0, against: FileManager.default.currentDirectoryPath) }
        let runner = try PipelineRunner(resuming: runDirectory, pluginPaths: paths, logger: logger)
        let recorded = try runner.recordedRun()
        if recorded.status == .done {
            print("\(runDirectory): run \(recorded.name) already finished; nothing to resume (see \(runDirectory)/result.json)")
            return
        }
        let done = recorded.stages.filter { $0.status == .done }.count
        logger.info("resuming \(recorded.name) (\(recorded.status.rawValue)): \(done) of \(recorded.stages.count) stage(s) done")
        let printer = ProgressPrinter()
        runner.onEvent = { printer.handle($0) }
        let interrupt = installInterruptHandler(for: runner)
        defer { interrupt.cancel() }
        guard let report = try runner.resume() else {
            print("\(runDirectory): run \(recorded.name) already finished; nothing to resume")
            return
        }
        printer.finish()
        printSummary(report, directory: runDirectory)
    }
}
