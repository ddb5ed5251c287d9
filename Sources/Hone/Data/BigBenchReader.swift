import HoneSDK

/// Reads a BIG-bench JSON task (`task.json`): `{"examples": [{"input", "target_scores"}]}`.
///
/// The input is the example's `input`. The label is the `target_scores` key with the highest
/// score (a tie is an error: the example has no single answer). Examples with `target`
/// instead (generative tasks) take the target, or the first of a list of targets.
struct BigBenchReader {
    /// The examples of `path`.
    func read(_ path: String, problems: inout RowProblems) throws -> [SourceRecord] {
        let file = try TextFile(path: path)
        let text = try file.decodedText()
        let document: JSONValue
        do { document = try JSONValue(parsing: text) } catch let error as JSONSyntaxError {
            throw DataError(file: path, line: error.line, message: "invalid JSON at column \(error.column): \(error.message)")
        }
        guard let examples = document["examples"]?.arrayValue else {
            throw DataError(file: path, message: "no \"examples\" array; a BIG-bench JSON task has {\"examples\": [{\"input\": ..., \"target_scores\": {...}}]}")
        }
        guard !examples.isEmpty else { throw DataError(file: path, message: "the \"examples\" array is empty; expected examples") }
        var records: [SourceRecord] = []
        for (i, example) in examples.enumerated() {
            let name = "examples[\(i)]"
            func fail(_ message: String) -> DataError { DataError(file: path, record: name, message: message) }
            guard let input = example["input"]?.stringValue else {
                try problems.report(fail("member \"input\" is missing or not a string"))
                continue
            }
            var label: String?
            if let scores = example["target_scores"]?.objectValue {
                var best: [String] = []
                var bestScore = -Double.infinity
                for key in scores.keys.sorted() {
                    guard let score = scores[key]!.doubleValue else {
                        try problems.report(fail("target_scores[\"\(key)\"] is \(scores[key]!.typeName); expected a number"))
                        best = []; bestScore = .nan
                        break
                    }
                    if score > bestScore { best = [key]; bestScore = score } else if score == bestScore { best.append(key) }
                }
                if bestScore.isNaN { continue }
                guard best.count == 1 else {
                    try problems.report(fail(best.isEmpty ? "target_scores is empty" : "target_scores has a tie for the highest score between \(best.joined(separator: ", ")); the example has no single label"))
                    continue
                }
                label = best[0]
            } else if let target = example["target"] {
                if let s = target.stringValue { label = s } else if let s = target.arrayValue?.first?.stringValue { label = s } else {
                    try problems.report(fail("member \"target\" is \(target.typeName); expected a string or a list of strings"))
                    continue
                }
            }
            records.append(SourceRecord(file: path, line: nil, record: name, input: input, label: label))
        }
        return records
    }
}
