import Foundation
import HoneSDK
import XCTest
@testable import Hone

/// Each loader on the real files in `../shared/data`, with row counts.
final class DatasetLoaderTests: XCTestCase {
    private func config(_ json: JSONValue, base: String = "/") throws -> DatasetConfig {
        try DatasetConfig(json: json, baseDirectory: base)
    }

    private func labels(_ names: [String]) -> [TaskLabel] {
        names.map { TaskLabel(name: $0, verbalizer: $0) }
    }

    func testLoadsFewShotTSVSplitsWithCRLFAndLiteralLeadingQuotes() throws {
        let expected = ["sst-2": (1821, ["0", "1"]), "cr": (2000, ["0", "1"]), "sst-5": (2210, ["0", "1", "2", "3", "4"]),
                        "subj": (2000, ["0", "1"]), "trec": (500, ["0", "1", "2", "3", "4", "5"])]
        for (name, (testRows, classes)) in expected {
            let dir = try SharedDataFixtures.path("fsc/\(name)")
            let splits = try DatasetLoader.load(try config(["train": .string("\(dir)/16-42/train.tsv"), "dev": .string("\(dir)/16-42/dev.tsv"), "test": .string("\(dir)/test.tsv")]),
                                                labels: labels(classes), seed: 0)
            XCTAssertEqual(splits.test.count, testRows, name)
            XCTAssertEqual(splits.train.count, 16 * classes.count, name)
            XCTAssertEqual(splits.dev.count, 16 * classes.count, name)
            XCTAssertEqual(splits.unlabeled.count, splits.train.count)
            XCTAssertTrue(splits.skipped.isEmpty)
            XCTAssertEqual(splits.testOverlap, ["cr": 1, "trec": 1][name] ?? 0, name)
            XCTAssertFalse(splits.test.contains { $0.input.hasSuffix("\r") }, "CR of CRLF left in the text of \(name)")
        }
        let cr = try DatasetLoader.load(try config(["train": .string(try SharedDataFixtures.path("fsc/cr/16-42/train.tsv")), "dev": .string(try SharedDataFixtures.path("fsc/cr/16-42/dev.tsv")), "test": .string(try SharedDataFixtures.path("fsc/cr/test.tsv"))]), labels: labels(["0", "1"]), seed: 0)
        XCTAssertEqual(cr.test.filter { $0.input.hasPrefix("\"") }.count, 68, "rows starting with a literal quote keep it")
        XCTAssertEqual(cr.testOverlap, 1, "one cr test sentence also appears in seed 16-42's train or dev")
    }

    func testLoadsAGNewsWhoseTrainFilesUseATextColumn() throws {
        let dir = try SharedDataFixtures.path("fsc/agnews")
        let test = try DatasetLoader.load(try config(["train": .string("\(dir)/test.tsv"), "dev": .string("\(dir)/test.tsv"), "test": .string("\(dir)/test.tsv")]), labels: labels(["0", "1", "2", "3"]), seed: 1)
        XCTAssertEqual(test.test.count, 7600)
        XCTAssertThrowsError(try DatasetLoader.load(try config(["train": .string("\(dir)/16-13/train.tsv"), "dev": .string("\(dir)/16-13/dev.tsv"), "test": .string("\(dir)/test.tsv"), "input_column": "sentence"]), labels: labels(["0", "1", "2", "3"]), seed: 1)) { error in
            let e = error as! DataError
            XCTAssertEqual(e.line, 1)
            XCTAssertTrue(e.message.contains("no column \"sentence\""), e.message)
            XCTAssertTrue(e.message.contains("\"text\""), e.message)
        }
        let defaults = try DatasetLoader.load(try config(["train": .string("\(dir)/16-13/train.tsv"), "dev": .string("\(dir)/16-13/dev.tsv"), "test": .string("\(dir)/test.tsv")]), labels: labels(["0", "1", "2", "3"]), seed: 1)
        XCTAssertEqual([defaults.train.count, defaults.dev.count, defaults.test.count], [64, 64, 7600], "the default input column is \"sentence\" or \"text\"")
        let splits = try DatasetLoader.load(try config(["file": .string("\(dir)/16-13/train.tsv"), "test": .string("\(dir)/test.tsv"), "input_column": ["text", "sentence"],
                                                        "split": ["k_shot": 8, "dev_per_class": 8]]), labels: labels(["0", "1", "2", "3"]), seed: 3)
        XCTAssertEqual(splits.train.count, 32)
        XCTAssertEqual(splits.dev.count, 32)
        XCTAssertEqual(splits.test.count, 7600)
    }

    func testLoadsSemEvalWithEntityMarkersAndTheFullTrainSetAsUnlabeledPool() throws {
        let dir = try SharedDataFixtures.path("relation/semeval")
        let relations = try JSONValue(parsingUTF8: Array(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/rel2id.json")))).objectValue!.keys.sorted()
        XCTAssertEqual(relations.count, 19)
        let full = try DatasetLoader.load(try config(["format": "semeval", "train": .string("\(dir)/train.txt"), "dev": .string("\(dir)/val.txt"), "test": .string("\(dir)/test.txt")]), labels: labels(relations), seed: 0)
        XCTAssertEqual(full.train.count, 6507)
        XCTAssertEqual(full.dev.count, 1493)
        XCTAssertEqual(full.test.count, 2717)
        XCTAssertEqual(full.train[0].input, "the original <e1>play</e1> was filled with very topical <e2>humor</e2> , so the director felt free to add current topical humor to the script .")
        XCTAssertEqual(full.train[0].label, "Component-Whole(e2,e1)")

        let few = try DatasetLoader.load(try config(["format": "semeval", "train": .string("\(dir)/k-shot/16-1/train.txt"), "dev": .string("\(dir)/val.txt"), "test": .string("\(dir)/test.txt"),
                                                     "unlabeled": .string("\(dir)/train.txt"), "entity_markers": ["head": "[sub] {entity} [/sub]", "tail": "[obj] {entity} [/obj]"]]),
                                         labels: labels(relations), seed: 0)
        XCTAssertEqual(few.train.count, 288)
        XCTAssertEqual(few.unlabeled.count, 6507)
        XCTAssertTrue(few.unlabeled[0].contains("[sub] play [/sub]"), few.unlabeled[0])
    }

    func testLoadsBigBenchTaskWithArgmaxLabelsAndSeededKShotSplit() throws {
        let path = try SharedDataFixtures.path("bigbench/intent_recognition/task.json")
        let intents = ["add_to_playlist", "book_restaurant", "get_weather", "play_music", "search_screening_event", "search_creative_work", "rate_book"]
        let c = try config(["format": "bigbench", "file": .string(path), "split": ["k_shot": 5, "dev_per_class": 10]])
        let splits = try DatasetLoader.load(c, labels: labels(intents), seed: 7)
        XCTAssertEqual(splits.train.count, 35)
        XCTAssertEqual(splits.dev.count, 70)
        XCTAssertEqual(splits.train.count + splits.dev.count + splits.test.count, 693)
        XCTAssertEqual(Set(splits.train.map(\.label)), Set(intents))
        XCTAssertEqual(Dictionary(grouping: splits.train, by: \.label).values.map(\.count), Array(repeating: 5, count: 7))
        XCTAssertTrue(Set(splits.train).isDisjoint(with: Set(splits.test)))
        XCTAssertTrue(Set(splits.dev).isDisjoint(with: Set(splits.test)))

        let again = try DatasetLoader.load(c, labels: labels(intents), seed: 7)
        XCTAssertEqual(again.train, splits.train, "the same seed gives the same split")
        let other = try DatasetLoader.load(c, labels: labels(intents), seed: 8)
        XCTAssertNotEqual(other.train, splits.train, "another seed gives another split")
    }

    func testSeededShuffleIsFixedByTheSeedAlone() {
        // Expected order computed independently (SplitMix64 + Fisher-Yates with Lemire draws in Python).
        var rng = SplitMix64(seed: 42)
        XCTAssertEqual(DatasetSplitter.shuffledIndices(10, using: &rng), [8, 3, 6, 5, 4, 0, 9, 2, 1, 7])
    }

    func testLoadsCNNDailyMailRecordsKeyedByNumberInNumericOrder() throws {
        let path = try SharedDataFixtures.path("summarization/cnndm_val500.json")
        let c = try config(["format": "json-records", "file": .string(path), "input_column": "article", "label_column": "reference",
                            "split": ["train_fraction": 0.1, "dev_fraction": 0.1]])
        let splits = try DatasetLoader.load(c, labels: [], seed: 0)
        XCTAssertEqual(splits.train.count, 50)
        XCTAssertEqual(splits.dev.count, 50)
        XCTAssertEqual(splits.test.count, 400)

        var problems = RowProblems(policy: .error)
        let records = try DatasetLoader.read(c, path, needLabels: true, problems: &problems)
        XCTAssertEqual(records.count, 500)
        XCTAssertEqual(records[10].record, "record \"10\"", "keys are taken in numeric order, not \"0\", \"1\", \"10\"")
        XCTAssertTrue(records[0].input.hasPrefix("The children arrived at Bishopsgate police station"), String(records[0].input.prefix(60)))
    }

    func testReadsCSVWithRFC4180QuotesAndJSONL() throws {
        let dir = try SharedDataFixtures.scratchDirectory(self)
        let csv = try SharedDataFixtures.write("text,label\r\n\"a, quoted \"\"field\"\"\",pos\r\n\"two\nlines\",neg\r\nplain,pos\r\n", to: "d.csv", in: dir)
        let c = try config(["format": "csv", "train": .string(csv), "dev": .string(csv), "test": .string(csv), "input_column": "text"])
        let splits = try DatasetLoader.load(c, labels: labels(["pos", "neg"]), seed: 0)
        XCTAssertEqual(splits.test.map(\.input), ["a, quoted \"field\"", "two\nlines", "plain"])
        XCTAssertEqual(splits.test.map(\.label), ["pos", "neg", "pos"])

        let jsonl = try SharedDataFixtures.write("{\"q\": \"2+2?\", \"a\": 4}\n\n{\"q\": \"capital of France?\", \"a\": \"Paris\"}\n", to: "d.jsonl", in: dir)
        let j = try DatasetLoader.load(try config(["format": "jsonl", "train": .string(jsonl), "dev": .string(jsonl), "test": .string(jsonl), "input_column": "q", "label_column": "a"]), labels: [], seed: 0)
        XCTAssertEqual(j.test, [LabeledExample(input: "2+2?", label: "4"), LabeledExample(input: "capital of France?", label: "Paris")])
    }

    func testReadsUnlabeledPoolFileWithoutALabelColumnAndSamplesTestReproducibly() throws {
        let dir = try SharedDataFixtures.scratchDirectory(self)
        let pool = try SharedDataFixtures.write("sentence\nfirst in-domain text\nsecond one\n", to: "pool.tsv", in: dir)
        let sst = try SharedDataFixtures.path("fsc/sst-2")
        let c = try config(["train": .string("\(sst)/16-13/train.tsv"), "dev": .string("\(sst)/16-13/dev.tsv"), "test": .string("\(sst)/test.tsv"),
                            "unlabeled": .string(pool), "test_sample": 300])
        let a = try DatasetLoader.load(c, labels: labels(["0", "1"]), seed: 5)
        XCTAssertEqual(a.unlabeled, ["first in-domain text", "second one"])
        XCTAssertEqual(a.test.count, 300)
        XCTAssertEqual(try DatasetLoader.load(c, labels: labels(["0", "1"]), seed: 5).test, a.test)
        XCTAssertNotEqual(try DatasetLoader.load(c, labels: labels(["0", "1"]), seed: 6).test, a.test)
    }

    func testReadsJSONArraysOfRecordsAndGenerativeBigBenchTargets() throws {
        let dir = try SharedDataFixtures.scratchDirectory(self)
        let array = try SharedDataFixtures.write("[{\"q\": \"one\", \"y\": 1}, {\"q\": \"two\", \"y\": 0}]", to: "a.json", in: dir)
        let records = try DatasetLoader.load(try config(["format": "json-records", "train": .string(array), "dev": .string(array), "test": .string(array),
                                                         "input_column": "q", "label_column": "y"]), labels: labels(["0", "1"]), seed: 0)
        XCTAssertEqual(records.test, [LabeledExample(input: "one", label: "1"), LabeledExample(input: "two", label: "0")])
        let task = try SharedDataFixtures.write("{\"examples\": [{\"input\": \"2+2\", \"target\": \"4\"}, {\"input\": \"3+3\", \"target\": [\"6\", \"six\"]}]}", to: "task.json", in: dir)
        let generative = try DatasetLoader.load(try config(["format": "bigbench", "train": .string(task), "dev": .string(task), "test": .string(task)]), labels: [], seed: 0)
        XCTAssertEqual(generative.test, [LabeledExample(input: "2+2", label: "4"), LabeledExample(input: "3+3", label: "6")])
    }

    func testLoadingAGNewsTestIsFast() throws {
        let path = try SharedDataFixtures.path("fsc/agnews/test.tsv")
        let c = try config(["train": .string(path), "dev": .string(path), "test": .string(path)])
        var problems = RowProblems(policy: .error)
        let start = DispatchTime.now().uptimeNanoseconds
        let records = try DatasetLoader.read(c, path, needLabels: true, problems: &problems)
        let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        XCTAssertEqual(records.count, 7600)
        XCTAssertLessThan(milliseconds, 1000, "even a debug build reads 7,600 rows well under a second")
    }
}
