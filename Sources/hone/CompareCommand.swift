import ArgumentParser
import Foundation
import Hone

/// `hone compare DIR...`: methods x tasks, test score mean ± spread over seeds, budgets, curves.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare runs: methods x tasks, test score mean and spread over seeds, the budget each used.",
        discussion: """
            Every run under each DIR is read (a run directory holds ledger.sqlite). Runs whose configs differ only in the seed \
            (the config's seed and its train and dev data) are seeds of one method on one task (its test data, labels and metric); \
            each task prompt the runs started from is a row too. A warning says when a task's methods had different budgets. \
            --html writes a page with the table, every seed's test score and the methods' learning curves overlaid.
            """)

    @Argument(help: "Run directories or folders holding them.")
    var directories: [String]

    @Flag(help: "Print JSON instead of Markdown.")
    var json = false

    @Flag(help: "Write a self-contained HTML page (to compare.html, or FILE with -o; - for standard output).")
    var html = false

    @Option(name: [.short, .customLong("output")], help: "Where --html writes the page (default: compare.html).")
    var output: String?

    @Option(help: "Decimals of the scores (shown x100).")
    var digits: Int = 1

    @Flag(name: .customLong("per-run"), help: "Also list every run: its test and dev scores, calls and prompt.")
    var perRun = false

    func validate() throws {
        guard !directories.isEmpty else { throw ValidationError("give at least one run directory or folder of runs") }
        guard !(json && html) else { throw ValidationError("choose one of --json and --html") }
        guard output == nil || html else { throw ValidationError("-o/--output goes with --html") }
        guard (0...6).contains(digits) else { throw ValidationError("--digits must be 0 to 6") }
    }

    func run() throws {
        let comparison = try RunComparison(folders: directories)
        if html {
            try writePage(comparison.html(digits: digits), to: output ?? "compare.html")
        } else if json {
            print(comparison.json.prettyPrinted())
        } else {
            print(comparison.markdown(digits: digits, perRun: perRun), terminator: "")
        }
        for warning in comparison.warnings where !json && html {
            FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
        }
    }
}
