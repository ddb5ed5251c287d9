import Foundation

/// A generation prompt taken apart for extraction: the instruction, the input document and
/// optional hint keywords.
///
/// Recognized layout (one per line, case-insensitive labels):
/// - a `Keywords:` (or `Hints:`) line lists hints separated by `;` or `,`;
/// - a line starting `Document:`, `Input:`, `Text:`, `Article:`, `Passage:` or `Source:` starts the
///   document (text after the label on that line included); what comes before is the instruction;
/// - without such a label, the first paragraph (up to a blank line) is the instruction and the
///   rest is the document; a single paragraph is all document;
/// - a trailing cue line that is only a label (`Summary:`, `TL;DR:`, `Answer:`) is dropped.
/// The request's system message, when present, is added to the instruction.
struct ExtractivePrompt: Equatable, Sendable {
    /// What to extract for.
    var instruction: String
    /// The text sentences are taken from.
    var document: String
    /// Hint keywords.
    var keywords: [String]

    static let documentLabels = ["document", "input", "text", "article", "passage", "source"]
    static let keywordLabels = ["keywords", "keyword", "hints", "hint"]

    /// Parses `prompt` (and an optional system message).
    init(prompt: String, system: String? = nil) {
        var lines = prompt.components(separatedBy: .newlines)
        var keywords: [String] = []
        lines.removeAll { line in
            guard let (label, rest) = ExtractivePrompt.label(of: line), ExtractivePrompt.keywordLabels.contains(label) else { return false }
            keywords += rest.split(whereSeparator: { $0 == ";" || $0 == "," }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return true
        }
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty || ExtractivePrompt.isBareCue(last) {
            lines.removeLast()
        }
        var instructionLines: [String] = []
        var documentLines: [String] = []
        if let index = lines.firstIndex(where: { ExtractivePrompt.label(of: $0).map { ExtractivePrompt.documentLabels.contains($0.0) } ?? false }) {
            instructionLines = Array(lines[..<index])
            let rest = ExtractivePrompt.label(of: lines[index])!.1
            documentLines = (rest.isEmpty ? [] : [rest]) + lines[(index + 1)...]
        } else if let blank = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }),
                  lines[(blank + 1)...].contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            instructionLines = Array(lines[..<blank])
            documentLines = Array(lines[(blank + 1)...])
        } else {
            documentLines = lines
        }
        let instruction = ([system ?? ""] + instructionLines).joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        self.instruction = instruction
        self.document = documentLines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        self.keywords = keywords
    }

    /// Creates a prompt from its parts.
    init(instruction: String, document: String, keywords: [String] = []) {
        self.instruction = instruction
        self.document = document
        self.keywords = keywords
    }

    /// The text embedded as the e5 query: instruction plus hints.
    var query: String {
        ([instruction] + (keywords.isEmpty ? [] : ["Keywords: " + keywords.joined(separator: ", ")]))
            .filter { !$0.isEmpty }.joined(separator: "\n")
    }

    /// `(lowercased label, rest)` when the line starts with a one- or two-word label and a colon.
    private static func label(of line: String) -> (String, String)? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let label = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        guard !label.isEmpty, label.count <= 20, label.allSatisfy({ $0.isLetter || $0 == " " || $0 == ";" }) else { return nil }
        return (label, line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }

    private static func isBareCue(_ line: String) -> Bool {
        guard let (label, rest) = label(of: line) else { return false }
        return rest.isEmpty && !documentLabels.contains(label) && label.split(separator: " ").count <= 2
    }
}
