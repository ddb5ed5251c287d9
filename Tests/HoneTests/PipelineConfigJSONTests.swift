import Foundation
import HoneSDK
import XCTest

@testable import Hone

/// Configs written back as JSON (`PipelineConfig.json`) load back to equal configs: every
/// example config, and configs edited in code in every part.
final class PipelineConfigJSONTests: XCTestCase {
    /// `config` written as JSON text and read back (from the same folder).
    private func roundTripped(_ config: PipelineConfig, components: HoneComponents = HoneComponents()) throws -> PipelineConfig {
        try PipelineConfig(json: try JSONValue(parsing: config.jsonText), baseDirectory: config.baseDirectory, components: components)
    }

    func testEveryExampleConfigRoundTripsThroughJSON() throws {
        let folder = TestEnvironment.repository + "/examples"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 5)
        for file in files {
            let config = try PipelineConfig.load(file: folder + "/" + file)
            let again = try roundTripped(config)
            XCTAssertEqual(again, config, file)
            XCTAssertEqual(again.jsonText, config.jsonText, "\(file): writing is stable")
            // Paths are written resolved, so the text loads the same from any folder.
            XCTAssertEqual(try PipelineConfig(json: config.json, baseDirectory: "/elsewhere").task.dataset, config.task.dataset, file)
        }
    }

    func testConfigsEditedInCodeRoundTripThroughJSON() throws {
        var config = try PipelineConfig.load(file: TestEnvironment.repository + "/examples/sst2.json")
        config.name = "edited"
        config.seed = 99
        config.outputDirectory = "/tmp/runs/edited"
        config.pluginPaths = ["/opt/hone/plugins"]
        config.task.prompt = "Review:"
        config.task.template = "{input} All in all, {prompt}"
        config.task.labels = [TaskLabel(name: "0", verbalizer: "bad"), TaskLabel(name: "1", verbalizer: "good")]
        config.task.metricSpec = .macroF1
        config.task.maxFailureRate = 0.1
        config.task.dataset.testSample = 50
        config.task.dataset.badRows = .skip
        config.task.dataset.quoting = .rfc4180
        config.task.dataset.columns = ColumnMapping(inputNames: ["sentence", "text"], labelNames: ["label"])
        config.backend.temperature = 0.05
        config.backend.batchSize = 32
        config.cache.path = "/tmp/c.sqlite"
        config.cache.enabled = false
        var second = config.stages[0]
        second.plugin = "org.hone.gram"
        second.config = ["steps": 3]
        second.budgetCalls = 10
        second.path = "$.stages[1]"
        config.stages[0].keepIfWorse = true
        config.stages[0].budgetCalls = nil
        config.stages.append(second)
        XCTAssertEqual(try roundTripped(config), config)

        // One source file divided by a split, with its own test file, an unlabeled pool and a
        // null label; and a generation task with its settings.
        var split = try PipelineConfig.load(file: TestEnvironment.repository + "/examples/agnews.json")
        split.task.dataset.file = "/data/all.tsv"
        split.task.dataset.train = "/data/all.tsv"
        split.task.dataset.dev = "/data/all.tsv"
        split.task.dataset.split = SplitConfig(sizes: .perClass(train: 8, dev: 4), seed: 5)
        split.task.dataset.unlabeled = "/data/pool.tsv"
        split.task.metricSpec = .microF1(nullLabel: "3")
        split.task.nullLabel = "3"
        XCTAssertEqual(try roundTripped(split), split)
        split.task.dataset.split = SplitConfig(sizes: .fractions(train: 0.5, dev: 0.25))
        split.task.dataset.hasTestFile = false
        split.task.dataset.test = "/data/all.tsv"
        XCTAssertEqual(try roundTripped(split), split)

        var generation = try PipelineConfig.load(file: TestEnvironment.repository + "/examples/cnndm-extractive.json")
        generation.task.generation = GenerationSettings(maxTokens: 64, temperature: 0.7, system: "Be brief.", stop: ["\n\n"])
        generation.task.metricSpec = .generation(.bleu)
        XCTAssertEqual(try roundTripped(generation), generation)
        generation.backend.settings = ["type": "extractive-e5", "sentences": 2]
        XCTAssertEqual(try roundTripped(generation).backend.settings["sentences"], 2)
    }

    func testAConfigNamingAProgramsBackendAndMetricRoundTripsWithItsComponents() throws {
        var components = HoneComponents()
        try components.register(backend: "last-words") { try ProgramComponents.LastWordsBackend(settings: $0.settings) }
        try components.register(metric: "word_recall") { ProgramComponents.wordRecall(generated: $0, reference: $1) }
        let json: JSONValue = [
            "task": ["type": "generation", "dataset": ["train": "/a.tsv", "dev": "/b.tsv", "test": "/c.tsv"], "metric": "word_recall"],
            "backend": ["type": "last-words", "words": 5],
            "stages": [["plugin": "com.example.prompt-list", "config": ["prompts": ["a"]]]],
        ]
        let config = try PipelineConfig(json: json, baseDirectory: "/", components: components)
        XCTAssertEqual(config.backend.json["words"], 5)
        XCTAssertEqual(try roundTripped(config, components: components), config)
        XCTAssertThrowsError(try roundTripped(config), "without the components the names are unknown")
    }

    func testARunnerBuiltFromAConfigRecordsItsJSON() throws {
        let config = try PipelineConfig.load(file: TestEnvironment.repository + "/examples/sst2.json")
        XCTAssertEqual(PipelineRunner(config: config).configJSON, config.jsonText)
        let file = TestEnvironment.repository + "/examples/sst2.json"
        XCTAssertEqual(try PipelineRunner(configFile: file).configJSON, try String(contentsOfFile: file, encoding: .utf8), "a file's text is recorded as given")
    }
}
