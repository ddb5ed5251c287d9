// GRAM acceptance harness (issue 13; benchmarks/gram_acceptance.sh runs it). Not in the test suite.
//
// For each data seed it meta-learns once on an unlabeled pool disjoint from every target (three
// variants: initialization and regulator, initialization only, regulator only), then on each
// target dataset tunes the soft prompt at an equal number of target steps and scores TEST
// examples. Two settings:
//   base-to-new  tune on the first half of the classes (label order), pick on their dev rows;
//                base = test accuracy on base-class rows among base classes, new = on new-class
//                rows among new classes (the paper's protocol), H = their harmonic mean; also the
//                accuracy on every test row among all classes.
//   cross        tune on all classes (cross-dataset transfer of the one meta-learned pool).
// Methods: zero_shot (class prototypes, no tuning), from_zero (soft prompt trained from the
// zero-shot identity with plain SGD), meta_init, regulator, gram.
//
// Test scores use HeadScoring: the host's embedding_head formula on e5 embeddings, computed
// here because the host on this branch cannot yet apply embedding_head artifacts. Embeddings
// come from the embedded e5 model through the host's E5Backend and its shared cache, exactly the
// vectors the host's `embed` would hand the plugin.
import Foundation
import Hone
import HoneSDK
import HonePluginGRAMCore

let env = ProcessInfo.processInfo.environment
func setting(_ key: String, _ fallback: String) -> String { env[key].flatMap { $0.isEmpty ? nil : $0 } ?? fallback }
let dataRoot = setting("DATA", "../shared/data")
let datasets = setting("DATASETS", "agnews trec intent_recognition").split(separator: " ").map(String.init)
let seeds = setting("SEEDS", "16-13 16-21 16-42").split(separator: " ").map(String.init)
let testSample = Int(setting("TEST_SAMPLE", "1000"))!
let tuneSteps = Int(setting("TUNE_STEPS", "50"))!
let evalEvery = Int(setting("EVAL_EVERY", "5"))!
let methodsWanted = Set(setting("METHODS", "zero_shot from_zero meta_init regulator gram").split(separator: " ").map(String.init))
let settingsWanted = Set(setting("SETTINGS", "base_to_new cross").split(separator: " ").map(String.init))
let outPath = setting("OUT", "runs/gram-acceptance/results.jsonl")
var config = GRAMConfig()
if let json = env["GRAM_CONFIG"], !json.isEmpty { config = try GRAMConfig(json: try JSONValue(parsing: json)) }
let poolFiles = config.poolFiles.isEmpty
    ? ["fsc/sst-5/test.tsv", "fsc/cr/test.tsv", "fsc/subj/test.tsv", "relation/semeval/train.txt"].map { "\(dataRoot)/\($0)" }
    : config.poolFiles
let temperature = 0.01

func log(_ s: String) { FileHandle.standardError.write((s + "\n").data(using: .utf8)!) }

// MARK: data

struct Split { var texts: [String]; var labels: [Int] }
struct TargetData { var name: String; var classTexts: [String]; var train: Split; var dev: Split; var test: Split }

func readTSV(_ path: String) throws -> Split {
    let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "\r", with: "")
    var split = Split(texts: [], labels: [])
    for line in text.split(separator: "\n").dropFirst() {
        let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
        guard parts.count >= 2, let label = Int(parts.last!) else { continue }
        split.texts.append(parts.dropLast().joined(separator: "\t"))
        split.labels.append(label)
    }
    return split
}

func sample(_ split: Split, _ count: Int, seed: UInt64) -> Split {
    guard split.texts.count > count else { return split }
    var g = SeededGenerator(seed: seed)
    var idx = Array(split.texts.indices)
    for i in 0..<count { idx.swapAt(i, i + Int(g.next() % UInt64(idx.count - i))) }
    let chosen = idx.prefix(count).sorted()
    return Split(texts: chosen.map { split.texts[$0] }, labels: chosen.map { split.labels[$0] })
}

let fscClasses: [String: [String]] = [
    "agnews": ["World", "Sports", "Business", "Tech"],
    "trec": ["Description", "Entity", "Abbreviation", "Human", "Location", "Number"],
]

func numericSeed(_ seed: String) -> UInt64 { UInt64(seed.split(separator: "-").last!)! }

func load(_ name: String, seed: String) throws -> TargetData {
    if let classes = fscClasses[name] {
        let dir = "\(dataRoot)/fsc/\(name)"
        return TargetData(name: name, classTexts: classes, train: try readTSV("\(dir)/\(seed)/train.tsv"),
                          dev: try readTSV("\(dir)/\(seed)/dev.tsv"), test: sample(try readTSV("\(dir)/test.tsv"), testSample, seed: 2023))
    }
    guard name == "intent_recognition" else { fatalError("unknown dataset \(name)") }
    let document = try JSONValue(parsing: try String(contentsOfFile: "\(dataRoot)/bigbench/intent_recognition/task.json", encoding: .utf8))
    let examples = document["examples"]!.arrayValue!
    let classNames = examples[0]["target_scores"]!.objectValue!.keys.sorted()
    var byClass = [[String]](repeating: [], count: classNames.count)
    for e in examples {
        let scores = e["target_scores"]!.objectValue!
        let label = classNames.firstIndex { scores[$0]?.doubleValue == 1 }!
        byClass[label].append(e["input"]!.stringValue!)
    }
    // 16 train and 16 dev rows per intent drawn with the seed; the rest is test.
    var g = SeededGenerator(seed: numericSeed(seed) &* 7919)
    var train = Split(texts: [], labels: []), dev = train, test = train
    for (label, texts) in byClass.enumerated() {
        var t = texts
        for i in t.indices.reversed() { t.swapAt(i, Int(g.next() % UInt64(i + 1))) }
        for (i, text) in t.enumerated() {
            if i < 16 { train.texts.append(text); train.labels.append(label) }
            else if i < 32 { dev.texts.append(text); dev.labels.append(label) }
            else { test.texts.append(text); test.labels.append(label) }
        }
    }
    return TargetData(name: name, classTexts: classNames.map { $0.replacingOccurrences(of: "_", with: " ") }, train: train, dev: dev, test: test)
}

// MARK: embeddings (the host's E5Backend and its persistent cache)

let backend = try E5Backend(cache: try EmbeddingCache(path: EmbeddingCache.defaultPath()), temperature: temperature)
func embed(_ texts: [String], _ role: EmbeddingRole) throws -> [[Double]] {
    var out: [[Double]] = []
    for start in stride(from: 0, to: texts.count, by: 256) {
        let chunk = Array(texts[start..<min(start + 256, texts.count)])
        out += try backend.embed(chunk, role: role).map { $0.map(Double.init) }
    }
    return out
}

// MARK: run

struct Row: Codable {
    var setting: String, dataset: String, seed: String, method: String
    var base: Double?, new: Double?, harmonic: Double?, all: Double?, accuracy: Double?
    var selectedStep: Int?, devAccuracy: Double?
}

func accuracy(_ head: EmbeddingHead, _ queries: [[Double]], _ labels: [Int]) -> Double {
    let predicted = HeadScoring.predictions(head: head, queries: queries, defaultTemperature: temperature)
    return Double(zip(predicted, labels).filter { $0 == $1 }.count) / Double(max(labels.count, 1))
}

try FileManager.default.createDirectory(atPath: (outPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
_ = FileManager.default.createFile(atPath: outPath, contents: nil)
let output = FileHandle(forWritingAtPath: outPath)!
var rows: [Row] = []
@MainActor func emit(_ row: Row) {
    rows.append(row)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    output.write(try! encoder.encode(row) + Data("\n".utf8))
}

let started = Date()
// Every target text of every seed is excluded from the pool.
var targets: [String: [String: TargetData]] = [:]
var excluded = Set<String>()
for name in datasets {
    for seed in seeds {
        let data = try load(name, seed: seed)
        targets[name, default: [:]][seed] = data
        excluded.formUnion(data.train.texts + data.dev.texts + data.test.texts)
    }
}
let poolTexts = try PoolSource.pool(files: poolFiles, extra: [], excluded: excluded, limit: config.poolSize, seed: 1)
log("pool: \(poolTexts.count) texts from \(poolFiles.joined(separator: ", "))")
let poolQueries = try embed(poolTexts, .query)
log(String(format: "pool embedded (%.0f s)", Date().timeIntervalSince(started)))

for seed in seeds {
    let s = numericSeed(seed)
    let pool = TaskPool.build(embeddings: poolQueries, domainCount: config.domains, classesPerDomain: config.classesPerDomain, seed: s)
    let medoids = pool.medoids
    let medoidVectors = try embed(medoids.map { poolTexts[$0] }, .passage)
    let sampler = try EpisodeSampler(pool: pool, queryEmbeddings: poolQueries, medoidPassages: Dictionary(uniqueKeysWithValues: zip(medoids, medoidVectors)),
                                     ways: config.ways, shots: config.shots, queriesPerClass: config.queriesPerClass)
    let layout = ParameterLayout(dimension: poolQueries[0].count, rank: config.rank)
    let head = SoftPromptHead(layout: layout, temperature: temperature)
    let identity = layout.identity(seed: s)
    var learned: [String: MetaLearner] = [:]
    for (variant, learnInit, learnGain) in [("gram", true, true), ("meta_init", true, false), ("regulator", false, true)] where methodsWanted.contains(variant) {
        var settings = config.meta
        settings.learnInitialization = learnInit
        settings.learnRegulator = learnGain
        var learner = MetaLearner(head: head, settings: settings, initialization: identity)
        let t0 = Date()
        let losses = learner.train(sampler: sampler, steps: config.metaSteps, metaBatch: config.metaBatch, seed: s)
        let g = learner.regulator.gainSummary
        log(String(format: "seed %@ meta %@: query loss %.3f -> %.3f, gain min %.3f mean %.3f max %.3f (%.1f s)", seed, variant,
                   losses.prefix(10).reduce(0, +) / 10, losses.suffix(10).reduce(0, +) / 10, g.min, g.mean, g.max, Date().timeIntervalSince(t0)))
        learned[variant] = learner
    }
    func start(_ method: String) -> ([Double], GradientRegulator) {
        switch method {
        case "meta_init": return (learned[method]!.initialization, GradientRegulator(count: layout.count))
        case "regulator": return (identity, learned[method]!.regulator)
        case "gram": return (learned[method]!.initialization, learned[method]!.regulator)
        default: return (identity, GradientRegulator(count: layout.count))
        }
    }
    for name in datasets {
        let data = targets[name]![seed]!
        let classBase = try embed(data.classTexts, .passage)
        let train = LabeledEmbeddings(classBase: classBase, queries: try embed(data.train.texts, .query), labels: data.train.labels)
        let dev = LabeledEmbeddings(classBase: classBase, queries: try embed(data.dev.texts, .query), labels: data.dev.labels)
        let testQueries = try embed(data.test.texts, .query)
        let classes = classBase.count, baseCount = (classes + 1) / 2
        let baseClasses = Array(0..<baseCount), newClasses = Array(baseCount..<classes)
        for method in ["zero_shot", "from_zero", "meta_init", "regulator", "gram"] where methodsWanted.contains(method) {
            let (theta0, regulator) = start(method)
            let tuner = PromptTuner(head: head, regulator: regulator, learningRate: config.meta.learningRate,
                                    steps: method == "zero_shot" ? 0 : tuneSteps, evaluateEvery: evalEvery)
            if settingsWanted.contains("base_to_new") {
                let outcome = tuner.tune(from: theta0, train: train.restricted(to: baseClasses), selection: dev.restricted(to: baseClasses))
                // The tuned parameters are class-agnostic: apply them to every class's base vector.
                let artifact = GRAMOptimizer.artifact(theta: outcome.theta, head: head, classBase: classBase, space: GRAMOptimizer.defaultSpace, text: "")
                let full = artifact.head!
                func subset(_ cs: [Int]) -> (EmbeddingHead, [[Double]], [Int]) {
                    var h = full
                    h.classVectors = cs.map { full.classVectors[$0] }
                    let rows = data.test.labels.indices.filter { cs.contains(data.test.labels[$0]) }
                    return (h, rows.map { testQueries[$0] }, rows.map { cs.firstIndex(of: data.test.labels[$0])! })
                }
                let (bh, bq, by) = subset(baseClasses), (nh, nq, ny) = subset(newClasses)
                let b = accuracy(bh, bq, by), n = accuracy(nh, nq, ny)
                emit(Row(setting: "base_to_new", dataset: name, seed: seed, method: method, base: b, new: n,
                         harmonic: b + n > 0 ? 2 * b * n / (b + n) : 0, all: accuracy(full, testQueries, data.test.labels),
                         selectedStep: outcome.selectedStep, devAccuracy: outcome.selectionAccuracy))
            }
            if settingsWanted.contains("cross") {
                let outcome = tuner.tune(from: theta0, train: train, selection: dev)
                let artifact = GRAMOptimizer.artifact(theta: outcome.theta, head: head, classBase: classBase, space: GRAMOptimizer.defaultSpace, text: "")
                if method == "gram" && name == datasets[0] && seed == seeds[0] {
                    // One real artifact, as the plugin returns it, for the docs.
                    let path = (outPath as NSString).deletingLastPathComponent + "/artifact-example.json"
                    try Wire.encode(artifact).write(toFile: path, atomically: true, encoding: .utf8)
                }
                emit(Row(setting: "cross", dataset: name, seed: seed, method: method, accuracy: accuracy(artifact.head!, testQueries, data.test.labels),
                         selectedStep: outcome.selectedStep, devAccuracy: outcome.selectionAccuracy))
            }
        }
        log(String(format: "seed %@ %@ done (%.0f s)", seed, name, Date().timeIntervalSince(started)))
    }
}

// MARK: summary table (mean ± sample standard deviation over seeds, in %)

func cell(_ values: [Double]) -> String {
    guard !values.isEmpty else { return "-" }
    let mean = values.reduce(0, +) / Double(values.count)
    let sd = values.count > 1 ? (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)).squareRoot() : 0
    return String(format: "%.1f ± %.1f", 100 * mean, 100 * sd)
}
let methodOrder = ["zero_shot", "from_zero", "meta_init", "regulator", "gram"].filter(methodsWanted.contains)
if settingsWanted.contains("base_to_new") {
    print("\n### Base-to-new (tune on the first half of the classes; test accuracy %, mean ± sd over \(seeds.count) seeds)\n")
    print("| dataset | method | base | new | H | all classes |")
    print("|---|---|---|---|---|---|")
    for name in datasets {
        for m in methodOrder {
            let r = rows.filter { $0.setting == "base_to_new" && $0.dataset == name && $0.method == m }
            let cells: [String] = [name, m, cell(r.compactMap(\.base)), cell(r.compactMap(\.new)), cell(r.compactMap(\.harmonic)), cell(r.compactMap(\.all))]
            print("| " + cells.joined(separator: " | ") + " |")
        }
    }
}
if settingsWanted.contains("cross") {
    print("\n### Cross-dataset (one meta-learned pool; tune and test on each set; test accuracy %)\n")
    print("| method | " + datasets.joined(separator: " | ") + " | mean |")
    print("|---|" + datasets.map { _ in "---|" }.joined() + "---|")
    for m in methodOrder {
        let r = rows.filter { $0.setting == "cross" && $0.method == m }
        let perSet = datasets.map { d in r.filter { $0.dataset == d }.compactMap(\.accuracy) }
        var means: [Double] = []
        for s in seeds {
            let values: [Double] = r.filter { $0.seed == s }.compactMap(\.accuracy)
            if values.count == datasets.count { means.append(values.reduce(0, +) / Double(values.count)) }
        }
        let cells: [String] = [m] + perSet.map(cell) + [cell(means)]
        print("| " + cells.joined(separator: " | ") + " |")
    }
}
log(String(format: "total %.0f s; results in %@", Date().timeIntervalSince(started), outPath))
