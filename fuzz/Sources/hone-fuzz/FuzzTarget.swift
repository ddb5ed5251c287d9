#if canImport(Glibc)
import Glibc
#endif

/// The parsers Hone's fuzzer feeds, one per `--target=NAME`. Each is a function from arbitrary
/// bytes to nothing that must not crash, trap, hang or trip AddressSanitizer, and that checks the
/// properties stated in its file (e.g. a parsed JSON value serializes and parses back equal).
///
/// This file and the five beside it are the only places that name Hone's parsers; when one is
/// renamed, this is what changes. The seed corpus is `fuzz/corpus/<name>/`.
enum FuzzTarget: String, CaseIterable {
    /// `JSONValue(parsingUTF8:)` (HoneSDK): every JSON text Hone reads goes through it.
    case json
    /// `PipelineConfig(json:baseDirectory:)` of the parsed bytes, with and without a UTF-8 BOM.
    case config
    /// The dataset readers (TSV, CSV, JSON Lines, JSON records, SemEval, BIG-bench) through
    /// `DatasetLoader`; the first byte picks the format and options, the rest is the file.
    case dataset
    /// The OpenAI-compatible answer decoders: an HTTP body through `HTTPAttemptOutcome` and each
    /// of `OpenAIResponseDecoder`'s readers (chat, completion, echoed and top log-probabilities,
    /// embeddings), then `ChatLogprobScoring`.
    case httpAnswer = "http-answer"
    /// The wire types crossing the C ABI (`Wire.decode` of run and evaluate requests and results,
    /// artifacts, heads); the first byte picks the type.
    case wire
    /// The host side of the ABI: a plugin's `evaluate` and `backend_call` requests through the
    /// real `hone_host` table of a stage context; the first byte picks the function.
    case hostTable = "host-table"

    /// Work done once per process (temporary folders, fixed objects).
    static func prepare() {
        DatasetTarget.prepare()
    }

    /// Feeds `bytes` to this target.
    func run(_ bytes: [UInt8]) {
        switch self {
        case .json: JSONTarget.run(bytes)
        case .config: ConfigTarget.run(bytes)
        case .dataset: DatasetTarget.run(bytes)
        case .httpAnswer: HTTPAnswerTarget.run(bytes)
        case .wire: WireTarget.run(bytes)
        case .hostTable: HostTableTarget.run(bytes)
        }
    }
}

/// Ends the process with `message` when a property that must hold for every input does not:
/// libFuzzer records the input as a crash.
func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() {
        fputs("hone-fuzz: property broken: \(message())\n", stderr)
        abort()
    }
}
