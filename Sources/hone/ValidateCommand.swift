import ArgumentParser
import Hone

/// `hone validate PIPELINE`: check a pipeline without scoring anything.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a pipeline: config, data, plugins, stage schemas, each plugin's own check of its config (create, no run) and backend capabilities.")

    @OptionGroup var options: PipelineOptions

    func run() throws {
        let runner = try options.makeRunner()
        let prepared = try runner.validate()
        print("ok: \(runner.config.name): train \(prepared.splits.train.count), dev \(prepared.splits.dev.count), test \(prepared.splits.test.count) examples; backend \(prepared.backend.name); stages \(prepared.optimizers.map(\.id).joined(separator: " -> "))")
    }
}
