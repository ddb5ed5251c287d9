import ArgumentParser
import Foundation
import Hone
import HoneSDK
import Synchronization

/// A counter shared with a signal handler.
final class ManagedAtomicCounter: Sendable {
    private let value = Atomic<Int>(0)
    /// Adds one and returns the new value.
    func increment() -> Int { value.add(1, ordering: .sequentiallyConsistent).newValue }
}

/// `hone run PIPELINE`: optimize, then score baseline and best prompt on the held-out test split.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a pipeline and write DIR/result.json.",
        discussion: "Progress goes to stderr, a short summary to stdout; DIR/ledger.sqlite records the run as it goes. Ctrl-C stops the running stage, which returns its best prompt so far; `hone resume DIR` continues the run.")

    @OptionGroup var options: PipelineOptions

    @Option(name: .customLong("out"), help: "The run directory (default: the config's output_dir, else ./runs/<name>).")
    var out: String?

    func run() throws {
        let config = try PipelineConfig.load(file: options.pipeline)
        let directory = out ?? config.outputDirectory ?? "runs/\(config.name)"
        let runner = try options.makeRunner(outputDirectory: directory)
        let printer = ProgressPrinter()
        runner.onEvent = { printer.handle($0) }
        let interrupt = installInterruptHandler(for: runner)
        defer { interrupt.cancel() }
        let report = try runner.run()
        printer.finish()
        printSummary(report, directory: directory)
    }
}

/// Makes the first Ctrl-C cancel the running stage (which returns its best prompt so far, and
/// the ledger records the run as cancelled, for `hone resume`) and a second one exit at once.
func installInterruptHandler(for runner: PipelineRunner) -> DispatchSourceSignal {
    signal(SIGINT, SIG_IGN)
    let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    let interrupts = ManagedAtomicCounter()
    interrupt.setEventHandler {
        if interrupts.increment() > 1 {
            FileHandle.standardError.write(Data("\ninterrupted again: exiting without a result (`hone resume` continues from the ledger)\n".utf8))
            Foundation.exit(130)
        }
        FileHandle.standardError.write(Data("\ninterrupted: stopping the stage and keeping its best prompt so far (Ctrl-C again to exit at once)\n".utf8))
        runner.cancel()
    }
    interrupt.resume()
    return interrupt
}

/// Prints the run summary `hone run` and `hone resume` end with.
func printSummary(_ report: RunReport, directory: String) {
    var kept = ""
    for (i, stage) in report.stages.enumerated() {
        if let selection = stage.selection, !selection.keepsPick || selection.keepIfWorse && selection.pickScore < selection.startScore {
            kept += "\nstage \(i + 1):         \(selection.sentence)"
        }
    }
    print("""
        pipeline:        \(report.name) (\(report.stages.map(\.plugin).joined(separator: " -> ")))
        metric:          \(report.metric) on \(report.splitSizes.test) held-out test examples
        baseline prompt: \(describe(report.baselinePrompt))
          train \(percent(report.baseline.train))  dev \(percent(report.baseline.dev))  test \(percent(report.baseline.test))
        best prompt:     \(describe(report.bestPrompt))
          train \(percent(report.best.train))  dev \(percent(report.best.dev))  test \(percent(report.best.test))\(kept)
        test gain:       \(HeldOutGain(report: report).summary)
        backend calls:   \(report.backendCalls) (cache hits \(report.usage.cacheHits), texts embedded \(report.usage.itemsComputed))
        wall time:       \(String(format: "%.1f", report.wallSeconds)) s
        result:          \(directory)/result.json
        """)
}

/// A prompt artifact in one line: its text, and how it is applied when that is more than the text.
func describe(_ prompt: PromptArtifact) -> String {
    let text = "\"\(prompt.text)\""
    switch prompt.kind {
    case .text: return text
    case .rendered: return "\(text) (rendered per input by \(prompt.method ?? "?") \(prompt.methodVersion ?? ""))"
    case .embeddingHead: return "\(text) (embedding head in \(prompt.head.map { $0.space.description } ?? "?"), by \(prompt.method ?? "?"))"
    }
}
