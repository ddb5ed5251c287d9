/// The Porter stemmer exactly as NLTK implements it in its default mode (`NLTK_EXTENSIONS`),
/// which is what Google's `rouge-score` uses with `use_stemmer=True`.
///
/// Words are lowercased first. NLTK's extensions over Porter's 1980 algorithm are kept: a
/// small table of irregular forms (`skies` → `sky`, `dying` → `die`, ...), words of one or two
/// letters left alone, `ies`/`ied` in four-letter words kept as `ie`, `alli` → `al` before
/// step 2, `fulli` and `logi` in step 2, and the two-letter case of the `*o` (cvc) test.
public struct PorterStemmer: Sendable {
    /// Creates a stemmer.
    public init() {}

    /// The stem of `word`.
    public func stem(_ word: String) -> String {
        let lowered = word.lowercased()
        var scalars = lowered.unicodeScalars.map(\.value)
        if let irregular = PorterStemmer.irregular[scalars] { return PorterStemmer.string(irregular) }
        if word.unicodeScalars.count <= 2 { return lowered }
        scalars = stemScalars(scalars)
        return PorterStemmer.string(scalars)
    }

    /// The stem of a word given as lowercase ASCII bytes (what the ROUGE tokenizer produces).
    func stem(ascii word: [UInt8]) -> [UInt8] {
        let scalars = word.map(UInt32.init)
        if let irregular = PorterStemmer.irregular[scalars] { return irregular.map { UInt8($0) } }
        if word.count <= 2 { return word }
        return stemScalars(scalars).map { UInt8($0) }
    }

    private func stemScalars(_ word: [UInt32]) -> [UInt32] {
        var w = word
        w = step1a(w)
        w = step1b(w)
        w = step1c(w)
        w = step2(w)
        w = step3(w)
        w = step4(w)
        w = step5a(w)
        w = step5b(w)
        return w
    }

    // MARK: - Letters

    private typealias Word = [UInt32]

    private static func word(_ s: String) -> Word { s.unicodeScalars.map(\.value) }
    private static func string(_ w: Word) -> String {
        var s = String.UnicodeScalarView()
        for v in w { s.append(Unicode.Scalar(v)!) }
        return String(s)
    }

    private static let irregular: [Word: Word] = {
        let forms: [String: [String]] = [
            "sky": ["sky", "skies"], "die": ["dying"], "lie": ["lying"], "tie": ["tying"], "news": ["news"],
            "inning": ["innings", "inning"], "outing": ["outings", "outing"], "canning": ["cannings", "canning"],
            "howe": ["howe"], "proceed": ["proceed"], "exceed": ["exceed"], "succeed": ["succeed"],
        ]
        var pool: [Word: Word] = [:]
        for (key, values) in forms { for v in values { pool[word(v)] = word(key) } }
        return pool
    }()

    private static let a: UInt32 = 97, e: UInt32 = 101, i: UInt32 = 105, o: UInt32 = 111, u: UInt32 = 117, y: UInt32 = 121

    private static func isVowel(_ c: UInt32) -> Bool { c == a || c == e || c == i || c == o || c == u }

    /// Consonant flags: a vowel is not a consonant; `y` is one at the start or after a vowel.
    private func consonantFlags(_ w: ArraySlice<UInt32>) -> [Bool] {
        var flags: [Bool] = []
        flags.reserveCapacity(w.count)
        for c in w {
            if PorterStemmer.isVowel(c) { flags.append(false) } else if c == PorterStemmer.y { flags.append(flags.isEmpty ? true : !flags[flags.count - 1]) } else { flags.append(true) }
        }
        return flags
    }

    private func isConsonant(_ w: Word, _ index: Int) -> Bool { consonantFlags(w[...index])[index] }

    /// m in [C](VC){m}[V]: the number of vowel-to-consonant transitions.
    private func measure<C: Collection>(_ stem: C) -> Int where C.Element == UInt32, C.SubSequence == ArraySlice<UInt32> {
        let flags = consonantFlags(stem[...])
        var m = 0
        for k in flags.indices.dropFirst() where !flags[k - 1] && flags[k] { m += 1 }
        return m
    }

    private func containsVowel(_ stem: ArraySlice<UInt32>) -> Bool { consonantFlags(stem).contains(false) }

    private func endsDoubleConsonant(_ w: Word) -> Bool {
        w.count >= 2 && w[w.count - 1] == w[w.count - 2] && isConsonant(w, w.count - 1)
    }

    private func endsCVC(_ w: Word) -> Bool {
        let n = w.count
        if n >= 3 && isConsonant(w, n - 3) && !isConsonant(w, n - 2) && isConsonant(w, n - 1)
            && w[n - 1] != 119 && w[n - 1] != 120 && w[n - 1] != PorterStemmer.y { return true }
        return n == 2 && !isConsonant(w, 0) && isConsonant(w, 1)
    }

    private func hasPositiveMeasure(_ stem: Word) -> Bool { measure(stem) > 0 }

    // MARK: - Rules

    private struct Rule {
        var suffix: Word
        var replacement: Word
        var condition: ((Word) -> Bool)?
        var doubleConsonant = false
        init(_ suffix: String, _ replacement: String, _ condition: ((Word) -> Bool)? = nil) {
            self.suffix = PorterStemmer.word(suffix)
            self.replacement = PorterStemmer.word(replacement)
            self.condition = condition
        }
    }

    private func hasSuffix(_ w: Word, _ suffix: Word) -> Bool {
        w.count >= suffix.count && w[(w.count - suffix.count)...].elementsEqual(suffix)
    }

    /// The first rule whose suffix matches decides: replaced if its condition holds on the
    /// stem, else the word is returned unchanged.
    private func apply(_ w: Word, _ rules: [Rule]) -> Word {
        for rule in rules {
            if rule.doubleConsonant {
                if endsDoubleConsonant(w) {
                    let stem = Array(w.dropLast(2))
                    return (rule.condition?(stem) ?? true) ? stem + rule.replacement : w
                }
                continue
            }
            if hasSuffix(w, rule.suffix) {
                let stem = Array(w.dropLast(rule.suffix.count))
                return (rule.condition?(stem) ?? true) ? stem + rule.replacement : w
            }
        }
        return w
    }

    private func replacingSuffix(_ w: Word, _ count: Int, _ replacement: String) -> Word {
        Array(w.dropLast(count)) + PorterStemmer.word(replacement)
    }

    private func step1a(_ w: Word) -> Word {
        if hasSuffix(w, PorterStemmer.word("ies")) && w.count == 4 { return replacingSuffix(w, 3, "ie") }
        return apply(w, [Rule("sses", "ss"), Rule("ies", "i"), Rule("ss", "ss"), Rule("s", "")])
    }

    private func step1b(_ w: Word) -> Word {
        if hasSuffix(w, PorterStemmer.word("ied")) {
            return replacingSuffix(w, 3, w.count == 4 ? "ie" : "i")
        }
        if hasSuffix(w, PorterStemmer.word("eed")) {
            let stem = Array(w.dropLast(3))
            return measure(stem) > 0 ? stem + PorterStemmer.word("ee") : w
        }
        var intermediate: Word?
        for suffix in ["ed", "ing"] {
            let s = PorterStemmer.word(suffix)
            if hasSuffix(w, s) {
                let candidate = Array(w.dropLast(s.count))
                if containsVowel(candidate[...]) { intermediate = candidate; break }
            }
        }
        guard let stem = intermediate else { return w }
        let last = stem[stem.count - 1]
        var double = Rule("", "", { _ in last != 108 && last != 115 && last != 122 })
        double.doubleConsonant = true
        double.replacement = [last]
        return apply(stem, [
            Rule("at", "ate"), Rule("bl", "ble"), Rule("iz", "ize"), double,
            Rule("", "e", { self.measure($0) == 1 && self.endsCVC($0) }),
        ])
    }

    private func step1c(_ w: Word) -> Word {
        apply(w, [Rule("y", "i", { $0.count > 1 && self.isConsonant($0, $0.count - 1) })])
    }

    private func step2(_ w: Word) -> Word {
        if hasSuffix(w, PorterStemmer.word("alli")) && hasPositiveMeasure(Array(w.dropLast(4))) {
            return step2(replacingSuffix(w, 4, "al"))
        }
        let positive: (Word) -> Bool = { self.hasPositiveMeasure($0) }
        return apply(w, [
            Rule("ational", "ate", positive), Rule("tional", "tion", positive), Rule("enci", "ence", positive),
            Rule("anci", "ance", positive), Rule("izer", "ize", positive), Rule("bli", "ble", positive),
            Rule("alli", "al", positive), Rule("entli", "ent", positive), Rule("eli", "e", positive),
            Rule("ousli", "ous", positive), Rule("ization", "ize", positive), Rule("ation", "ate", positive),
            Rule("ator", "ate", positive), Rule("alism", "al", positive), Rule("iveness", "ive", positive),
            Rule("fulness", "ful", positive), Rule("ousness", "ous", positive), Rule("aliti", "al", positive),
            Rule("iviti", "ive", positive), Rule("biliti", "ble", positive), Rule("fulli", "ful", positive),
            Rule("logi", "log", { _ in self.hasPositiveMeasure(Array(w.dropLast(3))) }),
        ])
    }

    private func step3(_ w: Word) -> Word {
        let positive: (Word) -> Bool = { self.hasPositiveMeasure($0) }
        return apply(w, [
            Rule("icate", "ic", positive), Rule("ative", "", positive), Rule("alize", "al", positive),
            Rule("iciti", "ic", positive), Rule("ical", "ic", positive), Rule("ful", "", positive), Rule("ness", "", positive),
        ])
    }

    private func step4(_ w: Word) -> Word {
        let greaterThanOne: (Word) -> Bool = { self.measure($0) > 1 }
        return apply(w, [
            Rule("al", "", greaterThanOne), Rule("ance", "", greaterThanOne), Rule("ence", "", greaterThanOne),
            Rule("er", "", greaterThanOne), Rule("ic", "", greaterThanOne), Rule("able", "", greaterThanOne),
            Rule("ible", "", greaterThanOne), Rule("ant", "", greaterThanOne), Rule("ement", "", greaterThanOne),
            Rule("ment", "", greaterThanOne), Rule("ent", "", greaterThanOne),
            Rule("ion", "", { self.measure($0) > 1 && ($0.last == 115 || $0.last == 116) }),
            Rule("ou", "", greaterThanOne), Rule("ism", "", greaterThanOne), Rule("ate", "", greaterThanOne),
            Rule("iti", "", greaterThanOne), Rule("ous", "", greaterThanOne), Rule("ive", "", greaterThanOne),
            Rule("ize", "", greaterThanOne),
        ])
    }

    private func step5a(_ w: Word) -> Word {
        guard w.last == PorterStemmer.e else { return w }
        let stem = Array(w.dropLast())
        let m = measure(stem)
        if m > 1 { return stem }
        if m == 1 && !endsCVC(stem) { return stem }
        return w
    }

    private func step5b(_ w: Word) -> Word {
        apply(w, [Rule("ll", "l", { _ in self.measure(w.dropLast()) > 1 })])
    }
}
