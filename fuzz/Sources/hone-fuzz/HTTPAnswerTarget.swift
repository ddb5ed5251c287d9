import CCurl
@testable import Hone
import HoneSDK

/// An OpenAI-compatible server's answer body, as the HTTP backends read it.
///
/// The body goes through `HTTPAttemptOutcome.classify` as a 200 answer (with each decoder as the
/// request's validation, as the backends pass it) and as a 500 and a 429 (the error-message
/// reader), then through every `OpenAIResponseDecoder` reader with a few parameter sets, and the
/// top log-probabilities through `ChatLogprobScoring` (scores are log-probabilities: at most
/// log(1.01), the tolerance on a summed probability). Properties: no crash; a log-probability a
/// decoder returns is <= 0 or -infinity (issue 15, item 2); embeddings returned are finite and
/// as many as asked for.
enum HTTPAnswerTarget {
    static func run(_ bytes: [UInt8]) {
        for status in [200, 429, 500] {
            _ = HTTPAttemptOutcome.classify(
                curlCode: CURLE_OK, curlText: nil, status: status, body: bytes, url: "http://fuzz.invalid/v1/chat/completions",
                timeout: 1, overflowed: false, apiKey: nil,
                validate: { json in (try? OpenAIResponseDecoder.chatTexts(json)) == nil ? "not a chat answer" : nil })
        }
        guard let json = try? JSONValue(parsingUTF8: bytes) else { return }
        _ = OpenAIResponseDecoder.usage(json)
        _ = try? OpenAIResponseDecoder.chatTexts(json)
        _ = try? OpenAIResponseDecoder.completionTexts(json)
        for (context, candidate) in [(0, 1), (1, 3), (bytes.count % 7, bytes.count % 5), (5, 0)] {
            if let logprob = try? OpenAIResponseDecoder.echoedLogprob(json, contextLength: context, candidateLength: candidate) {
                require(logprob <= 0 || logprob == -.infinity, "echoedLogprob returned \(logprob)")
            }
        }
        if let top = try? OpenAIResponseDecoder.firstTopLogprobs(json) {
            require(top.allSatisfy { $0.logprob <= 0 }, "firstTopLogprobs returned a log-probability above 0")
            let scored = ChatLogprobScoring.scores(candidates: ["positive", "negative", "", " Neg"], top: top)
            require(scored.scores.count == 4 && scored.scores.allSatisfy { !$0.isNaN && $0 <= 0.01 }, "ChatLogprobScoring gave \(scored.scores)")
            let cached: JSONValue = .array(top.map { [.string($0.token), .number($0.logprob)] })
            _ = OpenAIBackend.topLogprobScores(ScoreItem(context: "", candidates: ["a", "b"]), cached)
        }
        let count = json["data"]?.arrayValue?.count ?? 1
        for (n, dimension) in [(count, nil), (count, 4), (count + 1, nil)] as [(Int, Int?)] {
            if let vectors = try? OpenAIResponseDecoder.embeddings(json, count: n, dimension: dimension) {
                require(vectors.count == n, "\(vectors.count) embeddings for \(n) inputs")
                require(vectors.allSatisfy { $0.allSatisfy(\.isFinite) }, "an embedding with a non-finite value was accepted")
            }
        }
    }
}
