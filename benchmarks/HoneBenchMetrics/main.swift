// hone-bench-metrics: times Hone's ROUGE-L and dataset loading for benchmarks/metrics_bench.sh.
//
//   hone-bench-metrics rouge-l <cnndm_val500.json> <pairs-out.json> [repetitions]
//   hone-bench-metrics load <fsc/agnews folder> [repetitions]
//
// Prints one line of `key=value` pairs; the script puts them next to rouge-score's figures.
import Foundation
@_spi(Internals) import Hone
import HoneSDK

/// CPU time of this process spent in `body`, in milliseconds (the machine is shared, so wall
/// time would mostly measure other people's work; the Python side uses process_time too).
func milliseconds(_ body: () throws -> Void) rethrows -> Double {
    var start = timespec(), end = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &start)
    try body()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &end)
    return Double(end.tv_sec - start.tv_sec) * 1e3 + Double(end.tv_nsec - start.tv_nsec) / 1e6
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// The first three sentences of an article (a sentence ends at . ! or ? followed by whitespace).
func lead3(_ article: String) -> String {
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

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("hone-bench-metrics: \(message)\n".utf8))
    exit(2)
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else { fail("usage: hone-bench-metrics rouge-l <cnndm.json> <pairs-out.json> [repetitions] | load <fsc/agnews folder> [repetitions]") }

do {
    switch arguments[1] {
    case "rouge-l":
        guard arguments.count >= 4 else { fail("rouge-l needs <cnndm.json> <pairs-out.json>") }
        let repetitions = arguments.count > 4 ? Int(arguments[4]) ?? 20 : 20
        let config = try DatasetConfig(json: ["format": "json-records", "train": .string(arguments[2]), "dev": .string(arguments[2]), "test": .string(arguments[2]),
                                              "input_column": "article", "label_column": "reference"], baseDirectory: "/")
        let examples = try DatasetLoader.load(config, labels: [], seed: 0).test
        let predictions = examples.map { lead3($0.input) }, references = examples.map(\.label)
        let pairs: JSONValue = ["predictions": .array(predictions.map { .string($0) }), "references": .array(references.map { .string($0) })]
        try pairs.serialized().write(toFile: arguments[3], atomically: true, encoding: .utf8)
        var mean = 0.0
        var times: [Double] = []
        for _ in 0..<repetitions {
            times.append(milliseconds {
                let scorer = RougeScorer(usesStemmer: true)  // cold caches: every repetition tokenizes and stems from scratch
                var total = 0.0
                for (p, r) in zip(predictions, references) { total += scorer.rougeL(prediction: p, reference: r).fmeasure }
                mean = total / Double(predictions.count)
            })
        }
        print("pairs=\(predictions.count) repetitions=\(repetitions) median_ms=\(String(format: "%.3f", median(times))) min_ms=\(String(format: "%.3f", times.min()!)) mean_rougeL_f=\(String(format: "%.6f", mean))")
    case "load":
        // <agnews dir>: the 16-shot train and dev of seed 16-13 and the 7,600-row test file.
        let repetitions = arguments.count > 3 ? Int(arguments[3]) ?? 20 : 20
        let dir = arguments[2]
        let config = try DatasetConfig(json: ["train": .string("\(dir)/16-13/train.tsv"), "dev": .string("\(dir)/16-13/dev.tsv"), "test": .string("\(dir)/test.tsv")], baseDirectory: "/")
        var rows = 0
        var readTimes: [Double] = [], loadTimes: [Double] = []
        for _ in 0..<repetitions {
            readTimes.append(try milliseconds { rows = try DelimitedFileReader(separator: "\t").read("\(dir)/test.tsv").rows.count })
            loadTimes.append(try milliseconds { _ = try DatasetLoader.load(config, labelNames: ["0", "1", "2", "3"], seed: 0) })
        }
        print("test_rows=\(rows) repetitions=\(repetitions) read_test_median_ms=\(String(format: "%.3f", median(readTimes))) load_all_splits_median_ms=\(String(format: "%.3f", median(loadTimes)))")
    default:
        fail("unknown command \(arguments[1])")
    }
} catch {
    fail("\(error)")
}
