/// The `13a` tokenizer of sacrebleu (mteval-v13a's), sacrebleu's default for BLEU.
///
/// After removing trailing whitespace: drop `<skipped>`, join `-` + line break, turn line
/// breaks into spaces, unescape `&quot; &amp; &lt; &gt;`, then split off punctuation and
/// symbols (``{|}~``, ``[\]^_` ``, space to `&`, `(` to `+`, `:` to `@`, `/`), periods and
/// commas except between digits, and a dash after a digit. Tokens are the whitespace-separated
/// results. Works on Unicode scalars, as Python works on code points.
struct BLEUTokenizer13a: Sendable {
    /// Creates the tokenizer.
    init() {}

    /// The tokens of `line`, each as Unicode scalar values.
    func tokenize(_ line: String) -> [[UInt32]] {
        var s = line.unicodeScalars.map(\.value)
        while let last = s.last, PythonText.isWhitespace(last) { s.removeLast() }
        s = PythonText.replace(s, "<skipped>", "")
        s = PythonText.replace(s, "-\n", "")
        s = PythonText.replace(s, "\n", " ")
        if s.contains(0x26) {
            s = PythonText.replace(s, "&quot;", "\"")
            s = PythonText.replace(s, "&amp;", "&")
            s = PythonText.replace(s, "&lt;", "<")
            s = PythonText.replace(s, "&gt;", ">")
        }
        s = [0x20] + s + [0x20]
        // ([\{-\~\[-\` -\&\(-\+\:-\@\/]) -> " \1 "
        var out: [UInt32] = []
        out.reserveCapacity(s.count * 2)
        for v in s {
            if BLEUTokenizer13a.isSplitSymbol(v) { out += [0x20, v, 0x20] } else { out.append(v) }
        }
        // ([^0-9])([\.,]) -> "\1 \2 "
        out = BLEUTokenizer13a.substitutePairs(out, first: { !BLEUTokenizer13a.isDigit($0) }, second: BLEUTokenizer13a.isPeriodOrComma) { [$0, 0x20, $1, 0x20] }
        // ([\.,])([^0-9]) -> " \1 \2"
        out = BLEUTokenizer13a.substitutePairs(out, first: BLEUTokenizer13a.isPeriodOrComma, second: { !BLEUTokenizer13a.isDigit($0) }) { [0x20, $0, 0x20, $1] }
        // ([0-9])(-) -> "\1 \2 "
        out = BLEUTokenizer13a.substitutePairs(out, first: BLEUTokenizer13a.isDigit, second: { $0 == 0x2D }) { [$0, 0x20, $1, 0x20] }
        return PythonText.split(out).map(Array.init)
    }

    private static func isDigit(_ v: UInt32) -> Bool { v >= 0x30 && v <= 0x39 }
    private static func isPeriodOrComma(_ v: UInt32) -> Bool { v == 0x2E || v == 0x2C }
    private static func isSplitSymbol(_ v: UInt32) -> Bool {
        (0x7B...0x7E).contains(v) || (0x5B...0x60).contains(v) || (0x20...0x26).contains(v)
            || (0x28...0x2B).contains(v) || (0x3A...0x40).contains(v) || v == 0x2F
    }

    /// `re.sub` of a two-character pattern: scans left to right, replacing each non-overlapping
    /// match and resuming after it, as Python's regex engine does.
    private static func substitutePairs(_ s: [UInt32], first: (UInt32) -> Bool, second: (UInt32) -> Bool, _ replacement: (UInt32, UInt32) -> [UInt32]) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(s.count + s.count / 4)
        var k = 0
        while k < s.count {
            if k + 1 < s.count, first(s[k]), second(s[k + 1]) {
                out += replacement(s[k], s[k + 1])
                k += 2
            } else {
                out.append(s[k])
                k += 1
            }
        }
        return out
    }
}
