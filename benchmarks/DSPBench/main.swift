import Foundation
@_spi(Internals) import Hone
import HonePluginDirectionalStimulus

/// Helpers of benchmarks/dsp_acceptance.sh for the two rows no prompt artifact can produce:
///
///     dsp-bench oracle RECORDS.json OUT.jsonl   # inputs with their oracle keywords appended as a "Keywords:" line
///     dsp-bench lead3 RECORDS.json OUT.jsonl    # the first three sentences of each article as its output
///
/// RECORDS.json is a json-records file of {article, reference} objects. The oracle line uses
/// the plugin's own oracle (OracleKeywords over every phrase of the article, at most 10
/// keywords), so the upper bound is the supervised stage's target.
let arguments = CommandLine.arguments
guard arguments.count == 4, ["oracle", "lead3"].contains(arguments[1]) else {
    FileHandle.standardError.write("usage: dsp-bench oracle|lead3 RECORDS.json OUT.jsonl\n".data(using: .utf8)!)
    exit(2)
}
let records = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: arguments[2]))) as! [String: [String: Any]]
var lines: [String] = []
for key in records.keys.sorted(by: { (Int($0) ?? 0, $0) < (Int($1) ?? 0, $1) }) {
    let article = records[key]!["article"] as! String, reference = records[key]!["reference"] as! String
    var line: [String: Any] = ["id": key, "reference": reference]
    if arguments[1] == "oracle" {
        let keywords = OracleKeywords.extract(from: CandidateExtractor().allPhrases(article), reference: reference, limit: 10).map(\.text)
        line["input"] = article + "\nKeywords: " + HintFormat.hint(keywords)
    } else {
        line["input"] = article
        line["output"] = SentenceSplitter.split(article).prefix(3).joined(separator: " ")
    }
    lines.append(String(data: try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]), encoding: .utf8)!)
}
try (lines.joined(separator: "\n") + "\n").write(toFile: arguments[3], atomically: true, encoding: .utf8)
