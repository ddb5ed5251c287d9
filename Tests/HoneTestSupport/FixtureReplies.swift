import HoneSDK

/// Answer bodies in the documented formats of OpenAI, vLLM and llama.cpp's server, for the
/// ``FixtureHTTPServer`` (a test fixture; the values are made up, the shapes are the servers').
public enum FixtureReplies {
    /// A chat completion as OpenAI sends it (`refusal`, token details, `system_fingerprint`).
    public static func openAIChat(_ texts: [String], model: String = "gpt-4o-mini", promptTokens: Int = 12, completionTokens: Int = 5) -> String {
        let choices: [JSONValue] = texts.enumerated().map { i, t in
            ["index": .number(Double(i)), "message": ["role": "assistant", "content": .string(t), "refusal": nil], "logprobs": nil, "finish_reason": "stop"]
        }
        let body: JSONValue = [
            "id": "chatcmpl-fixture", "object": "chat.completion", "created": 1_700_000_000, "model": .string(model),
            "choices": .array(choices),
            "usage": ["prompt_tokens": .number(Double(promptTokens)), "completion_tokens": .number(Double(completionTokens)),
                      "total_tokens": .number(Double(promptTokens + completionTokens)),
                      "prompt_tokens_details": ["cached_tokens": 0, "audio_tokens": 0],
                      "completion_tokens_details": ["reasoning_tokens": 0, "audio_tokens": 0]],
            "service_tier": "default", "system_fingerprint": "fp_fixture",
        ]
        return body.serialized(sortedKeys: false)
    }

    /// A chat completion with `logprobs` and `top_logprobs` for its first token (OpenAI's shape,
    /// which llama.cpp's server also uses).
    public static func chatWithTopLogprobs(_ top: [(String, Double)], model: String = "gpt-4o-mini") -> String {
        let entries: [JSONValue] = top.map { t, lp in ["token": .string(t), "logprob": .number(lp), "bytes": .array(Array(t.utf8).map { .number(Double($0)) })] }
        let first = top.first ?? ("", 0)
        let body: JSONValue = [
            "id": "chatcmpl-fixture", "object": "chat.completion", "created": 1_700_000_000, "model": .string(model),
            "choices": [["index": 0, "message": ["role": "assistant", "content": .string(first.0)], "finish_reason": "length",
                         "logprobs": ["content": [["token": .string(first.0), "logprob": .number(first.1), "bytes": nil, "top_logprobs": .array(entries)]], "refusal": nil]]],
            "usage": ["prompt_tokens": 20, "completion_tokens": 1, "total_tokens": 21],
        ]
        return body.serialized(sortedKeys: false)
    }

    /// A text completion with echoed prompt log-probabilities as vLLM sends it: the first token
    /// has a `null` log-probability, offsets count characters, `top_logprobs` per position.
    public static func vLLMEchoCompletion(tokens: [(String, Double?)], model: String = "meta-llama/Llama-3.1-8B") -> String {
        var offsets: [JSONValue] = []
        var position = 0
        for (t, _) in tokens {
            offsets.append(.number(Double(position)))
            position += t.unicodeScalars.count
        }
        let logprobs: JSONValue = [
            "text_offset": .array(offsets),
            "token_logprobs": .array(tokens.map { $0.1.map(JSONValue.number) ?? .null }),
            "tokens": .array(tokens.map { .string($0.0) }),
            "top_logprobs": .array(tokens.map { t, lp in lp.map { .object([t: .number($0)]) } ?? .null }),
        ]
        let body: JSONValue = [
            "id": "cmpl-fixture", "object": "text_completion", "created": 1_700_000_000, "model": .string(model),
            "choices": [["index": 0, "text": .string(tokens.map(\.0).joined()), "logprobs": logprobs, "finish_reason": "length", "stop_reason": nil, "prompt_logprobs": nil]],
            "usage": ["prompt_tokens": .number(Double(tokens.count)), "total_tokens": .number(Double(tokens.count)), "completion_tokens": 0, "prompt_tokens_details": nil],
        ]
        return body.serialized(sortedKeys: false)
    }

    /// A plain text completion (no log-probabilities) as vLLM's `/v1/completions` sends it.
    public static func vLLMCompletion(_ text: String, model: String = "meta-llama/Llama-3.1-8B", promptTokens: Int = 30, completionTokens: Int = 12) -> String {
        let body: JSONValue = [
            "id": "cmpl-fixture", "object": "text_completion", "created": 1_700_000_000, "model": .string(model),
            "choices": [["index": 0, "text": .string(text), "logprobs": nil, "finish_reason": "stop", "stop_reason": nil, "prompt_logprobs": nil]],
            "usage": ["prompt_tokens": .number(Double(promptTokens)), "total_tokens": .number(Double(promptTokens + completionTokens)),
                      "completion_tokens": .number(Double(completionTokens)), "prompt_tokens_details": nil],
        ]
        return body.serialized(sortedKeys: false)
    }

    /// A text completion as llama.cpp's server sends it (with its `timings` object).
    public static func llamaCppCompletion(_ text: String, promptTokens: Int = 9, completionTokens: Int = 4) -> String {
        let body: JSONValue = [
            "choices": [["text": .string(text), "index": 0, "logprobs": nil, "finish_reason": "stop"]],
            "created": 1_700_000_000, "model": "gpt-3.5-turbo", "system_fingerprint": "b4000-fixture", "object": "text_completion",
            "usage": ["completion_tokens": .number(Double(completionTokens)), "prompt_tokens": .number(Double(promptTokens)), "total_tokens": .number(Double(promptTokens + completionTokens))],
            "id": "chatcmpl-fixture",
            "timings": ["prompt_n": .number(Double(promptTokens)), "prompt_ms": 12.5, "predicted_n": .number(Double(completionTokens)), "predicted_ms": 40.1],
        ]
        return body.serialized(sortedKeys: false)
    }

    /// An embeddings answer (OpenAI's shape; vLLM and llama.cpp send the same).
    public static func embeddings(_ vectors: [[Float]], model: String = "text-embedding-3-small", promptTokens: Int = 8) -> String {
        let data: [JSONValue] = vectors.enumerated().map { i, v in
            ["object": "embedding", "index": .number(Double(i)), "embedding": .array(v.map { .number(Double($0)) })]
        }
        let body: JSONValue = ["object": "list", "data": .array(data), "model": .string(model),
                               "usage": ["prompt_tokens": .number(Double(promptTokens)), "total_tokens": .number(Double(promptTokens))]]
        return body.serialized(sortedKeys: false)
    }

    /// OpenAI's error body.
    public static func openAIError(_ message: String, type: String = "invalid_request_error", code: String? = nil) -> String {
        let body: JSONValue = ["error": ["message": .string(message), "type": .string(type), "param": nil, "code": code.map(JSONValue.string) ?? .null]]
        return body.serialized(sortedKeys: false)
    }

    /// vLLM's error body (`object: "error"` at the top level).
    public static func vLLMError(_ message: String, code: Int = 400) -> String {
        let body: JSONValue = ["object": "error", "message": .string(message), "type": "BadRequestError", "param": nil, "code": .number(Double(code))]
        return body.serialized(sortedKeys: false)
    }

    /// llama.cpp's error body.
    public static func llamaCppError(_ message: String, code: Int, type: String) -> String {
        let body: JSONValue = ["error": ["code": .number(Double(code)), "message": .string(message), "type": .string(type)]]
        return body.serialized(sortedKeys: false)
    }
}
