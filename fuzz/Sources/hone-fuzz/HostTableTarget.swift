import CHoneABI
@testable import Hone
import HoneSDK
import Logging

/// A plugin's requests to the host, through the real `hone_host` table (`HostTable`) of a stage
/// context with six train and four dev examples, a classification evaluator with two labels and
/// a budget of 10,000 calls, over ``FuzzBackend``.
///
/// The first byte picks the function: even, `evaluate`; odd, `backend_call`. The rest is the
/// request text, cut at its first NUL (a C string). Properties: no crash; the host answers every
/// request with `HONE_OK` or an error status, and writes an answer or a message to the sink
/// either way; a stage never spends more than its budget.
enum HostTableTarget {
    static let labels = [TaskLabel(name: "neg", verbalizer: "bad"), TaskLabel(name: "pos", verbalizer: "good")]
    static let train = (0..<6).map { LabeledExample(input: "train example \($0) is \($0 % 2 == 0 ? "dull" : "fine")", label: $0 % 2 == 0 ? "neg" : "pos") }
    static let dev = (0..<4).map { LabeledExample(input: "dev example \($0)", label: $0 % 2 == 0 ? "neg" : "pos") }
    static let backend = FuzzBackend()
    static let budget = 10_000

    static func run(_ bytes: [UInt8]) {
        guard let selector = bytes.first else { return }
        let context = StageContext(
            stageIndex: 0, pluginID: "org.hone.fuzz", train: train, dev: dev,
            evaluator: ClassificationEvaluator(backend: backend, template: "{prompt} {input}", labels: labels, metric: "accuracy"),
            backend: backend, budgetCalls: budget, checkpointFile: nil,
            logger: Logger(label: "hone-fuzz", factory: { _ in SwiftLogNoOpLogHandler() }), onProgress: { _, _, _ in })
        let host = HostTable(context: context)
        var request = Array(bytes.dropFirst().prefix { $0 != 0 })
        request.append(0)
        let answer = SinkBuffer()
        let status = request.withUnsafeBufferPointer { text in
            text.baseAddress!.withMemoryRebound(to: CChar.self, capacity: text.count) { cText in
                answer.withSink { sink in
                    selector % 2 == 0
                        ? host.table.pointee.evaluate!(host.table, cText, sink)
                        : host.table.pointee.backend_call!(host.table, cText, sink)
                }
            }
        }
        require(status == HONE_OK || !answer.string.isEmpty, "status \(status) with no message")
        require(context.usedCalls <= budget, "the stage spent \(context.usedCalls) calls of a budget of \(budget)")
    }
}
