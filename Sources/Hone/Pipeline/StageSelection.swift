import HoneSDK

/// The host's check of a stage's pick against the prompt the stage started from: both scored
/// by the host on train+dev (never test). Unless the stage says `keep_if_worse`, a pick that
/// scores lower than its start does not replace it.
public struct StageSelection: Sendable, Equatable {
    /// The prompt the stage started from.
    public var start: PromptArtifact
    /// The prompt the stage returned.
    public var pick: PromptArtifact
    /// The start's score on train+dev.
    public var startScore: Double
    /// The pick's score on train+dev.
    public var pickScore: Double
    /// The stage's `keep_if_worse` setting.
    public var keepIfWorse: Bool

    /// Whether the pick goes on: it scores at least as well as the start, or `keep_if_worse`.
    public var keepsPick: Bool { keepIfWorse || pickScore >= startScore }
    /// The prompt that goes on to the next stage (and into the result).
    public var kept: PromptArtifact { keepsPick ? pick : start }

    /// Creates a selection record.
    public init(start: PromptArtifact, pick: PromptArtifact, startScore: Double, pickScore: Double, keepIfWorse: Bool) {
        self.start = start
        self.pick = pick
        self.startScore = startScore
        self.pickScore = pickScore
        self.keepIfWorse = keepIfWorse
    }

    /// A sentence for the summary and the report, e.g. "kept the starting prompt: the stage's
    /// pick scored 0.7812 on train+dev against 0.8125 for the start".
    public var sentence: String {
        let scores = "the stage's pick scored \(Self.format(pickScore)) on train+dev against \(Self.format(startScore)) for its starting prompt"
        if pickScore >= startScore { return "kept the stage's pick: \(scores)" }
        if keepIfWorse { return "kept the stage's pick although it is worse (keep_if_worse): \(scores)" }
        return "kept the starting prompt: \(scores) (set keep_if_worse to take the pick anyway)"
    }

    private static func format(_ x: Double) -> String { String(format: "%.4f", x) }

    /// The JSON of `result.json` and the ledger.
    public var json: JSONValue {
        [
            "start": (try? JSONValue(parsing: Wire.encode(start.stored))) ?? .null,
            "pick": (try? JSONValue(parsing: Wire.encode(pick.stored))) ?? .null,
            "start_score": .number(startScore),
            "pick_score": .number(pickScore),
            "keep_if_worse": .bool(keepIfWorse),
            "kept": .string(keepsPick ? "pick" : "start"),
            "split": "train+dev",
        ]
    }

    /// Reads ``json``; nil when it is not a selection record.
    public init?(json: JSONValue) {
        guard let startJSON = json["start"], let pickJSON = json["pick"],
              let start = try? Wire.decode(PromptArtifact.self, from: startJSON.serialized()),
              let pick = try? Wire.decode(PromptArtifact.self, from: pickJSON.serialized()),
              let startScore = json["start_score"]?.doubleValue, let pickScore = json["pick_score"]?.doubleValue
        else { return nil }
        self.init(start: start, pick: pick, startScore: startScore, pickScore: pickScore, keepIfWorse: json["keep_if_worse"]?.boolValue ?? false)
    }
}
