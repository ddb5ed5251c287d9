/// Puts a prompt and an input into a task template's `{prompt}` and `{input}` slots, exactly as
/// the host does when it scores a prompt (plugins that embed queries themselves use it to see
/// the same text).
public struct PromptTemplate: Sendable {
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
