import HoneSDK

/// What a DSP `rendered` artifact's `data` holds: how to write each input's hint and the prompt
/// around it. Written by ``DSPOptimizer``, read by ``HintRenderer``.
///
/// ```json
/// {"selector": "policy", "weights": [...], "max_keywords": 10, "candidates": 40, "max_words": 3,
///  "prompt_template": "... Keywords: [[HINT]]"}
/// ```
/// `selector` `"textrank"` (the untrained baseline: the `k` best non-overlapping TextRank
/// phrases) and `"random"` (`k` candidates drawn with a seed from the input's text) need no weights.
public struct HintArtifact: Equatable, Sendable {
    /// How hints are chosen.
    public enum Selector: String, CaseIterable, Sendable {
        /// The trained policy's greedy hint.
        case policy
        /// TextRank's top `k` phrases.
        case textrank
        /// `k` random candidates.
        case random
    }

    /// How hints are chosen.
    public var selector: Selector
    /// The policy (``Selector/policy`` only).
    public var policy: HintPolicy?
    /// Keywords of the baselines.
    public var k: Int
    /// Candidates per input.
    public var candidates: Int
    /// Longest candidate in words.
    public var maxWords: Int
    /// The `{prompt}` text with `[[HINT]]` (and optionally `[[QUESTION]]`).
    public var promptTemplate: String
    /// Seed of the random selector.
    public var seed: UInt64

    /// Creates artifact data.
    public init(selector: Selector, policy: HintPolicy?, k: Int = 8, candidates: Int, maxWords: Int, promptTemplate: String, seed: UInt64 = 0) {
        self.selector = selector
        self.policy = policy
        self.k = k
        self.candidates = candidates
        self.maxWords = maxWords
        self.promptTemplate = promptTemplate
        self.seed = seed
    }

    /// The data as JSON.
    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "selector": .string(selector.rawValue), "k": .number(Double(k)), "candidates": .number(Double(candidates)),
            "max_words": .number(Double(maxWords)), "prompt_template": .string(promptTemplate), "seed": .number(Double(seed)),
        ]
        if let policy {
            o["weights"] = .array(policy.weights.map { .number($0) })
            o["max_keywords"] = .number(Double(policy.maxKeywords))
        }
        return .object(o)
    }

    /// Reads artifact data.
    /// - Throws: ``PluginError`` (invalid argument) naming the member that is missing or wrong.
    public init(json: JSONValue?) throws {
        func fail(_ what: String) -> PluginError {
            PluginError.invalidArgument("org.hone.dsp: artifact.data.\(what); this artifact was not written by org.hone.dsp or is damaged — export it again from its run")
        }
        guard let json, json.objectValue != nil else { throw fail("is missing (expected an object)") }
        guard let name = json["selector"]?.stringValue, let selector = Selector(rawValue: name) else {
            throw fail("selector must be one of \(Selector.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let template = json["prompt_template"]?.stringValue else { throw fail("prompt_template must be a string") }
        self.selector = selector
        promptTemplate = template
        k = json["k"]?.intValue ?? 8
        candidates = json["candidates"]?.intValue ?? 40
        maxWords = json["max_words"]?.intValue ?? 3
        seed = UInt64(json["seed"]?.doubleValue ?? 0)
        if selector == .policy {
            guard let weights = json["weights"]?.arrayValue?.compactMap(\.doubleValue), weights.count > CandidateFeatures.scalarCount + 3 else {
                throw fail("weights must be an array of more than \(CandidateFeatures.scalarCount + 3) numbers")
            }
            guard let maxKeywords = json["max_keywords"]?.intValue, maxKeywords > 0 else { throw fail("max_keywords must be a positive integer") }
            policy = HintPolicy(weights: weights, maxKeywords: maxKeywords)
        } else {
            policy = nil
        }
    }

    /// The candidate extractor these settings describe.
    public var extractor: CandidateExtractor { CandidateExtractor(maxWords: maxWords) }

    /// The keyword phrases for each input (embedding through `embed` for the policy).
    public func keywords(_ inputs: [String], embed: @escaping ([String], String) throws -> [[Float]]) throws -> [[String]] {
        switch selector {
        case .policy:
            let features = try HintFeaturizer(extractor: extractor, limit: candidates, embed: embed).features(inputs)
            return features.map { f in policy!.greedy(f).chosen.map { f.candidates[$0].text } }
        case .textrank:
            return inputs.map { CandidateExtractor.topK(extractor.candidates($0, limit: candidates), k: k).map(\.text) }
        case .random:
            return inputs.map { input in
                var rng = SeededGenerator(seed: seed ^ HintArtifact.fnv1a(input))
                let pool = extractor.candidates(input, limit: candidates)
                var picked: [CandidatePhrase] = []
                for c in pool.shuffled(using: &rng) where picked.count < k && !picked.contains(where: { $0.overlaps(c) }) {
                    picked.append(c)
                }
                return picked.map(\.text)
            }
        }
    }

    /// The `{prompt}` text of each input.
    public func prompts(_ inputs: [String], embed: @escaping ([String], String) throws -> [[Float]]) throws -> [String] {
        zip(inputs, try keywords(inputs, embed: embed)).map { input, keywords in
            HintFormat.prompt(template: promptTemplate, keywords: keywords, input: input)
        }
    }

    /// FNV-1a of a text's UTF-8 bytes: a seed that depends on the input only.
    static func fnv1a(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }
}

/// Opens DSP's `rendered` artifacts: writes each new input's hint with the artifact's selector
/// (the trained policy, run greedily) and fills the prompt template around it.
public final class HintRenderer: HoneArtifactRenderer {
    private let data: HintArtifact
    private let host: HostConnection

    /// Opens a renderer for one artifact.
    public init(artifact: PromptArtifact, host: HostConnection) throws {
        data = try HintArtifact(json: artifact.data)
        self.host = host
    }

    /// One `{prompt}` text per input.
    public func render(_ inputs: [String]) throws -> [String] {
        let host = self.host
        return try data.prompts(inputs) { try host.embed($0, role: $1) }
    }
}
