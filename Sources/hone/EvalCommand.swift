import ArgumentParser
import Hone
import HoneSDK

/// `hone eval PIPELINE --prompt TEXT | --artifact FILE`: score one prompt on a split.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score one prompt or prompt artifact on the pipeline's test split (no optimization).",
        discussion: "--artifact reads a prompt artifact (a run's best_prompt.json, or `hone export --format artifact|json`); a rendered artifact is rendered per input by its plugin, an embedding_head is applied by the embedding classifier.")

    @OptionGroup var options: PipelineOptions

    @Option(help: "The prompt text to put in the template's {prompt} slot.")
    var prompt: String?

    @Option(help: "A prompt artifact file to score instead of --prompt.")
    var artifact: String?

    @Option(help: "The split to score on: test (default), dev or train.")
    var split: String = "test"

    func validate() throws {
        guard ["train", "dev", "test"].contains(split) else {
            throw ValidationError("--split must be train, dev or test")
        }
        guard (prompt == nil) != (artifact == nil) else {
            throw ValidationError("give exactly one of --prompt TEXT and --artifact FILE")
        }
    }

    func run() throws {
        let runner = try options.makeRunner()
        let config = runner.config
        let chosen = try artifact.map { try ArtifactFile(path: $0).artifact } ?? PromptArtifact(text: prompt ?? "")
        let splits = try DatasetLoader.load(config.task.dataset, labels: config.task.labels, seed: config.seed)
        let application = try ArtifactApplication(runner: runner)
        let examples = split == "test" ? splits.test : split == "dev" ? splits.dev : splits.train
        let score = try application.score(chosen, on: examples)
        let failed = score.failed.map { " (\($0) failed)" } ?? ""
        print("\(config.task.metric) on \(split) (\(examples.count) examples\(failed)): \(percent(score.score))")
    }
}
