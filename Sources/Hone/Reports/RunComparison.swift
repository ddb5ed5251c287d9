import Foundation
import HoneSDK

/// What `hone compare` prints: methods x tasks, each cell the test score's mean and spread
/// over seeds, with the budget each method had and the calls it used, a warning wherever the
/// methods of a task had different budgets (a comparison is only fair at equal budget), and
/// the learning curves of every method overlaid (`html`).
///
/// Runs are grouped by their recorded configs (see `ComparedRun`): runs that differ only in
/// the seed (the config's `seed` and its train and dev data) are seeds of one method on one
/// task. Each distinct baseline prompt of a task is a row of its own (a fixed prompt, no
/// budget), scored once per seed. Only runs with a best prompt scored on test are compared.
public struct RunComparison: Sendable {
    /// One method (or fixed prompt) on one task, over its seeds.
    public struct Row: Sendable {
        /// The task's label (from its test data's path).
        public var task: String
        /// The method's label: the run directories' common name, else the stages' plugins; a
        /// fixed prompt is `prompt "…"`.
        public var method: String
        /// Whether this row is a task prompt the host scored (a run's baseline), not an optimizer.
        public var isFixedPrompt: Bool
        /// The sum of the stages' budgets (nil: unlimited; 0 for a fixed prompt).
        public var budgetCalls: Int?
        /// One entry per seed, in seed order.
        public var seeds: [Seed]

        /// One seed's result.
        public struct Seed: Sendable {
            /// The seed's label: `seed N`, or the train data's folder when seeds differ in their data.
            public var label: String
            /// The run directory it comes from.
            public var directory: String
            /// The prompt, and its train, dev and test scores.
            public var prompt: String
            /// Its scores.
            public var scores: SplitScores
            /// Calls the stages used (0 for a fixed prompt).
            public var usedCalls: Int
            /// Test rows scored.
            public var testRows: Int?
        }

        /// Mean test score over seeds.
        public var testMean: Double { seeds.map(\.scores.test).reduce(0, +) / Double(max(seeds.count, 1)) }
        /// Population standard deviation of the test scores over seeds (0 with one seed).
        public var testSpread: Double {
            let m = testMean
            return (seeds.map { ($0.scores.test - m) * ($0.scores.test - m) }.reduce(0, +) / Double(max(seeds.count, 1))).squareRoot()
        }
        /// Mean calls the stages used.
        public var meanUsedCalls: Double { Double(seeds.map(\.usedCalls).reduce(0, +)) / Double(max(seeds.count, 1)) }
        /// Per split, the mean over seeds of the best score so far at each of `grid`'s call counts
        /// (nil where a seed has no score yet), and each seed's own curve.
        var curves: [String: [[CandidateCurve.Point]]] = [:]
    }

    /// Rows, task by task: fixed prompts first, then methods by label.
    public var rows: [Row]
    /// Where the comparison is unfair or thin: different budgets or test sets within a task,
    /// methods with fewer seeds than others, repeated seeds.
    public var warnings: [String]
    /// Runs left out, with the reason (not finished, no config).
    public var skipped: [(directory: String, reason: String)]
    /// The metric (of the first run; a warning says when tasks differ).
    public var metric: String

    /// Compares every run under each of `folders` (a run directory or a folder holding some).
    public init(folders: [String]) throws {
        var runs: [ComparedRun] = []
        var skipped: [(String, String)] = []
        var seen = Set<String>()
        for folder in folders {
            for directory in try RunIndex.runDirectories(under: folder) where seen.insert(directory).inserted {
                do {
                    switch try ComparedRun.read(directory) {
                    case .success(let run): runs.append(run)
                    case .failure(let skip): skipped.append((skip.directory, skip.reason))
                    }
                } catch {
                    skipped.append((directory, "\(error)"))
                }
            }
        }
        self.skipped = skipped
        metric = runs.first?.metric ?? "score"
        (rows, warnings) = Self.group(runs)
        if Set(runs.map(\.metric)).count > 1 {
            warnings.append("the runs use different metrics (\(Set(runs.map(\.metric)).sorted().joined(separator: ", "))); each task's rows share one")
        }
    }

    private static func group(_ runs: [ComparedRun]) -> ([Row], [String]) {
        var warnings: [String] = []
        let taskKeys = unique(runs.map(\.taskKey))
        let taskLabels = labels(forPaths: taskKeys.map { key in runs.first { $0.taskKey == key }!.taskPath })
        var rows: [Row] = []
        for (taskKey, taskLabel) in zip(taskKeys, taskLabels) {
            let mine = runs.filter { $0.taskKey == taskKey }
            let seedLabel = seedLabeler(mine)
            var taskRows: [Row] = []
            // Fixed prompts: each distinct baseline, once per seed.
            for key in unique(mine.map(\.baselineKey)) {
                let group = mine.filter { $0.baselineKey == key }
                var bySeed: [String: ComparedRun] = [:]
                for r in group where bySeed[r.seedKey] == nil { bySeed[r.seedKey] = r }
                let seeds = bySeed.values.map { r in
                    Row.Seed(label: seedLabel(r), directory: r.directory, prompt: r.baseline.prompt.text, scores: r.baseline.scores, usedCalls: 0, testRows: r.testRows)
                }
                taskRows.append(Row(task: taskLabel, method: "prompt \"\(group[0].baseline.prompt.text)\"", isFixedPrompt: true, budgetCalls: 0,
                                    seeds: sortSeeds(seeds, runs: group, label: seedLabel)))
            }
            var methodRows: [Row] = []
            for key in unique(mine.map(\.methodKey)) {
                let group = mine.filter { $0.methodKey == key }
                let names = Set(group.map { ($0.directory as NSString).lastPathComponent })
                let label = names.count == 1 ? names.first! : group[0].plugins.joined(separator: " -> ")
                var row = Row(task: taskLabel, method: label, isFixedPrompt: false, budgetCalls: group[0].budgetCalls,
                              seeds: sortSeeds(group.map { r in
                                  Row.Seed(label: seedLabel(r), directory: r.directory, prompt: r.best.prompt.text, scores: r.best.scores, usedCalls: r.usedCalls, testRows: r.testRows)
                              }, runs: group, label: seedLabel))
                for split in ["train", "dev"] {
                    row.curves[split] = row.seeds.map { seed in
                        let curve = group.first { $0.directory == seed.directory }?.curves[split] ?? []
                        var best = -Double.infinity
                        return curve.compactMap { p in
                            guard p.score > best || p == curve.last else { return nil }
                            best = max(best, p.score)
                            var q = p
                            q.score = best
                            return q
                        }
                    }
                }
                let repeated = Dictionary(grouping: row.seeds, by: \.label).filter { $0.value.count > 1 }
                for (seed, entries) in repeated.sorted(by: { $0.key < $1.key }) {
                    warnings.append("\(taskLabel) / \(label): \(seed) appears \(entries.count) times (\(entries.map(\.directory).joined(separator: ", "))); each counts as a seed")
                }
                methodRows.append(row)
            }
            disambiguate(&methodRows)
            methodRows.sort { $0.method < $1.method }
            disambiguate(&taskRows)
            taskRows += methodRows
            warnings += fairness(taskLabel, taskRows)
            rows += taskRows
        }
        return (rows, warnings)
    }

    /// Warnings about one task's rows: different budgets, test set sizes or seed counts.
    private static func fairness(_ task: String, _ rows: [Row]) -> [String] {
        var warnings: [String] = []
        let methods = rows.filter { !$0.isFixedPrompt }
        let budgets = Set(methods.map { $0.budgetCalls.map(String.init) ?? "unlimited" })
        if budgets.count > 1 {
            let listed = methods.map { "\($0.method) \($0.budgetCalls.map { "\($0) calls" } ?? "unlimited")" }.joined(separator: ", ")
            warnings.append("\(task): the methods had different budgets (\(listed)); a comparison is only fair at equal budget")
        } else if budgets == ["unlimited"], let lo = methods.map(\.meanUsedCalls).min(), let hi = methods.map(\.meanUsedCalls).max(), hi > lo * 1.1 {
            warnings.append("\(task): the methods had no budget and used different numbers of calls (\(methods.map { "\($0.method) \(Int($0.meanUsedCalls))" }.joined(separator: ", "))); a comparison is only fair at equal budget")
        }
        let testRows = Set(rows.flatMap { $0.seeds.compactMap(\.testRows) })
        if testRows.count > 1 {
            warnings.append("\(task): the runs scored test sets of different sizes (\(testRows.sorted().map(String.init).joined(separator: ", ")) rows)")
        }
        let counts = Set(rows.map(\.seeds.count))
        if counts.count > 1 {
            warnings.append("\(task): the rows have different numbers of seeds (\(rows.map { "\($0.method) \($0.seeds.count)" }.joined(separator: ", ")))")
        }
        return warnings
    }

    /// Seeds ordered by the config's seed number, then label.
    private static func sortSeeds(_ seeds: [Row.Seed], runs: [ComparedRun], label: (ComparedRun) -> String) -> [Row.Seed] {
        func number(_ s: Row.Seed) -> UInt64 { runs.first { $0.directory == s.directory }?.seed ?? 0 }
        return seeds.sorted { (number($0), $0.label) < (number($1), $1.label) }
    }

    /// How a task's seeds are labelled: by the train data's folder when seeds differ in their
    /// train data (few-shot splits), else `seed N`.
    private static func seedLabeler(_ runs: [ComparedRun]) -> (ComparedRun) -> String {
        let trainPaths = Set(runs.compactMap(\.trainPath))
        if trainPaths.count > 1 {
            return { r in
                let folder = r.trainPath.map { (($0 as NSString).deletingLastPathComponent as NSString).lastPathComponent } ?? "?"
                return r.seed.map { "\(folder) (seed \($0))" } ?? folder
            }
        }
        return { r in r.seed.map { "seed \($0)" } ?? "seed ?" }
    }

    /// Labels for tasks from their data paths: the shortest tail of folders that tells them
    /// apart, leaving out a file name they all share (`…/sst-2/test.tsv` -> `sst-2`).
    static func labels(forPaths paths: [String]) -> [String] {
        let parts = paths.map { path -> [String] in
            var components = (path as NSString).pathComponents.filter { $0 != "/" }
            if let last = components.last { components[components.count - 1] = (last as NSString).deletingPathExtension }
            return components
        }
        let sameFile = Set(parts.compactMap(\.last)).count == 1 && parts.allSatisfy { $0.count > 1 }
        let trimmed = parts.map { sameFile ? Array($0.dropLast()) : $0 }
        var depth = 1
        while depth < (trimmed.map(\.count).max() ?? 1) {
            let tails = trimmed.map { $0.suffix(depth).joined(separator: "/") }
            if Set(tails).count == tails.count { break }
            depth += 1
        }
        var labels = trimmed.map { $0.suffix(depth).joined(separator: "/") }
        for (i, label) in labels.enumerated() where labels.filter({ $0 == label }).count > 1 {
            labels[i] = label + " #\(labels[..<i].filter { $0.hasPrefix(label) }.count + 1)"
        }
        return labels
    }

    /// Makes the rows' method labels unique by numbering repeats.
    private static func disambiguate(_ rows: inout [Row]) {
        var seen: [String: Int] = [:]
        for name in rows.map(\.method) { seen[name, default: 0] += 1 }
        var counter: [String: Int] = [:]
        for i in rows.indices where seen[rows[i].method]! > 1 {
            counter[rows[i].method, default: 0] += 1
            rows[i].method += " #\(counter[rows[i].method]!)"
        }
    }

    private static func unique(_ keys: [String]) -> [String] {
        var seen = Set<String>()
        return keys.filter { seen.insert($0).inserted }
    }

    /// The tasks, in order.
    public var tasks: [String] { Self.unique(rows.map(\.task)) }

    /// A score for the tables: x100 with `digits` decimals.
    static func percent(_ x: Double, digits: Int) -> String { String(format: "%.\(digits)f", x * 100) }
}
