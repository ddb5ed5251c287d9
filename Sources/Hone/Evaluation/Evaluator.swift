import HoneSDK

/// Scores prompts on examples. The host owns evaluation so that every method is judged the
/// same way and no plugin ever sees test labels.
public protocol Evaluator: Sendable {
    /// The metric this evaluator reports, e.g. "accuracy".
    var metric: String { get }
    /// One score per prompt, in order, over `examples`; with `details`, per-example outcomes too
    /// (indices in the outcomes are positions in `indices`' split, as given).
    func evaluate(_ prompts: [PromptArtifact], on examples: [(index: Int, example: LabeledExample)], details: Bool) throws -> [PromptScore]
}

/// Puts a prompt and an input into a template's `{prompt}` and `{input}` slots.
public struct TemplateRenderer: Sendable {
    private enum Piece: Sendable { case text(String), prompt, input }
    private let pieces: [Piece]

    /// Parses `template` once.
    public init(template: String) {
        var pieces: [Piece] = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            let tail = rest[open...]
            if tail.hasPrefix("{prompt}") {
                pieces.append(.text(String(rest[..<open])))
                pieces.append(.prompt)
                rest = tail.dropFirst("{prompt}".count)
            } else if tail.hasPrefix("{input}") {
                pieces.append(.text(String(rest[..<open])))
                pieces.append(.input)
                rest = tail.dropFirst("{input}".count)
            } else {
                pieces.append(.text(String(rest[...open])))
                rest = rest[rest.index(after: open)...]
            }
        }
        pieces.append(.text(String(rest)))
        self.pieces = pieces
    }

    /// The rendered text, with runs of spaces collapsed and ends trimmed, so an empty prompt
    /// leaves no stray space.
    public func render(prompt: String, input: String) -> String {
        var out = ""
        for piece in pieces {
            switch piece {
            case .text(let t): out += t
            case .prompt: out += prompt
            case .input: out += input
            }
        }
        var collapsed = ""
        collapsed.reserveCapacity(out.utf8.count)
        var lastWasSpace = true
        for ch in out {
            if ch == " " {
                if !lastWasSpace { collapsed.append(ch) }
                lastWasSpace = true
            } else {
                collapsed.append(ch)
                lastWasSpace = ch.isNewline
            }
        }
        while collapsed.last == " " { collapsed.removeLast() }
        return collapsed
    }
}
