// hone-bench: measurements of the host's own work, for benchmarks/run_foundation.sh.
// Not part of the test suite.
//
//   hone-bench e5-throughput FILE [REPEATS] [BATCH]  embed the texts of FILE (one a line) through the
//                                              host's e5 backend, memory-only cache cleared each
//                                              repeat; prints texts/s of every repeat as JSON.
import Foundation
import Hone

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("hone-bench: \(message)\n".utf8))
    exit(2)
}

let arguments = CommandLine.arguments
guard arguments.count >= 3, arguments[1] == "e5-throughput" else {
    fail("usage: hone-bench e5-throughput FILE [REPEATS] [BATCH]")
}
guard let text = try? String(contentsOfFile: arguments[2], encoding: .utf8) else { fail("cannot read \(arguments[2])") }
let texts = text.split(separator: "\n").map(String.init)
let repeats = arguments.count > 3 ? Int(arguments[3]) ?? 3 : 3
let batchSize = arguments.count > 4 ? Int(arguments[4]) ?? 256 : 256
do {
    let engine = try E5Engine(location: try E5Engine.locate())
    _ = try engine.embed(["warm up"], isQuery: false)
    var rates: [Double] = []
    for _ in 0..<repeats {
        let backend = E5Backend(engine: engine, cache: try EmbeddingCache(path: nil), batchSize: batchSize)
        let start = DispatchTime.now().uptimeNanoseconds
        let vectors = try backend.embed(texts, role: .passage)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        precondition(vectors.count == texts.count)
        rates.append(Double(texts.count) / seconds)
    }
    print("{\"texts\": \(texts.count), \"texts_per_second\": [\(rates.map { String(format: "%.2f", $0) }.joined(separator: ", "))]}")
} catch {
    fail("\(error)")
}
