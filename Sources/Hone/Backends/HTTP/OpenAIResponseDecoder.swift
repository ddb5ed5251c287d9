import Foundation
import HoneSDK

/// Reads the documented answer formats of OpenAI-compatible servers (OpenAI, vLLM, llama.cpp's
/// server, Ollama, LM Studio): pure functions from JSON to values, throwing on anything that is
/// not there. A missing piece is an error, never a made-up value.
enum OpenAIResponseDecoder {
    /// An answer lacks what the endpoint documents.
    struct DecodeError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Input and output tokens from `usage` (0 when the server does not report them).
    static func usage(_ json: JSONValue) -> (prompt: Int, completion: Int) {
        let usage = json["usage"]
        let prompt = usage?["prompt_tokens"]?.intValue ?? usage?["input_tokens"]?.intValue ?? 0
        let completion = usage?["completion_tokens"]?.intValue ?? usage?["output_tokens"]?.intValue ?? 0
        return (prompt, completion)
    }

    /// The `choices`, in `index` order; at least one.
    static func choices(_ json: JSONValue) throws -> [JSONValue] {
        guard let choices = json["choices"]?.arrayValue else {
            throw DecodeError("no \"choices\" array")
        }
        guard !choices.isEmpty else { throw DecodeError("an empty \"choices\" array") }
        return choices.enumerated().sorted { ($0.element["index"]?.intValue ?? $0.offset) < ($1.element["index"]?.intValue ?? $1.offset) }.map(\.element)
    }

    /// The texts of a chat completion: `choices[i].message.content`.
    static func chatTexts(_ json: JSONValue) throws -> [String] {
        try choices(json).enumerated().map { i, choice in
            guard let content = choice["message"]?["content"]?.stringValue else {
                throw DecodeError("choices[\(i)].message.content is not a string")
            }
            return content
        }
    }

    /// The texts of a text completion: `choices[i].text`.
    static func completionTexts(_ json: JSONValue) throws -> [String] {
        try choices(json).enumerated().map { i, choice in
            guard let text = choice["text"]?.stringValue else {
                throw DecodeError("choices[\(i)].text is not a string")
            }
            return text
        }
    }

    /// The summed log-probability of the candidate's tokens in an echoed completion
    /// (`echo: true, logprobs: 1`): the tokens overlapping the characters
    /// `[contextLength, contextLength + candidateLength)` of the prompt, with lengths in Unicode
    /// scalars (what `text_offset` counts). A token straddling the boundary counts for the
    /// candidate (it holds candidate text); generated tokens past the prompt do not count.
    static func echoedLogprob(_ json: JSONValue, contextLength: Int, candidateLength: Int) throws -> Double {
        let choice = try choices(json)[0]
        guard let logprobs = choice["logprobs"], !logprobs.isNull else {
            throw DecodeError("choices[0].logprobs is missing: the server ignored \"echo\"/\"logprobs\"; use score_mode \"chat-top-logprobs\" for this server")
        }
        guard let tokens = logprobs["tokens"]?.arrayValue?.compactMap(\.stringValue),
              let values = logprobs["token_logprobs"]?.arrayValue, tokens.count == values.count, !tokens.isEmpty else {
            throw DecodeError("choices[0].logprobs has no matching \"tokens\" and \"token_logprobs\" arrays")
        }
        var offsets: [Int]
        if let given = logprobs["text_offset"]?.arrayValue?.compactMap(\.intValue), given.count == tokens.count {
            offsets = given
        } else {
            offsets = []
            var position = 0
            for token in tokens {
                offsets.append(position)
                position += token.unicodeScalars.count
            }
        }
        let start = contextLength
        let end = contextLength + candidateLength
        let promptEnd = (offsets.last ?? 0) + (tokens.last?.unicodeScalars.count ?? 0)
        guard promptEnd >= end else {
            throw DecodeError("the echoed prompt is shorter (\(promptEnd) characters) than context plus candidate (\(end)): the answer is truncated or the server did not echo")
        }
        var sum = 0.0
        var counted = 0
        for i in 0..<tokens.count {
            let tokenStart = offsets[i]
            let tokenEnd = i + 1 < tokens.count ? max(offsets[i + 1], tokenStart + (tokens[i].isEmpty ? 0 : 1)) : tokenStart + tokens[i].unicodeScalars.count
            guard tokenEnd > start, tokenStart < end else { continue }
            guard let raw = values[i].doubleValue else {
                throw DecodeError("token \(i) (\"\(tokens[i])\") of the candidate has no log-probability")
            }
            sum += try AnswerValidation.logprob(raw, "choices[0].logprobs.token_logprobs[\(i)] (token \"\(tokens[i])\")")
            counted += 1
        }
        guard counted > 0 else { throw DecodeError("no echoed token covers the candidate") }
        return sum
    }

    /// The `top_logprobs` of the first generated token of a chat completion with `logprobs: true`.
    static func firstTopLogprobs(_ json: JSONValue) throws -> [(token: String, logprob: Double)] {
        let choice = try choices(json)[0]
        guard let content = choice["logprobs"]?["content"]?.arrayValue, let first = content.first else {
            throw DecodeError("choices[0].logprobs.content is missing or empty: the server does not return chat log-probabilities; score with another backend or score_mode")
        }
        guard let top = first["top_logprobs"]?.arrayValue, !top.isEmpty else {
            throw DecodeError("choices[0].logprobs.content[0].top_logprobs is missing or empty")
        }
        return try AnswerValidation.topLogprobs(top.enumerated().map { i, entry in
            guard let token = entry["token"]?.stringValue, let value = entry["logprob"]?.doubleValue else {
                throw DecodeError("top_logprobs[\(i)] lacks \"token\" or \"logprob\"")
            }
            return (token, value)
        })
    }

    /// One vector per input of an embeddings answer, in input order (`data[i].index`); floats or
    /// base64. Every vector must be finite and, when `dimension` is given, that wide.
    static func embeddings(_ json: JSONValue, count: Int, dimension: Int? = nil) throws -> [[Float]] {
        guard let data = json["data"]?.arrayValue else { throw DecodeError("no \"data\" array") }
        guard data.count == count else { throw DecodeError("\(data.count) embeddings for \(count) inputs") }
        var vectors = [[Float]?](repeating: nil, count: count)
        for (i, item) in data.enumerated() {
            let index = item["index"]?.intValue ?? i
            guard index >= 0, index < count, vectors[index] == nil else { throw DecodeError("data[\(i)].index \(index) is out of range or repeated") }
            if let numbers = item["embedding"]?.arrayValue {
                var v = [Float]()
                v.reserveCapacity(numbers.count)
                for n in numbers {
                    guard let d = n.doubleValue else { throw DecodeError("data[\(i)].embedding holds a non-number") }
                    v.append(Float(d))
                }
                vectors[index] = v
            } else if let text = item["embedding"]?.stringValue, let bytes = Data(base64Encoded: text), bytes.count % 4 == 0 {
                vectors[index] = bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
            } else {
                throw DecodeError("data[\(i)].embedding is neither an array of numbers nor base64")
            }
            try AnswerValidation.vector(vectors[index]!, dimension: dimension, "data[\(i)].embedding")
        }
        let vs = vectors.map { $0! }
        if Set(vs.map(\.count)).count > 1 { throw DecodeError("embeddings of different lengths") }
        return vs
    }
}
