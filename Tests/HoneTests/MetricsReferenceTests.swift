import Foundation
import HoneSDK
import XCTest
@testable import Hone

/// Each metric against its reference implementation (rouge-score, sacrebleu, scikit-learn,
/// the SQuAD and KnowPrompt scorers) on the same inputs from the real datasets.
final class MetricsReferenceTests: XCTestCase {
    nonisolated(unsafe) private static var pairs: (predictions: [String], references: [String])?

    /// CNN/DailyMail: lead-3 sentences of each article as the prediction, the highlights as the
    /// reference (read once per test run).
    private func cnnDailyMailPairs() throws -> (predictions: [String], references: [String]) {
        if let pairs = Self.pairs { return pairs }
        let path = try SharedDataFixtures.path("summarization/cnndm_val500.json")
        let config = try DatasetConfig(json: ["format": "json-records", "train": .string(path), "dev": .string(path), "test": .string(path),
                                              "input_column": "article", "label_column": "reference"], baseDirectory: "/")
        let splits = try DatasetLoader.load(config, labels: [], seed: 0)
        XCTAssertEqual(splits.test.count, 500)
        let pairs = (splits.test.map { Self.lead3($0.input) }, splits.test.map(\.label))
        Self.pairs = pairs
        return pairs
    }

    /// The first three sentences (a sentence ends at `.`, `!` or `?` followed by whitespace).
    static func lead3(_ article: String) -> String {
        var sentences: [String] = []
        var current = ""
        var previous: Character?
        for c in article {
            if c.isWhitespace, let p = previous, ".!?".contains(p) {
                sentences.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
                if sentences.count == 3 { break }
            } else {
                current.append(c)
            }
            previous = c
        }
        if sentences.count < 3, !current.isEmpty { sentences.append(current.trimmingCharacters(in: .whitespaces)) }
        return sentences.joined(separator: "\n")
    }

    private static func strings(_ list: [String]) -> JSONValue { .array(list.map { .string($0) }) }
    private static func numbers(_ list: [Int]) -> JSONValue { .array(list.map { .number(Double($0)) }) }

    func testRougeMatchesRougeScoreOnLead3SummariesOfCNNDailyMail() throws {
        let (predictions, references) = try cnnDailyMailPairs()
        let reference = try PythonReference.evaluate("""
            import json, sys
            from rouge_score import rouge_scorer
            d = INPUT
            s = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"], use_stemmer=True)
            out = []
            for p, r in zip(d["predictions"], d["references"]):
                x = s.score(r, p)
                out.append([[x[k].precision, x[k].recall, x[k].fmeasure] for k in ("rouge1", "rouge2", "rougeL", "rougeLsum")])
            OUTPUT = out
            """, input: ["predictions": Self.strings(predictions), "references": Self.strings(references)])
        let expected = reference.arrayValue!
        XCTAssertEqual(expected.count, 500)
        let scorer = RougeScorer(usesStemmer: true)
        var worst = 0.0
        for k in predictions.indices {
            let s = scorer.scores(prediction: predictions[k], reference: references[k])
            let mine = [s.rouge1, s.rouge2, s.rougeL, scorer.rougeLsum(prediction: predictions[k], reference: references[k])]
            for (kind, score) in mine.enumerated() {
                let theirs = expected[k].arrayValue![kind].arrayValue!.map { $0.doubleValue! }
                for (a, b) in zip([score.precision, score.recall, score.fmeasure], theirs) {
                    worst = max(worst, abs(a - b))
                    XCTAssertEqual(a, b, accuracy: 1e-6, "pair \(k), \(["rouge1", "rouge2", "rougeL", "rougeLsum"][kind])")
                }
            }
        }
        XCTAssertLessThan(worst, 1e-6)
        let meanL = GenerationMetric.rougeL.evaluate(predictions: predictions, references: references).score
        let theirMeanL = expected.map { $0.arrayValue![2].arrayValue![2].doubleValue! }.reduce(0, +) / 500
        XCTAssertEqual(meanL, theirMeanL, accuracy: 1e-9)
    }

    func testRougeTokenizerMatchesRougeScoreOnNonASCIIAndPunctuation() throws {
        let texts = ["İstanbul's KELVIN \u{212A}elvin", "naïve café—Zürich", "don't stop-believing, 3.14 U.S.A.", "ŞEHİR ǅemal ﬁne", "emoji 🎉 party's OVER!!", "tabs\tand\nnewlines  ", ""]
        let reference = try PythonReference.evaluate("""
            import json, sys
            from rouge_score import tokenizers
            t = tokenizers.DefaultTokenizer(use_stemmer=True)
            OUTPUT = [t.tokenize(x) for x in INPUT]
            """, input: Self.strings(texts))
        let tokenizer = RougeTokenizer(usesStemmer: true)
        for (text, expected) in zip(texts, reference.arrayValue!) {
            XCTAssertEqual(tokenizer.tokens(text), expected.arrayValue!.map { $0.stringValue! }, text)
        }
    }

    func testPorterStemmerMatchesNLTKOnEveryWordOfCNNDailyMail() throws {
        let (predictions, references) = try cnnDailyMailPairs()
        let path = try SharedDataFixtures.path("summarization/cnndm_val500.json")
        let records = try JSONValue(parsingUTF8: Array(try Data(contentsOf: URL(fileURLWithPath: path)))).objectValue!
        let articles = (0..<150).compactMap { records[String($0)]?["article"]?.stringValue }
        let plain = RougeTokenizer(usesStemmer: false)
        var words = Set<String>()
        for text in articles + predictions + references { words.formUnion(plain.tokens(text)) }
        let list = words.sorted()
        XCTAssertGreaterThan(list.count, 10_000)
        let reference = try PythonReference.evaluate("""
            import json, sys
            from nltk.stem import porter
            s = porter.PorterStemmer()
            OUTPUT = [s.stem(w) for w in INPUT]
            """, input: Self.strings(list))
        let stems = reference.arrayValue!.map { $0.stringValue! }
        let stemmer = PorterStemmer()
        var mismatches: [String] = []
        for (word, stem) in zip(list, stems) where stemmer.stem(word) != stem {
            mismatches.append("\(word): \(stemmer.stem(word)) vs NLTK \(stem)")
        }
        XCTAssertEqual(mismatches.count, 0, mismatches.prefix(20).joined(separator: "; "))
    }

    func testBLEUMatchesSacreBLEUCorpusAndSentenceScores() throws {
        let (predictions, references) = try cnnDailyMailPairs()
        let reference = try PythonReference.evaluate("""
            import json, sys
            import sacrebleu
            d = INPUT
            corpus = sacrebleu.corpus_bleu(d["predictions"], [d["references"]]).score
            sentences = [sacrebleu.sentence_bleu(p, [r]).score for p, r in zip(d["predictions"], d["references"])]
            OUTPUT = {"corpus": corpus, "sentences": sentences}
            """, input: ["predictions": Self.strings(predictions), "references": Self.strings(references)])
        let (corpus, sentences) = GenerationMetric.bleu.evaluate(predictions: predictions, references: references)
        XCTAssertEqual(corpus, reference["corpus"]!.doubleValue!, accuracy: 0.01)
        XCTAssertEqual(corpus, BLEU.corpus(hypotheses: predictions, references: references))
        for (k, expected) in reference["sentences"]!.arrayValue!.enumerated() {
            XCTAssertEqual(sentences[k], expected.doubleValue!, accuracy: 0.01, "sentence \(k)")
        }
    }

    func testBLEUTokenizerMatchesSacreBLEU13aOnPunctuationNumbersAndEntities() throws {
        let lines = ["Hello, world. It costs $1,000.50 -- or 3-4 days!", "a.b,c 1.2.3 x.,y", "&quot;quoted&quot; &amp;amp; <skipped> tags",
                     "line-\nbreak and\nnewline  ", "(parens) [brackets] {braces} ~tilde `tick` ^caret_", "naïve café — “smart quotes” …",
                     "end.", ".start", "1,2,3 and 4-", "tab\there\u{00A0}nbsp\u{2009}thin"]
        let reference = try PythonReference.evaluate("""
            import json, sys
            from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a
            t = Tokenizer13a()
            OUTPUT = [t(l.rstrip()).split() for l in INPUT]
            """, input: Self.strings(lines))
        let tokenizer = BLEUTokenizer13a()
        for (line, expected) in zip(lines, reference.arrayValue!) {
            let mine = tokenizer.tokenize(line).map { scalars in String(String.UnicodeScalarView(scalars.map { Unicode.Scalar($0)! })) }
            XCTAssertEqual(mine, expected.arrayValue!.map { $0.stringValue! }, line)
        }
    }

    func testExactMatchNormalizationMatchesSQuADScript() throws {
        let (_, references) = try cnnDailyMailPairs()
        let tricky = ["The Cat!", "an apple", "A-n the", "the_the", "l'an", "théâtre the café", "İstanbul THE", "the\u{00A0}cat",
                      "2,000 the end.", "  An  An   a  ", "the—a", "theory another", "Ça va, the ami"]
        let texts = tricky + references.prefix(100)
        let reference = try PythonReference.evaluate("""
            import json, re, string, sys
            def normalize_answer(s):
                def remove_articles(text): return re.sub(r'\\b(a|an|the)\\b', ' ', text)
                def white_space_fix(text): return ' '.join(text.split())
                def remove_punc(text):
                    exclude = set(string.punctuation)
                    return ''.join(ch for ch in text if ch not in exclude)
                return white_space_fix(remove_articles(remove_punc(s.lower())))
            OUTPUT = [normalize_answer(t) for t in INPUT]
            """, input: Self.strings(texts))
        for (text, expected) in zip(texts, reference.arrayValue!) {
            XCTAssertEqual(ExactMatch.normalize(text), expected.stringValue!, text)
        }
        XCTAssertEqual(ExactMatch.mean(predictions: ["The Cat!", "a dog", "bird"], references: ["cat", "dog.", "birds"]), 2.0 / 3.0, accuracy: 1e-12)
    }

    /// Gold labels from a real test file; predictions that agree with a seeded ~60% of them.
    private func fewShotLabels(_ dataset: String, classes: Int, seed: UInt64) throws -> (gold: [Int], predicted: [Int]) {
        let path = try SharedDataFixtures.path("fsc/\(dataset)/test.tsv")
        let config = try DatasetConfig(json: ["train": .string(path), "dev": .string(path), "test": .string(path)], baseDirectory: "/")
        let splits = try DatasetLoader.load(config, labelNames: (0..<classes).map(String.init), seed: 0)
        let gold = splits.test.map { Int($0.label)! }
        var rng = SplitMix64(seed: seed)
        let predicted = gold.map { g in rng.next() % 10 < 6 ? g : Int(rng.next() % UInt64(classes)) }
        return (gold, predicted)
    }

    func testAccuracyAndMacroF1MatchScikitLearnOnFewShotLabelVectors() throws {
        var cases: [(String, Int)] = [("sst-2", 2), ("sst-5", 5), ("agnews", 4), ("trec", 6)]
        var inputs: [JSONValue] = []
        var vectors: [(gold: [Int], predicted: [Int], classes: Int)] = []
        for (k, (name, classes)) in cases.enumerated() {
            var (gold, predicted) = try fewShotLabels(name, classes: classes, seed: UInt64(k + 1))
            if name == "trec" { predicted = predicted.map { $0 == 2 ? 0 : $0 } }  // a class never predicted
            vectors.append((gold, predicted, classes))
            inputs.append(["gold": Self.numbers(gold), "predicted": Self.numbers(predicted), "classes": .number(Double(classes))])
        }
        cases.removeAll()
        let reference = try PythonReference.evaluate("""
            import json, sys
            from sklearn.metrics import accuracy_score, f1_score
            out = []
            for c in INPUT:
                labels = list(range(int(c["classes"])))
                out.append([accuracy_score(c["gold"], c["predicted"]),
                            f1_score(c["gold"], c["predicted"], labels=labels, average="macro", zero_division=0)])
            OUTPUT = out
            """, input: .array(inputs))
        for (v, expected) in zip(vectors, reference.arrayValue!) {
            let e = expected.arrayValue!.map { $0.doubleValue! }
            XCTAssertEqual(ClassificationMetrics.accuracy(gold: v.gold, predicted: v.predicted), e[0], accuracy: 1e-12)
            XCTAssertEqual(ClassificationMetrics.macroF1(gold: v.gold, predicted: v.predicted, labelCount: v.classes), e[1], accuracy: 1e-6)
        }
    }

    func testMicroF1WithoutOtherMatchesKnowPromptScorerAndScikitLearnOnSemEval() throws {
        let dir = try SharedDataFixtures.path("relation/semeval")
        let ids = try JSONValue(parsingUTF8: Array(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/rel2id.json")))).objectValue!.mapValues { $0.intValue! }
        let names = ids.sorted { $0.value < $1.value }.map(\.key)
        let config = try DatasetConfig(json: ["format": "semeval", "train": .string("\(dir)/val.txt"), "dev": .string("\(dir)/val.txt"), "test": .string("\(dir)/val.txt")], baseDirectory: "/")
        let gold = try DatasetLoader.load(config, labelNames: names, seed: 0).test.map { ids[$0.label]! }
        XCTAssertEqual(gold.count, 1493)
        let other = ids["Other"]!
        var rng = SplitMix64(seed: 99)
        let predicted = gold.map { g in rng.next() % 10 < 5 ? g : (rng.next() % 3 == 0 ? other : Int(rng.next() % 19)) }
        let noGuesses = [Int](repeating: other, count: gold.count)
        let reference = try PythonReference.evaluate("""
            import json, sys
            from collections import Counter
            from sklearn.metrics import f1_score
            d = INPUT
            def knowprompt(output, label, na):
                correct, guessed, gold = Counter(), Counter(), Counter()
                for guess, g in zip(output, label):
                    if g == na and guess == na: continue
                    if g == na and guess != na: guessed[guess] += 1
                    if g != na and guess == na: gold[g] += 1
                    if g != na and guess != na:
                        guessed[guess] += 1; gold[g] += 1
                        if g == guess: correct[g] += 1
                p = 1.0 if sum(guessed.values()) == 0 else sum(correct.values()) / sum(guessed.values())
                r = 0.0 if sum(gold.values()) == 0 else sum(correct.values()) / sum(gold.values())
                return 2 * p * r / (p + r) if p + r > 0 else 0.0
            labels = [l for l in range(19) if l != d["other"]]
            OUTPUT = [knowprompt(d["predicted"], d["gold"], d["other"]),
                      f1_score(d["gold"], d["predicted"], labels=labels, average="micro"),
                      knowprompt(d["none"], d["gold"], d["other"])]
            """, input: ["gold": Self.numbers(gold), "predicted": Self.numbers(predicted), "none": Self.numbers(noGuesses), "other": .number(Double(other))])
        let e = reference.arrayValue!.map { $0.doubleValue! }
        let mine = ClassificationMetrics.microF1(gold: gold, predicted: predicted, excluding: other)
        XCTAssertEqual(mine, e[0], accuracy: 1e-6)
        XCTAssertEqual(mine, e[1], accuracy: 1e-6)
        XCTAssertEqual(ClassificationMetrics.microF1(gold: gold, predicted: noGuesses, excluding: other), e[2], accuracy: 1e-12)
        XCTAssertEqual(ClassificationMetrics.compute("micro_f1", gold: gold, predicted: predicted, labelCount: 19, nullLabel: other), mine)
    }

    func testEmbeddingCosineIsOneForParallelAndZeroForOrthogonalOrZeroVectors() {
        XCTAssertEqual(EmbeddingSimilarity.cosine([1, 2, 3], [2, 4, 6]), 1, accuracy: 1e-12)
        XCTAssertEqual(EmbeddingSimilarity.cosine([1, 0], [0, 5]), 0, accuracy: 1e-12)
        XCTAssertEqual(EmbeddingSimilarity.cosine([0, 0], [1, 1]), 0)
        XCTAssertEqual(EmbeddingSimilarity.cosine([1, 1], [-1, -1]), -1, accuracy: 1e-12)
        XCTAssertEqual(EmbeddingSimilarity.mean([[1, 0], [1, 1]], [[1, 0], [1, 0]]), (1 + 1 / 2.0.squareRoot()) / 2, accuracy: 1e-12)
    }

    func testGenerationOutcomesCarryTextReferenceAndPerExampleScore() {
        let (score, examples) = GenerationMetric.exactMatch.outcomes(predictions: ["Paris", "Lyon"], references: ["paris.", "Nice"], indices: [4, 9])
        XCTAssertEqual(score, 0.5)
        XCTAssertEqual(examples, [GenerationOutcome(index: 4, generated: "Paris", reference: "paris.", score: 1),
                                  GenerationOutcome(index: 9, generated: "Lyon", reference: "Nice", score: 0)])
    }
}
