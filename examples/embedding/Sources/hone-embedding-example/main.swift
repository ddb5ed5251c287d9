// Embeds Hone: builds a pipeline in code, registers a Swift optimizer, follows the run's
// events, and prints the best prompt with its held-out score. With --resume it continues the
// run recorded in RUN_DIRECTORY instead (after a kill, a cancel or a failure). The walk-through
// is docs/embedding.md; scripts/test.sh builds this program, kills it in the middle of its run
// and resumes it.
//
//     swift run --package-path examples/embedding hone-embedding-example [--resume] [RUN_DIRECTORY]

import Foundation
import Hone
import HoneSDK

// The repository's SST-2 excerpt, found from this file's place in examples/embedding.
let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path
let data = examples + "/data/sst2"
var arguments = Array(CommandLine.arguments.dropFirst())
let resuming = arguments.first == "--resume"
if resuming { arguments.removeFirst() }
let runDirectory = arguments.first ?? NSTemporaryDirectory() + "hone-embedding-example"

// 1. What the program brings: its optimizer, registered under the id the stage names.
var components = HoneComponents()
components.register(optimizer: GreedyPrefixOptimizer.id) { setup in try GreedyPrefixOptimizer(setup: setup) }

// 2. The pipeline, built in code: the same JSON a pipeline.json file holds, checked the same way.
var config = try PipelineConfig(json: [
    "name": "embedding-example",
    "seed": 7,
    "task": [
        "dataset": ["train": .string(data + "/train.tsv"), "dev": .string(data + "/dev.tsv"), "test": .string(data + "/test.tsv")],
        "template": "{prompt} {input}",
        "prompt": "",
        "labels": [["name": "0", "verbalizer": "terrible"], ["name": "1", "verbalizer": "great"]],
    ],
    "backend": ["type": "e5"],
    "stages": [[
        "plugin": .string(GreedyPrefixOptimizer.id),
        "config": ["words": ["Review:", "It was", "In short,", "Movie review:"], "rounds": 2],
        "budget": ["calls": 400],
    ]],
], baseDirectory: examples, components: components)
// ... and edited like any value: a seeded sample of 60 held-out test rows keeps it quick.
config.task.dataset.testSample = 60

// 3. The run: async, on a thread of its own; its events as a stream. Cancelling the task
// would stop it at once; the ledger in the run directory lets a resume continue it, from the
// config recorded there (written back as JSON), with the same components.
let runner = resuming
    ? try PipelineRunner(resuming: runDirectory, components: components)
    : PipelineRunner(config: config, components: components, outputDirectory: runDirectory)
let events = runner.events
async let finished: RunReport? = resuming ? runner.resume() : runner.run()
for await event in events {
    switch event {
    case let .stageStarted(stage, plugin, budget, used, _):
        print("stage \(stage + 1) (\(plugin)) started, budget \(budget.map(String.init) ?? "unlimited") calls, \(used) used before")
    case let .candidateScored(_, split, prompt, score, _, used):
        print(String(format: "  %@ %.3f  \"%@\"  (%d calls)", split, score, prompt, used))
    case let .scored(which, prompt, scores):
        print(String(format: "%@ \"%@\": train %.3f dev %.3f test %.3f", which, prompt, scores.train, scores.dev, scores.test))
    case let .runFinished(status, _, _, calls, seconds, _):
        print("run \(status.rawValue): \(calls ?? 0) backend calls in \(String(format: "%.1f", seconds)) s")
    default:
        break
    }
}
guard let report = try await finished else {
    print("the run in \(runDirectory) had already finished")
    exit(0)
}
print("""
    best prompt:   "\(report.bestPrompt.text)"
    held-out test: \(String(format: "%.3f", report.best.test)) (baseline "\(report.baselinePrompt.text)": \(String(format: "%.3f", report.baseline.test))) on \(report.splitSizes.test) examples
    status:        \(report.status.rawValue); result in \(runDirectory)/result.json
    """)
