import Foundation
import HoneSDK

/// How the head and tail entities of a relation example are marked in the rendered text.
///
/// Each template must contain `{entity}`, which becomes the entity's tokens joined by spaces.
/// The defaults give SemEval-2010's own form, `the <e1>author</e1> of a <e2>keygen</e2>`.
public struct EntityMarkers: Hashable, Sendable {
    /// Template for the head entity (e1).
    public var head: String
    /// Template for the tail entity (e2).
    public var tail: String

    /// The slot the entity's text goes into.
    public static let slot = "{entity}"

    /// SemEval-2010 Task 8 markers: `<e1>{entity}</e1>` and `<e2>{entity}</e2>`.
    public static let semEval = EntityMarkers(head: "<e1>{entity}</e1>", tail: "<e2>{entity}</e2>")

    /// Creates markers; both templates should contain ``slot``.
    public init(head: String, tail: String) {
        self.head = head
        self.tail = tail
    }

    /// `tokens` joined by spaces, with the head span `[headStart, headEnd)` and the tail span
    /// rendered through their templates. The spans must lie within the tokens and not overlap.
    public func render(tokens: [String], head h: Range<Int>, tail t: Range<Int>) -> String {
        var parts: [String] = []
        parts.reserveCapacity(tokens.count)
        var i = 0
        while i < tokens.count {
            if i == h.lowerBound {
                parts.append(head.replacingOccurrences(of: EntityMarkers.slot, with: tokens[h].joined(separator: " ")))
                i = h.upperBound
            } else if i == t.lowerBound {
                parts.append(tail.replacingOccurrences(of: EntityMarkers.slot, with: tokens[t].joined(separator: " ")))
                i = t.upperBound
            } else {
                parts.append(tokens[i])
                i += 1
            }
        }
        return parts.joined(separator: " ")
    }
}

/// Reads relation-classification records in the SemEval/BayesPrompt JSONL form:
/// `{"token": [...], "h": {"name", "pos": [start, end)}, "t": {...}, "relation": "..."}`.
/// The input is the sentence rendered with ``EntityMarkers``; the label is `relation`.
struct SemEvalReader {
    /// The entity markers.
    let markers: EntityMarkers

    /// The examples of `path`, one per non-blank line.
    func read(_ path: String, problems: inout RowProblems) throws -> [SourceRecord] {
        let file = try TextFile(path: path)
        var records: [SourceRecord] = []
        try file.forEachLine { number, line in
            if TextFile.isBlank(line) { return }
            do {
                records.append(try record(line, file: path, line: number))
            } catch let error as DataError {
                try problems.report(error)
            }
        }
        return records
    }

    private func record(_ bytes: ArraySlice<UInt8>, file: String, line: Int) throws -> SourceRecord {
        func fail(_ message: String) -> DataError { DataError(file: file, line: line, message: message) }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw fail("the line is not valid UTF-8; re-encode the file as UTF-8")
        }
        let value: JSONValue
        do { value = try JSONValue(parsingUTF8: Array(bytes)) } catch let error as JSONSyntaxError {
            throw fail("invalid JSON at column \(error.column): \(error.message); expected one relation record per line")
        }
        guard case .object(let object) = value else { throw fail("expected a JSON object, found \(value.typeName)") }
        guard let tokenValues = object["token"]?.arrayValue else {
            throw fail("member \"token\" is missing or not an array; expected {\"token\": [...], \"h\": {...}, \"t\": {...}, \"relation\": ...}")
        }
        var tokens: [String] = []
        tokens.reserveCapacity(tokenValues.count)
        for (i, t) in tokenValues.enumerated() {
            guard let s = t.stringValue else { throw fail("token[\(i)] is \(t.typeName); expected a string") }
            tokens.append(s)
        }
        func span(_ key: String) throws -> Range<Int> {
            guard let entity = object[key]?.objectValue, let pos = entity["pos"]?.arrayValue, pos.count == 2,
                  let start = pos[0].intValue, let end = pos[1].intValue else {
                throw fail("member \"\(key)\" must be an object with \"pos\": [start, end)")
            }
            guard 0 <= start, start < end, end <= tokens.count else {
                throw fail("\"\(key)\".pos [\(start), \(end)) does not lie within the \(tokens.count) tokens")
            }
            return start..<end
        }
        let h = try span("h"), t = try span("t")
        guard !h.overlaps(t) else { throw fail("the head span [\(h.lowerBound), \(h.upperBound)) and tail span [\(t.lowerBound), \(t.upperBound)) overlap") }
        var label: String?
        if let relation = object["relation"], !relation.isNull {
            guard let s = relation.stringValue else { throw fail("member \"relation\" is \(relation.typeName); expected a string") }
            label = s
        }
        return SourceRecord(file: file, line: line, record: nil, input: markers.render(tokens: tokens, head: h, tail: t), label: label)
    }
}
