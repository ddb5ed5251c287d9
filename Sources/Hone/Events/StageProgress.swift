import Foundation
import HoneSDK

/// Where a running stage stands: what its plugin last said, the calls it used of its budget,
/// its best scores so far, the cache hits it got and an estimate of the time left.
///
/// The host builds one after every evaluate request and every progress report of the plugin
/// (``RunEvent/progress(_:)``); `hone run` prints it as the stage's live line.
public struct StageProgress: Sendable, Equatable {
    /// The stage's position in the pipeline (0-based).
    public var stage: Int
    /// How many stages the pipeline has.
    public var stageCount: Int
    /// The plugin id.
    public var plugin: String
    /// The plugin's last reported fraction done, in [0, 1]; nil when it reported none or an unknown one.
    public var fraction: Double?
    /// The plugin's last status line (its step, round or the like).
    public var message: String?
    /// Calls charged to the stage, over every attempt.
    public var usedCalls: Int
    /// The stage's budget, if it has one.
    public var budgetCalls: Int?
    /// The best score of a candidate scored on the whole train split so far in this attempt.
    public var bestTrain: Double?
    /// The best score of a candidate scored on the whole dev split so far in this attempt.
    public var bestDev: Double?
    /// Candidates scored in this attempt.
    public var candidates: Int
    /// Items the cache answered for this stage in this attempt.
    public var cacheHits: Int
    /// Seconds since this attempt of the stage started.
    public var elapsedSeconds: Double
    /// Estimated seconds left, when the progress so far allows an estimate.
    public var etaSeconds: Double?

    /// Creates a progress snapshot.
    public init(
        stage: Int, stageCount: Int, plugin: String, fraction: Double? = nil, message: String? = nil, usedCalls: Int = 0,
        budgetCalls: Int? = nil, bestTrain: Double? = nil, bestDev: Double? = nil, candidates: Int = 0, cacheHits: Int = 0,
        elapsedSeconds: Double = 0, etaSeconds: Double? = nil
    ) {
        self.stage = stage
        self.stageCount = stageCount
        self.plugin = plugin
        self.fraction = fraction
        self.message = message
        self.usedCalls = usedCalls
        self.budgetCalls = budgetCalls
        self.bestTrain = bestTrain
        self.bestDev = bestDev
        self.candidates = candidates
        self.cacheHits = cacheHits
        self.elapsedSeconds = elapsedSeconds
        self.etaSeconds = etaSeconds
    }

    /// The fraction of the stage done: the larger of the plugin's own fraction and the share of
    /// the budget spent (nil when neither is known).
    public var overallFraction: Double? {
        let spent = budgetCalls.map { Double(usedCalls) / Double(max($0, 1)) }
        switch (fraction, spent) {
        case let (f?, s?): return min(1, max(f, s))
        case let (f?, nil): return min(1, f)
        case let (nil, s?): return min(1, s)
        default: return nil
        }
    }

    /// Seconds left at the rate this attempt progressed so far: from `startFraction` (what the
    /// attempt started with, e.g. the budget a resumed stage had already spent) to `fraction`
    /// in `elapsed` seconds. Nil until the attempt has progressed measurably.
    public static func estimatedSecondsLeft(elapsed: Double, startFraction: Double, fraction: Double) -> Double? {
        let gained = fraction - startFraction
        guard elapsed > 0, gained >= 0.005, fraction < 1 else { return fraction >= 1 ? 0 : nil }
        return elapsed / gained * (1 - fraction)
    }

    /// The live line `hone run` shows for the stage, e.g.
    /// `[1/2 org.hone.random-search] 40% round 3: ... | best train 0.9062 dev 0.8125 | calls 1200/3000 | cache hits 96 | 0:12, ETA 0:18`.
    public var line: String {
        var parts: [String] = []
        let pct = overallFraction.map { String(format: "%3.0f%%", $0 * 100) } ?? "  ?%"
        parts.append("[\(stage + 1)/\(stageCount) \(plugin)] \(pct)" + (message.map { " " + $0 } ?? ""))
        parts.append("best train \(bestTrain.map(Self.score) ?? "-") dev \(bestDev.map(Self.score) ?? "-")")
        parts.append("calls \(usedCalls)/\(budgetCalls.map(String.init) ?? "unlimited")")
        parts.append("cache hits \(cacheHits)")
        parts.append(Self.duration(elapsedSeconds) + (etaSeconds.map { ", ETA " + Self.duration($0) } ?? ""))
        return parts.joined(separator: " | ")
    }

    /// The snapshot as JSON (the fields of a `progress` event).
    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "stage": .number(Double(stage)), "stages": .number(Double(stageCount)), "plugin": .string(plugin),
            "used_calls": .number(Double(usedCalls)), "candidates": .number(Double(candidates)),
            "cache_hits": .number(Double(cacheHits)), "elapsed_seconds": .number(elapsedSeconds),
        ]
        o["fraction"] = overallFraction.map(JSONValue.number) ?? .null
        o["message"] = message.map(JSONValue.string) ?? .null
        o["budget_calls"] = budgetCalls.map { .number(Double($0)) } ?? .null
        o["best_train"] = bestTrain.map(JSONValue.number) ?? .null
        o["best_dev"] = bestDev.map(JSONValue.number) ?? .null
        o["eta_seconds"] = etaSeconds.map(JSONValue.number) ?? .null
        return .object(o)
    }

    private static func score(_ x: Double) -> String { String(format: "%.4f", x) }

    /// `m:ss`, or `h:mm:ss` from an hour on.
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
