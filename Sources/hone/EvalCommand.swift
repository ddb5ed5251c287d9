import ArgumentParser
import Hone
import HoneSDK

/// `hone eval PIPELINE --prompt TEXT`: score one prompt on the test split.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score one prompt on the pipeline's test split (no optimization).")

    @OptionGroup var options: PipelineOptions

    @Option(help: "The prompt text to put in the template's {prompt} slot.")
    var prompt: String

    @Option(help: "The split to score on: test (default), dev or train.")
    var split: String = "test"

    func run() throws {
        guard ["train", "dev", "test"].contains(split) else {
            throw ValidationError("--split must be train, dev or test")
        }
        let runner = try options.makeRunner()
        let config = runner.config
        let splits = try DatasetLoader.load(config.task.dataset, labels: config.task.labels, seed: config.seed)
        let backend = try runner.openBackend()
        let evaluator = ClassificationEvaluator(
            backend: backend, template: config.task.template, labels: config.task.labels,
            metric: config.task.metric, maxFailureRate: config.task.maxFailureRate, nullLabel: config.task.nullLabel)
        let examples = split == "test" ? splits.test : split == "dev" ? splits.dev : splits.train
        let score = try evaluator.evaluate([PromptArtifact(text: prompt)], on: examples.enumerated().map { (index: $0, example: $1) }, details: false)[0].score
        print("\(config.task.metric) on \(split) (\(examples.count) examples): \(percent(score))")
    }
}
