import ArgumentParser
import Foundation
import Hone

/// `hone export RUN_DIR`: the optimized prompt of a finished run, as plain text, as the filled
/// task template, or as JSON with its provenance.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a finished run's optimized prompt: as text, as the filled template, or as JSON with its provenance.",
        discussion: """
            --format text prints the prompt alone; --format template prints the task template with the prompt \
            filled in and {input} kept; --format json adds where the prompt came from: the run, its config and \
            SHA-256, the backend, the stages, and the baseline and best scores on train, dev and test; \
            --format artifact prints the prompt artifact alone (for `hone eval --artifact` and `hone apply --artifact`). \
            A rendered or embedding_head artifact has no single filled template: export it as artifact or json.
            """)

    @Argument(help: "The run directory `hone run` wrote (holding ledger.sqlite).")
    var runDirectory: String

    @Option(help: "text, template, json or artifact.")
    var format: PromptExport.Format = .text

    @Option(name: [.short, .long], help: "Write to this file instead of standard output.")
    var output: String?

    func run() throws {
        let export = try PromptExport(directory: runDirectory)
        warnAboutLedger(export.ledgerProblem)
        let text = try export.rendered(format)
        guard let output else {
            print(text, terminator: "")
            return
        }
        do {
            try text.write(toFile: output, atomically: true, encoding: .utf8)
        } catch {
            throw ValidationError("could not write \(output): \(error.localizedDescription)")
        }
    }
}

extension PromptExport.Format: ExpressibleByArgument {}
