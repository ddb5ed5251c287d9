import HoneSDK

/// `JSONValue(parsingUTF8:)`. Properties: parsing never crashes (depth is capped at 512, so no
/// stack overflow); a parsed value serializes (compact and pretty) to text that parses again, to
/// an equal value when every number in it is finite (a number beyond a Double's range, such as
/// 1e400, parses to an infinity so that the answer validators can name it, and is written back
/// as null); parsing the same bytes as a `String` gives the same answer.
enum JSONTarget {
    static func run(_ bytes: [UInt8]) {
        guard let value = try? JSONValue(parsingUTF8: bytes) else { return }
        let finite = allFinite(value)
        for text in [value.serialized(), value.prettyPrinted()] {
            let again = try? JSONValue(parsing: text)
            require(again != nil, "serialized text does not parse: \(text.prefix(200))")
            require(!finite || again == value, "serialized text does not parse back equal: \(text.prefix(200))")
        }
        if let text = String(validating: bytes, as: UTF8.self) {
            require((try? JSONValue(parsing: text)) == value, "parsing the text and its UTF-8 bytes disagree")
        }
    }

    private static func allFinite(_ value: JSONValue) -> Bool {
        switch value {
        case .number(let n): return n.isFinite
        case .array(let a): return a.allSatisfy(allFinite)
        case .object(let o): return o.values.allSatisfy(allFinite)
        default: return true
        }
    }
}
