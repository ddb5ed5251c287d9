/// The Porter stemmer exactly as NLTK implements it in its default mode (`NLTK_EXTENSIONS`),
/// which is what Google's `rouge-score` uses with `use_stemmer=True`.
///
/// Words are lowercased first. NLTK's extensions over Porter's 1980 algorithm are kept: a
/// small table of irregular forms (`skies` → `sky`, `dying` → `die`, ...), words of one or two
/// letters left alone, `ies`/`ied` in four-letter words kept as `ie`, `alli` → `al` before
/// step 2, `fulli` and `logi` in step 2, and the two-letter case of the `*o` (cvc) test.
struct PorterStemmer: Sendable {
    /// Creates a stemmer.
    init() {}

    /// The stem of `word`.
    func stem(_ word: String) -> String {
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

    private static let e: UInt32 = 101, y: UInt32 = 121

    private static func isVowel(_ c: UInt32) -> Bool { c == 97 || c == 101 || c == 105 || c == 111 || c == 117 }

    /// NLTK's `_is_consonant`: a vowel is not a consonant; `y` is one at the start of the word or
    /// after a vowel (so in a run of `y`s they alternate).
    private static func isConsonant(_ w: ArraySlice<UInt32>, _ index: Int) -> Bool {
        var k = index
        if isVowel(w[k]) { return false }
        if w[k] != y { return true }
        var negate = false
        while k > w.startIndex && w[k] == y { negate.toggle(); k -= 1 }
        return !isVowel(w[k]) != negate
    }

    /// m in [C](VC){m}[V]: the number of vowel-to-consonant transitions.
    private static func measure(_ stem: ArraySlice<UInt32>) -> Int {
        var m = 0
        var previousConsonant: Bool?
        for k in stem.indices {
            let c = stem[k]
            let consonant: Bool
            if isVowel(c) { consonant = false } else if c == y { consonant = previousConsonant.map { !$0 } ?? true } else { consonant = true }
            if previousConsonant == false && consonant { m += 1 }
            previousConsonant = consonant
        }
        return m
    }

    private static func containsVowel(_ stem: ArraySlice<UInt32>) -> Bool {
        var previousConsonant: Bool?
        for c in stem {
            let consonant = isVowel(c) ? false : (c == y ? (previousConsonant.map { !$0 } ?? true) : true)
            if !consonant { return true }
            previousConsonant = consonant
        }
        return false
    }

    private static func endsDoubleConsonant(_ w: ArraySlice<UInt32>) -> Bool {
        w.count >= 2 && w[w.endIndex - 1] == w[w.endIndex - 2] && isConsonant(w, w.endIndex - 1)
    }

    private static func endsCVC(_ w: ArraySlice<UInt32>) -> Bool {
        let n = w.count, s = w.startIndex
        if n >= 3 && isConsonant(w, s + n - 3) && !isConsonant(w, s + n - 2) && isConsonant(w, s + n - 1) {
            let last = w[s + n - 1]
            if last != 119 && last != 120 && last != y { return true }
        }
        return n == 2 && !isConsonant(w, s) && isConsonant(w, s + 1)
    }

    // MARK: - Rules

    /// When a rule applies, given the stem (the word without the suffix) and the whole word.
    private enum Condition {
        case always
        case positiveMeasure
        case measureAboveOne
        /// step 4 `ion`: m > 1 and the stem ends in `s` or `t`.
        case ion
        /// step 2 `logi` (NLTK): m > 0 of the word without its last three letters.
        case logi
        /// step 5b `ll`: m > 1 of the word without its last letter.
        case doubleL
        /// step 1b double consonant: the last letter is not `l`, `s` or `z`.
        case notLSZ
        /// step 1b final `e`: m = 1 and the stem ends consonant-vowel-consonant.
        case measureOneCVC
        /// step 1c (NLTK): the stem is longer than one letter and ends in a consonant.
        case consonantBeforeY

        func holds(stem: ArraySlice<UInt32>, word: ArraySlice<UInt32>) -> Bool {
            switch self {
            case .always: return true
            case .positiveMeasure: return PorterStemmer.measure(stem) > 0
            case .measureAboveOne: return PorterStemmer.measure(stem) > 1
            case .ion: return PorterStemmer.measure(stem) > 1 && (stem.last == 115 || stem.last == 116)
            case .logi: return PorterStemmer.measure(word.dropLast(3)) > 0
            case .doubleL: return PorterStemmer.measure(word.dropLast()) > 1
            case .notLSZ: return !(word.last == 108 || word.last == 115 || word.last == 122)
            case .measureOneCVC: return PorterStemmer.measure(stem) == 1 && PorterStemmer.endsCVC(stem)
            case .consonantBeforeY: return stem.count > 1 && PorterStemmer.isConsonant(stem, stem.endIndex - 1)
            }
        }
    }

    private struct Rule {
        let suffix: Word
        let replacement: Word
        let condition: Condition
        /// NLTK's `*d` rule: any double consonant; the replacement is the last letter.
        let doubleConsonant: Bool
        init(_ suffix: String, _ replacement: String, _ condition: Condition = .always, doubleConsonant: Bool = false) {
            self.suffix = PorterStemmer.word(suffix)
            self.replacement = PorterStemmer.word(replacement)
            self.condition = condition
            self.doubleConsonant = doubleConsonant
        }
    }

    private static func hasSuffix(_ w: Word, _ suffix: Word) -> Bool {
        w.count >= suffix.count && w[(w.count - suffix.count)...].elementsEqual(suffix)
    }

    /// The first rule whose suffix matches decides: replaced if its condition holds on the
    /// stem, else the word is returned unchanged.
    private static func apply(_ w: Word, _ rules: [Rule]) -> Word {
        for rule in rules {
            if rule.doubleConsonant {
                if endsDoubleConsonant(w[...]) {
                    let stem = w.dropLast(2)
                    return rule.condition.holds(stem: stem, word: w[...]) ? Array(stem) + [w[w.count - 1]] : w
                }
                continue
            }
            if hasSuffix(w, rule.suffix) {
                let stem = w.dropLast(rule.suffix.count)
                return rule.condition.holds(stem: stem, word: w[...]) ? Array(stem) + rule.replacement : w
            }
        }
        return w
    }

    private static let ies = word("ies"), ied = word("ied"), eed = word("eed"), ed = word("ed"), ing = word("ing"), alli = word("alli")
    private static let step1aRules = [Rule("sses", "ss"), Rule("ies", "i"), Rule("ss", "ss"), Rule("s", "")]
    private static let step1bRules = [Rule("at", "ate"), Rule("bl", "ble"), Rule("iz", "ize"), Rule("", "", .notLSZ, doubleConsonant: true), Rule("", "e", .measureOneCVC)]
    private static let step1cRules = [Rule("y", "i", .consonantBeforeY)]
    private static let step2Rules: [Rule] = [
        Rule("ational", "ate", .positiveMeasure), Rule("tional", "tion", .positiveMeasure), Rule("enci", "ence", .positiveMeasure),
        Rule("anci", "ance", .positiveMeasure), Rule("izer", "ize", .positiveMeasure), Rule("bli", "ble", .positiveMeasure),
        Rule("alli", "al", .positiveMeasure), Rule("entli", "ent", .positiveMeasure), Rule("eli", "e", .positiveMeasure),
        Rule("ousli", "ous", .positiveMeasure), Rule("ization", "ize", .positiveMeasure), Rule("ation", "ate", .positiveMeasure),
        Rule("ator", "ate", .positiveMeasure), Rule("alism", "al", .positiveMeasure), Rule("iveness", "ive", .positiveMeasure),
        Rule("fulness", "ful", .positiveMeasure), Rule("ousness", "ous", .positiveMeasure), Rule("aliti", "al", .positiveMeasure),
        Rule("iviti", "ive", .positiveMeasure), Rule("biliti", "ble", .positiveMeasure), Rule("fulli", "ful", .positiveMeasure),
        Rule("logi", "log", .logi),
    ]
    private static let step3Rules: [Rule] = [
        Rule("icate", "ic", .positiveMeasure), Rule("ative", "", .positiveMeasure), Rule("alize", "al", .positiveMeasure),
        Rule("iciti", "ic", .positiveMeasure), Rule("ical", "ic", .positiveMeasure), Rule("ful", "", .positiveMeasure), Rule("ness", "", .positiveMeasure),
    ]
    private static let step4Rules: [Rule] = [
        Rule("al", "", .measureAboveOne), Rule("ance", "", .measureAboveOne), Rule("ence", "", .measureAboveOne),
        Rule("er", "", .measureAboveOne), Rule("ic", "", .measureAboveOne), Rule("able", "", .measureAboveOne),
        Rule("ible", "", .measureAboveOne), Rule("ant", "", .measureAboveOne), Rule("ement", "", .measureAboveOne),
        Rule("ment", "", .measureAboveOne), Rule("ent", "", .measureAboveOne), Rule("ion", "", .ion),
        Rule("ou", "", .measureAboveOne), Rule("ism", "", .measureAboveOne), Rule("ate", "", .measureAboveOne),
        Rule("iti", "", .measureAboveOne), Rule("ous", "", .measureAboveOne), Rule("ive", "", .measureAboveOne),
        Rule("ize", "", .measureAboveOne),
    ]
    private static let step5bRules = [Rule("ll", "l", .doubleL)]

    private func step1a(_ w: Word) -> Word {
        if w.count == 4 && PorterStemmer.hasSuffix(w, PorterStemmer.ies) { return Array(w.dropLast(3)) + PorterStemmer.word("ie") }
        return PorterStemmer.apply(w, PorterStemmer.step1aRules)
    }

    private func step1b(_ w: Word) -> Word {
        if PorterStemmer.hasSuffix(w, PorterStemmer.ied) {
            return Array(w.dropLast(3)) + PorterStemmer.word(w.count == 4 ? "ie" : "i")
        }
        if PorterStemmer.hasSuffix(w, PorterStemmer.eed) {
            let stem = w.dropLast(3)
            return PorterStemmer.measure(stem) > 0 ? Array(stem) + PorterStemmer.word("ee") : w
        }
        var intermediate: Word?
        for suffix in [PorterStemmer.ed, PorterStemmer.ing] where PorterStemmer.hasSuffix(w, suffix) {
            let candidate = w.dropLast(suffix.count)
            if PorterStemmer.containsVowel(candidate) { intermediate = Array(candidate); break }
        }
        guard let stem = intermediate else { return w }
        return PorterStemmer.apply(stem, PorterStemmer.step1bRules)
    }

    private func step1c(_ w: Word) -> Word { PorterStemmer.apply(w, PorterStemmer.step1cRules) }

    private func step2(_ w: Word) -> Word {
        if PorterStemmer.hasSuffix(w, PorterStemmer.alli) && PorterStemmer.measure(w.dropLast(4)) > 0 {
            return step2(Array(w.dropLast(4)) + PorterStemmer.word("al"))
        }
        return PorterStemmer.apply(w, PorterStemmer.step2Rules)
    }

    private func step3(_ w: Word) -> Word { PorterStemmer.apply(w, PorterStemmer.step3Rules) }

    private func step4(_ w: Word) -> Word { PorterStemmer.apply(w, PorterStemmer.step4Rules) }

    private func step5a(_ w: Word) -> Word {
        guard w.last == PorterStemmer.e else { return w }
        let stem = w.dropLast()
        let m = PorterStemmer.measure(stem)
        if m > 1 { return Array(stem) }
        if m == 1 && !PorterStemmer.endsCVC(stem) { return Array(stem) }
        return w
    }

    private func step5b(_ w: Word) -> Word { PorterStemmer.apply(w, PorterStemmer.step5bRules) }
}
