import ArgumentParser
import Hone

/// `hone report RUN_DIR`: a Markdown (or JSON) report of a run from its result.json and ledger.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print a report of a run: stages, scores, top candidates and backend calls.",
        discussion: "Reads RUN_DIR/ledger.sqlite and, when present, RUN_DIR/result.json. Works on a run that is still going or was killed.")

    @Argument(help: "The run directory `hone run` wrote (holding ledger.sqlite).")
    var runDirectory: String

    @Option(help: "How many of each stage's best candidates to list.")
    var top: Int = 10

    @Flag(help: "Print JSON instead of Markdown.")
    var json = false

    func validate() throws {
        guard top >= 0 else { throw ValidationError("--top must be 0 or more") }
    }

    func run() throws {
        let report = try RunDirectoryReport(directory: runDirectory, top: top)
        print(json ? report.json.prettyPrinted() : report.markdown, terminator: json ? "\n" : "")
    }
}
