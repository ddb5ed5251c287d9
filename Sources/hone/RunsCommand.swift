import ArgumentParser
import Hone

/// `hone runs [DIR]`: every run under a folder, with its status, scores, calls and wall time.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List every run under a folder: status, best and baseline test scores, calls, cache hits, wall time.",
        discussion: "A run is a directory holding ledger.sqlite; DIR is searched recursively. `running` also covers a run that was killed (`hone resume` continues it).")

    @Argument(help: "The folder to search (default: runs).")
    var folder: String = "runs"

    @Flag(help: "Print JSON instead of a Markdown table.")
    var json = false

    func run() throws {
        let index = try RunIndex(folder: folder)
        print(json ? index.json.prettyPrinted() : index.markdown(relativeTo: folder), terminator: json ? "\n" : "")
    }
}
