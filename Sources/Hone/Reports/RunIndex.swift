import Foundation
import HoneSDK

/// Every run under a folder (each directory holding a `ledger.sqlite`), with what `hone runs`
/// lists about it: status, best and baseline test scores, calls and wall time.
public struct RunIndex: Sendable {
    /// One run in the index.
    public struct Entry: Sendable {
        /// The run directory.
        public var directory: String
        /// The run as its ledger records it.
        public var run: RecordedRun
        /// The best prompt's test score, once scored.
        public var bestTest: Double?
        /// The baseline prompt's test score, once scored.
        public var baselineTest: Double?
        /// Calls recorded: every (prompt, example) scoring, text or item the run asked for,
        /// by stages and by the host's own scorings (what `result.json` calls `backend_calls`).
        public var calls: Int
        /// Items the cache answered.
        public var cacheHits: Int
    }

    /// The runs found, by directory path.
    public var entries: [Entry]
    /// Directories holding a ledger that could not be read, with the reason.
    public var unreadable: [(directory: String, reason: String)]

    /// Finds every run under `folder` (itself included); throws when `folder` is not a directory.
    public init(folder: String) throws {
        let directories = try Self.runDirectories(under: folder)
        var entries: [Entry] = []
        var unreadable: [(String, String)] = []
        for directory in directories {
            do {
                let ledger = try RunLedger.open(directory: directory)
                let run = try ledger.recordedRun()
                let totals = try ledger.callTotals()
                entries.append(Entry(directory: directory, run: run, bestTest: run.best?.scores.test, baselineTest: run.baseline?.scores.test,
                                     calls: totals.items, cacheHits: totals.cacheHits))
            } catch {
                unreadable.append((directory, "\(error)"))
            }
        }
        self.entries = entries
        self.unreadable = unreadable
    }

    /// The run directories under `folder` (those holding a `ledger.sqlite`), sorted by path;
    /// `folder` itself when it is one. Throws a ``LedgerError`` when `folder` is not a directory.
    public static func runDirectories(under folder: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw LedgerError("\(folder) is not a directory; give a run directory or a folder holding run directories")
        }
        let root = folder.hasSuffix("/") && folder.count > 1 ? String(folder.dropLast()) : folder
        if FileManager.default.fileExists(atPath: root + "/" + RunLedger.fileName) { return [root] }
        var found: [String] = []
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        while let relative = walker.nextObject() as? String {
            guard (relative as NSString).lastPathComponent == RunLedger.fileName else { continue }
            found.append(root + "/" + (relative as NSString).deletingLastPathComponent)
        }
        return found.sorted()
    }

    /// The index as a Markdown table (directories relative to `base` when under it).
    public func markdown(relativeTo base: String? = nil) -> String {
        var lines = ["| run directory | name | status | best test | baseline test | calls | cache hits | wall time | started |",
                     "|---|---|---|---:|---:|---:|---:|---:|---|"]
        for e in entries {
            lines.append("| \(Self.relative(e.directory, to: base)) | \(e.run.name) | \(e.run.status.rawValue) | \(e.bestTest.map { String(format: "%.4f", $0) } ?? "—") | \(e.baselineTest.map { String(format: "%.4f", $0) } ?? "—") | \(e.calls) | \(e.cacheHits) | \(HTML.seconds(e.run.wallSeconds)) | \(RunDirectoryReport.timestamp(e.run.started)) |")
        }
        var out = lines.joined(separator: "\n") + "\n"
        if entries.isEmpty { out = "No runs found (no directory holding \(RunLedger.fileName)).\n" }
        for u in unreadable { out += "\nunreadable: \(u.directory): \(u.reason)" }
        return out + (unreadable.isEmpty ? "" : "\n")
    }

    /// The index as JSON: `runs`, each with `directory`, `name`, `status`, `best_test`,
    /// `baseline_test`, `calls`, `cache_hits`, `wall_seconds`, `started`, `stages`; and `unreadable`.
    public var json: JSONValue {
        [
            "runs": .array(entries.map { e in
                var o: [String: JSONValue] = [
                    "directory": .string(e.directory), "name": .string(e.run.name), "status": .string(e.run.status.rawValue),
                    "calls": .number(Double(e.calls)), "cache_hits": .number(Double(e.cacheHits)), "wall_seconds": .number(e.run.wallSeconds),
                    "started": .string(RunDirectoryReport.timestamp(e.run.started)), "sessions": .number(Double(e.run.sessions)),
                    "stages": .array(e.run.stages.map { .string($0.plugin) }),
                ]
                o["best_test"] = e.bestTest.map(JSONValue.number) ?? .null
                o["baseline_test"] = e.baselineTest.map(JSONValue.number) ?? .null
                o["error"] = e.run.error.map(JSONValue.string) ?? .null
                return .object(o)
            }),
            "unreadable": .array(unreadable.map { ["directory": .string($0.directory), "error": .string($0.reason)] }),
        ]
    }

    /// `path` relative to `base` when it lies under it.
    static func relative(_ path: String, to base: String?) -> String {
        guard let base, !base.isEmpty else { return path }
        let prefix = base.hasSuffix("/") ? base : base + "/"
        if path == base || path + "/" == prefix { return "." }
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
