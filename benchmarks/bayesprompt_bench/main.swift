// hone-bench-bayesprompt: the BayesPrompt acceptance measurement (issue 12), one
// (dataset, k, data seed) at a time, every particle source at one budget. Not part of the
// test suite; benchmarks/bayesprompt_acceptance.sh drives it.
//
//   hone-bench-bayesprompt <dataset> <k> <data-seed> <plugin.so> <data-dir> <out.jsonl> [conditions]
//
// Each condition is a real `hone` pipeline run (PipelineRunner, the plugin loaded with dlopen,
// the embedded e5 model, the stage's budget counted by the host). The plugin selects its
// artifact on train+dev only. Test scoring: a text artifact is scored by the host; an
// `embedding_head` artifact, which this branch's host cannot yet apply, is scored here with
// the host's formula (HeadClassifier) on the host's own e5 query embeddings of the test
// inputs (the shared embedding cache), and the host's metric (ClassificationMetrics).
import HonePluginBayesPromptCore
import Foundation
import Hone
import HoneSDK

let arguments = CommandLine.arguments
if arguments.count >= 3 && arguments[1] == "perf" {
    try runTiming(arguments)
    exit(0)
}
guard arguments.count >= 7 else {
    FileHandle.standardError.write(Data("usage: hone-bench-bayesprompt <semeval|sst-5|trec> <k> <data-seed> <plugin.so> <data-dir> <out.jsonl> [conditions,comma,separated]\n".utf8))
    exit(2)
}
let dataset = arguments[1], k = arguments[2], dataSeed = arguments[3]
let plugin = arguments[4], outFile = arguments[6]
let dataDirectory = URL(fileURLWithPath: arguments[5]).standardizedFileURL.path
let conditions = arguments.count > 7 ? arguments[7].split(separator: ",").map(String.init) : ["none", "random_unlabeled", "gmm_means", "svgd"]
let work = URL(fileURLWithPath: (outFile as NSString).deletingLastPathComponent).standardizedFileURL.path
try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)

/// SemEval relations with hand-written verbalizers (written before any result was seen).
func semevalLabels() throws -> [JSONValue] {
    let ids = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(dataDirectory)/relation/semeval/rel2id.json"))) as! [String: Int]
    let phrases = [
        "Cause-Effect": "causes", "Component-Whole": "is a component of", "Content-Container": "is contained in",
        "Entity-Destination": "moves into", "Entity-Origin": "comes from", "Instrument-Agency": "is an instrument used by",
        "Member-Collection": "is a member of", "Message-Topic": "is a message about", "Product-Producer": "is produced by",
    ]
    return ids.sorted { $0.value < $1.value }.map { name, _ in
        guard name != "Other", let open = name.firstIndex(of: "(") else { return ["name": .string(name), "verbalizer": "no specific relation"] }
        let phrase = phrases[String(name[..<open])]!
        let forward = name.hasSuffix("(e1,e2)")
        return ["name": .string(name), "verbalizer": .string(forward ? "e1 \(phrase) e2" : "e2 \(phrase) e1")]
    }
}

/// The few-shot sets' unlabeled pool: the inputs of every seed folder's train and dev files
/// (samples of the original training split; never the test file), labels dropped by the loader.
func fscPool(_ name: String) throws -> String {
    let path = "\(work)/pool-\(name).tsv"
    var seen = Set<String>(), lines = ["sentence\tlabel"]
    let folder = "\(dataDirectory)/fsc/\(name)"
    let test = Set(try String(contentsOfFile: "\(folder)/test.tsv", encoding: .utf8).split(whereSeparator: \.isNewline).map { $0.split(separator: "\t").first.map(String.init) ?? "" })
    for seed in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() where seed.hasPrefix("16-") {
        for split in ["train", "dev"] {
            for line in try String(contentsOfFile: "\(folder)/\(seed)/\(split).tsv", encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst() {
                let sentence = line.split(separator: "\t").first.map(String.init) ?? ""
                if !sentence.isEmpty, !test.contains(sentence), seen.insert(sentence).inserted { lines.append(String(line)) }
            }
        }
    }
    try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

var task: JSONValue
let stageExtra: [String: JSONValue]
let budget: Int
switch dataset {
case "semeval":
    let base = "\(dataDirectory)/relation/semeval"
    // POOL_LINES=n uses the first n sentences of the training file as the pool (a time
    // compromise on a shared machine; the default is the whole file, as the paper).
    var pool = "\(base)/train.txt"
    if let lines = ProcessInfo.processInfo.environment["POOL_LINES"].flatMap(Int.init) {
        pool = "\(work)/pool-semeval-\(lines).txt"
        let head = try String(contentsOfFile: "\(base)/train.txt", encoding: .utf8).split(whereSeparator: \.isNewline).prefix(lines)
        try (head.joined(separator: "\n") + "\n").write(toFile: pool, atomically: true, encoding: .utf8)
    }
    task = [
        "dataset": ["format": "semeval", "train": .string("\(base)/k-shot/\(k)-\(dataSeed)/train.txt"), "dev": .string("\(base)/val.txt"),
                    "test": .string("\(base)/test.txt"), "unlabeled": .string(pool)],
        "template": "{prompt} {input}", "prompt": "", "labels": .array(try semevalLabels()),
        "metric": ["type": "micro_f1", "null_label": "Other"],
    ]
    stageExtra = ["null_label": "Other"]
    budget = 9000
case "sst-5", "trec":
    let base = "\(dataDirectory)/fsc/\(dataset)"
    let verbalizers = dataset == "sst-5" ? ["terrible", "bad", "okay", "good", "great"]
        : ["Description", "Entity", "Expression", "Human", "Location", "Number"]
    task = [
        "dataset": ["train": .string("\(base)/\(k)-\(dataSeed)/train.tsv"), "dev": .string("\(base)/\(k)-\(dataSeed)/dev.tsv"),
                    "test": .string("\(base)/test.tsv"), "unlabeled": .string(try fscPool(dataset))],
        "template": "{prompt} {input}", "prompt": "",
        "labels": .array(verbalizers.enumerated().map { ["name": .string("\($0)"), "verbalizer": .string($1)] }),
        "metric": "accuracy",
    ]
    stageExtra = [:]
    budget = 2500
default:
    FileHandle.standardError.write(Data("unknown dataset \(dataset); expected semeval, sst-5 or trec\n".utf8))
    exit(2)
}

// TEST_FILE=path scores a labelled file in the dataset's format instead of the test split
// (tuning on a split the table does not use, e.g. SemEval training sentences outside the pool).
if let testFile = ProcessInfo.processInfo.environment["TEST_FILE"], case .object(var object) = task,
   case .object(var dataset)? = object["dataset"] {
    dataset["test"] = .string(testFile)
    object["dataset"] = .object(dataset)
    task = .object(object)
}
let cache = try EmbeddingCache(path: EmbeddingCache.defaultPath())
let e5 = try E5Backend(cache: cache, temperature: 0.01)
// STAGE_CONFIG='{"key": value, ...}' adds stage config keys to every condition (for tuning
// runs on a seed or split that is not reported; the acceptance table uses the defaults).
let stageOverrides = try ProcessInfo.processInfo.environment["STAGE_CONFIG"].map { try JSONValue(parsing: $0).objectValue ?? [:] } ?? [:]
for condition in conditions {
    var stageConfig = stageExtra.merging(stageOverrides) { $1 }
    stageConfig["particles"] = .string(condition)
    let pipeline: JSONValue = [
        "name": .string("bayesprompt-\(dataset)-\(k)-\(dataSeed)-\(condition)"),
        "seed": .number(Double(UInt64(dataSeed) ?? 1)),
        "task": task,
        "backend": ["type": "e5", "temperature": 0.01],
        "stages": [["plugin": "org.hone.bayesprompt", "config": .object(stageConfig), "budget": ["calls": .number(Double(budget))]]],
    ]
    let config = try PipelineConfig(json: pipeline, baseDirectory: work)
    let runner = PipelineRunner(config: config, searchPath: PluginSearchPath(entries: [plugin]))
    let started = Date()
    let report = try runner.run()
    let stage = report.stages[0]
    let artifact = stage.bestPrompt
    var test = report.best.test
    var scoredBy = "host"
    if artifact.kind == .embeddingHead, let head = artifact.head {
        let splits = try DatasetLoader.load(config.task.dataset, labels: config.task.labels, seed: config.seed)
        let template = PromptTemplate(template: config.task.template)
        let names = config.task.labels.map(\.name)
        let vectors = try e5.embed(splits.test.map { template.render(prompt: artifact.text, input: $0.input) }, role: .query)
        let predicted = HeadClassifier(head: head, fallbackTemperature: 0.01).predict(FeatureMatrix(vectors: vectors))
        let gold = splits.test.map { names.firstIndex(of: $0.label)! }
        test = ClassificationMetrics.compute(config.task.metric, gold: gold, predicted: predicted, labelCount: names.count,
                                             nullLabel: config.task.nullLabel.flatMap { names.firstIndex(of: $0) })
        scoredBy = "harness (host formula, host e5 embeddings)"
    }
    let line: JSONValue = [
        "dataset": .string(dataset), "k": .string(k), "seed": .string(dataSeed), "condition": .string(condition),
        "test": .number(test), "test_scored_by": .string(scoredBy), "zero_shot_test": .number(report.baseline.test),
        "used_calls": .number(Double(stage.usedCalls)), "budget": .number(Double(budget)),
        "test_size": .number(Double(report.splitSizes.test)), "wall_seconds": .number(Date().timeIntervalSince(started)),
        "summary": stage.summary ?? .null, "artifact_data": artifact.data ?? .null,
    ]
    let handle = FileHandle(forWritingAtPath: outFile) ?? {
        FileManager.default.createFile(atPath: outFile, contents: nil)
        return FileHandle(forWritingAtPath: outFile)!
    }()
    handle.seekToEndOfFile()
    handle.write(Data((line.serialized() + "\n").utf8))
    handle.closeFile()
    print("\(dataset) k=\(k) seed=\(dataSeed) \(condition): test \(String(format: "%.4f", test)) (zero-shot \(String(format: "%.4f", report.baseline.test))), \(stage.usedCalls) calls, \(String(format: "%.0f", Date().timeIntervalSince(started))) s")
    // Every artifact is kept, so the host can score it on test itself once it applies heads.
    try FileManager.default.createDirectory(atPath: "\(work)/artifacts", withIntermediateDirectories: true)
    try (try Wire.encode(artifact)).write(toFile: "\(work)/artifacts/\(dataset)-\(k)-\(dataSeed)-\(condition).json", atomically: true, encoding: .utf8)
}
