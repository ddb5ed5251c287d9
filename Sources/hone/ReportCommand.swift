import ArgumentParser
import Foundation
import Hone

/// `hone report RUN_DIR`: a Markdown (or JSON, or HTML) report of a run from its result.json and ledger.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print a report of a run: stages, scores, top candidates and backend calls.",
        discussion: """
            Reads RUN_DIR/ledger.sqlite and, when present, RUN_DIR/result.json. Works on a run that is still going or was killed. \
            --html writes one self-contained page with charts (learning curves, baseline against best, score distributions, calls) \
            to RUN_DIR/report.html, or to FILE with -o (- for standard output).
            """)

    @Argument(help: "The run directory `hone run` wrote (holding ledger.sqlite).")
    var runDirectory: String

    @Option(help: "How many of each stage's best candidates to list.")
    var top: Int = 10

    @Flag(help: "Print JSON instead of Markdown.")
    var json = false

    @Flag(help: "Write a self-contained HTML page with charts instead of Markdown.")
    var html = false

    @Option(name: [.short, .customLong("output")], help: "Where --html writes the page (default: RUN_DIR/report.html; - for standard output).")
    var output: String?

    func validate() throws {
        guard top >= 0 else { throw ValidationError("--top must be 0 or more") }
        guard !(json && html) else { throw ValidationError("choose one of --json and --html") }
        guard output == nil || html else { throw ValidationError("-o/--output goes with --html (Markdown and JSON go to standard output)") }
    }

    func run() throws {
        if html {
            let page = try RunHTMLReport(directory: runDirectory, top: top)
            warnAboutLedger(page.report.ledgerProblem)
            try writePage(page.html, to: output ?? runDirectory + "/report.html")
            return
        }
        let report = try RunDirectoryReport(directory: runDirectory, top: top)
        warnAboutLedger(report.ledgerProblem)
        print(json ? report.json.prettyPrinted() : report.markdown, terminator: json ? "\n" : "")
    }
}

/// Says on stderr that a report or export comes from `result.json` alone, and why.
func warnAboutLedger(_ problem: String?) {
    guard let problem else { return }
    FileHandle.standardError.write(Data("warning: \(problem)\n".utf8))
}

/// Writes an HTML page to `path` (and says where), or to standard output for `-`.
func writePage(_ page: String, to path: String) throws {
    if path == "-" {
        print(page, terminator: "")
        return
    }
    do {
        try Data(page.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
        throw ValidationError("could not write \(path): \(error.localizedDescription); check that its folder exists and is writable")
    }
    print(path)
}
