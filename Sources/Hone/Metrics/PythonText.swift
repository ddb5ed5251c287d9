/// Character classes as Python's `str` methods define them, for metrics that must split text
/// exactly like their Python reference implementations.
enum PythonText {
    /// Whether `v` is whitespace for `str.split()` and `str.strip()`.
    static func isWhitespace(_ v: UInt32) -> Bool {
        switch v {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// Whether `scalar` is a word character for `re`'s `\w` and `\b` (letters, numbers, `_`).
    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 {
            let v = scalar.value
            return (v >= 48 && v <= 57) || (v >= 65 && v <= 90) || (v >= 97 && v <= 122) || v == 95
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber: return true
        default: return false
        }
    }

    /// `text.split()`: runs of non-whitespace scalars.
    static func split(_ scalars: [UInt32]) -> [ArraySlice<UInt32>] {
        var result: [ArraySlice<UInt32>] = []
        var start: Int?
        for (k, v) in scalars.enumerated() {
            if isWhitespace(v) {
                if let s = start { result.append(scalars[s..<k]); start = nil }
            } else if start == nil {
                start = k
            }
        }
        if let s = start { result.append(scalars[s...]) }
        return result
    }

    /// `text.replace(target, replacement)`: non-overlapping, left to right.
    static func replace(_ scalars: [UInt32], _ target: String, _ replacement: String) -> [UInt32] {
        let t = target.unicodeScalars.map(\.value), r = replacement.unicodeScalars.map(\.value)
        guard !t.isEmpty, scalars.count >= t.count else { return scalars }
        var out: [UInt32] = []
        out.reserveCapacity(scalars.count)
        var k = 0
        while k < scalars.count {
            if scalars[k] == t[0], k + t.count <= scalars.count, scalars[k..<(k + t.count)].elementsEqual(t) {
                out += r
                k += t.count
            } else {
                out.append(scalars[k])
                k += 1
            }
        }
        return out
    }
}
