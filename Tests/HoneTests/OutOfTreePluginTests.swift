import Foundation
import HoneSDK
import XCTest

/// The two example plugins of `SDK/examples/`, built out of tree after the host, load into the
/// built `hone` through `HONE_PLUGIN_PATH` and run: a third-party plugin never needs the host
/// rebuilt. The builds happen once per test run (about a minute, mostly the Swift example).
final class OutOfTreePluginTests: XCTestCase {
    private static let randomSearchID = "org.hone.random-search"
    private static let swiftGreedyID = "org.hone.example.swift-greedy"

    /// Removes the scratch folder of the builds once every test of the class ran.
    override class func tearDown() {
        OutOfTreeBuild.removeScratch()
        super.tearDown()
    }

    /// HONE_PLUGIN_PATH with both out-of-tree plugin folders.
    private func pluginPath(_ products: OutOfTreeBuild.Products) -> String {
        "\(products.cPluginDirectory.path):\(products.swiftPluginDirectory.path)"
    }

    func testBothExamplesExportOnlyTheEntryFunction() throws {
        let products = try OutOfTreeBuild.products()
        let libraries = [
            products.cPluginDirectory.appendingPathComponent("libhone_random_search.so"),
            products.swiftPluginDirectory.appendingPathComponent("libHoneSwiftGreedy.so"),
        ]
        for library in libraries {
            let nm = try TestEnvironment.run(["nm", "-D", "--defined-only", library.path], directory: products.root.path)
            XCTAssertEqual(nm.status, 0, nm.stderr)
            let globalFunctions = nm.stdout.split(separator: "\n").compactMap { line -> String? in
                let fields = line.split(separator: " ")
                return fields.count == 3 && fields[1] == "T" ? String(fields[2]) : nil
            }
            XCTAssertEqual(globalFunctions, ["hone_plugin_entry_v1"], library.lastPathComponent)
        }
    }

    func testPluginsListShowsBothOutOfTreePluginsFromHonePluginPath() throws {
        let products = try OutOfTreeBuild.products()
        let hone = TestEnvironment.honeExecutable
        let list = try TestEnvironment.run([hone, "plugins", "list", "--json"], environment: ["HONE_PLUGIN_PATH": pluginPath(products)],
                                            directory: products.root.path)
        XCTAssertEqual(list.status, 0, list.stderr)
        let document = try JSONValue(parsing: list.stdout)
        let plugins = document["plugins"]?.arrayValue ?? []
        func plugin(_ id: String) -> JSONValue? { plugins.first { $0["id"]?.stringValue == id } }

        let c = try XCTUnwrap(plugin(Self.randomSearchID), "random search missing from \(list.stdout)")
        XCTAssertEqual(c["toolchain"]?.stringValue, "c")
        XCTAssertEqual(c["capabilities"], [], "random search calls no backend itself; the host checks what the task needs")
        XCTAssertEqual(c["file"]?.stringValue, products.cPluginDirectory.appendingPathComponent("libhone_random_search.so").path,
                       "the out-of-tree build comes first on the search path, before the built-in copy")
        XCTAssertEqual(c["config_schema"]?["properties"]?["prompt_length"]?["default"], 5)

        let swift = try XCTUnwrap(plugin(Self.swiftGreedyID), "Swift example missing from \(list.stdout)")
        XCTAssertEqual(swift["toolchain"]?.stringValue, SwiftToolchain.identifier)
        XCTAssertEqual(swift["file"]?.stringValue, products.swiftPluginDirectory.appendingPathComponent("libHoneSwiftGreedy.so").path)

        // The built-in random search next to `hone` claims the same id and is refused, naming both files.
        for refusal in document["refused"]?.arrayValue ?? [] {
            XCTAssertEqual(refusal["reason"]?.stringValue, "duplicateID", "unexpected refusal: \(refusal.serialized())")
            XCTAssertTrue(refusal["message"]?.stringValue?.contains("libhone_random_search.so") ?? false)
        }
    }

    func testHoneRunsBothOutOfTreePluginsAsTwoStagesWithinTheirBudgets() throws {
        let products = try OutOfTreeBuild.products()
        let hone = TestEnvironment.honeExecutable
        let work = products.root.appendingPathComponent("run-\(UUID().uuidString)")
        let pipeline = try Self.writeTinyPipeline(in: work)
        let out = work.appendingPathComponent("out")

        let run = try TestEnvironment.run([hone, "run", pipeline.path, "--out", out.path, "--no-cache"],
                                           environment: ["HONE_PLUGIN_PATH": pluginPath(products)], directory: work.path)
        XCTAssertEqual(run.status, 0, "hone run failed:\n\(run.stdout)\n\(run.stderr)")
        let data = try Data(contentsOf: out.appendingPathComponent("result.json"))
        let result = try JSONValue(parsingUTF8: Array(data))

        let stages = result["stages"]?.arrayValue ?? []
        XCTAssertEqual(stages.map { $0["plugin"]?.stringValue }, [Self.randomSearchID, Self.swiftGreedyID])
        for (stage, budget) in zip(stages, [24, 40]) {
            let used = try XCTUnwrap(stage["used_calls"]?.intValue)
            XCTAssertGreaterThan(used, 0, "stage \(stage["plugin"]!.serialized()) scored nothing")
            XCTAssertLessThanOrEqual(used, budget)
            XCTAssertNotNil(stage["summary"]?["stopped"]?.stringValue)
        }
        // Random search: 2 rounds of 2 prompts on 4 train examples, then its best 1 on 4 dev examples.
        XCTAssertEqual(stages.first?["summary"]?["prompts_evaluated"], 4)
        XCTAssertEqual(stages.first?["summary"]?["dev_reranked"], 1)
        XCTAssertEqual(stages.first?["best_prompt"]?["method"]?.stringValue, Self.randomSearchID)
        let firstTokens = stages.first?["best_prompt"]?["text"]?.stringValue?.split(separator: " ").count
        XCTAssertEqual(firstTokens, 3)
        XCTAssertNotNil(stages.first?["curve"]?.arrayValue?.first?["best_train"]?.doubleValue)

        let best = try XCTUnwrap(result["best_prompt_text"]?.stringValue)
        XCTAssertEqual(best.split(separator: " ").count, 3, "both stages keep the 3-token length")
        for split in ["train", "dev", "test"] {
            XCTAssertNotNil(result["scores"]?["best"]?[split]?.doubleValue, "scores.best.\(split) missing")
        }
    }

    /// A pipeline on a 4/4/4-example toy sentiment task: random search (3-token prompts, 24
    /// calls) then the Swift greedy ascent from its best (40 calls), on the embedded e5 backend.
    private static func writeTinyPipeline(in directory: URL) throws -> URL {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let rows = [
            "train": [("a wonderful, moving film", 1), ("dull and far too long", 0), ("great acting and a smart script", 1), ("a boring mess", 0)],
            "dev": [("truly delightful", 1), ("painfully bad", 0), ("an excellent story", 1), ("tedious and flat", 0)],
            "test": [("I loved every minute", 1), ("awful from start to end", 0), ("a charming little movie", 1), ("a waste of time", 0)],
        ]
        for (split, examples) in rows {
            let text = "sentence\tlabel\n" + examples.map { "\($0.0)\t\($0.1)\n" }.joined()
            try text.write(to: directory.appendingPathComponent("\(split).tsv"), atomically: true, encoding: .utf8)
        }
        let pipeline: JSONValue = [
            "name": "out-of-tree",
            "seed": 7,
            "task": [
                "dataset": ["format": "tsv", "train": "train.tsv", "dev": "dev.tsv", "test": "test.tsv"],
                "template": "{prompt} {input}",
                "labels": [["name": "0", "verbalizer": "terrible"], ["name": "1", "verbalizer": "great"]],
                "metric": "accuracy",
            ],
            "backend": ["type": "e5"],
            "stages": [
                [
                    "plugin": .string(randomSearchID),
                    "config": ["prompt_length": 3, "candidates_per_round": 2, "rounds": 2, "dev_top_k": 1],
                    "budget": ["calls": 24],
                ],
                [
                    "plugin": .string(swiftGreedyID),
                    "config": ["prompt_length": 3, "sweeps": 1, "candidates_per_step": 2],
                    "budget": ["calls": 40],
                ],
            ],
        ]
        let file = directory.appendingPathComponent("pipeline.json")
        try pipeline.prettyPrinted().write(to: file, atomically: true, encoding: .utf8)
        return file
    }
}
