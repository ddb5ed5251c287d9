/// A prompt as Hone hands it from stage to stage, scores it and exports it.
///
/// The ``kind`` says how the host applies it:
/// - ``Kind/text``: ``text`` fills the task template's `{prompt}` slot for every input (ABI 1.0's
///   only kind, and the default).
/// - ``Kind/rendered``: the plugin that made it (``method`` at ``methodVersion``) renders a
///   different `{prompt}` text for each input through its `hone.artifact.renderer/1` extension;
///   ``data`` holds what that renderer needs (e.g. a policy's weights).
/// - ``Kind/embeddingHead``: ``head`` replaces the verbalizer embeddings of the host's embedding
///   classifier (learned class vectors, a query shift); ``text`` still fills `{prompt}` on the
///   query side. It is only valid in the embedding space it was trained in.
///
/// On the wire a bare JSON string is accepted and means `{"text": s}`.
public struct PromptArtifact: Codable, Hashable, Sendable {
    /// How the host applies an artifact.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// One text for every input.
        case text
        /// A text per input, written by the producing plugin's renderer.
        case rendered
        /// Class vectors (and a query shift) applied by the host's embedding classifier.
        case embeddingHead = "embedding_head"
    }

    /// How the host applies it (default ``Kind/text``).
    public var kind: Kind
    /// The text placed in the `{prompt}` slot of the task template (for a rendered artifact, the
    /// text shown where one text is needed, e.g. its instruction).
    public var text: String
    /// The id of the plugin that produced it, if any (required for ``Kind/rendered``).
    public var method: String?
    /// The version of the plugin that produced it (required for ``Kind/rendered``).
    public var methodVersion: String?
    /// Method-specific data (e.g. a policy's weights), opaque to the host.
    public var data: JSONValue?
    /// The structure of ``text`` when it is built from parts (instruction, context, demonstrations).
    public var parts: PromptParts?
    /// The head of an ``Kind/embeddingHead`` artifact.
    public var head: EmbeddingHead?
    /// Only in an evaluate request: one `{prompt}` text per requested example, in request order,
    /// for plugins that render per input during search. Never stored or exported.
    public var perInput: [String]?

    /// Creates a text artifact (ABI 1.0's prompt).
    public init(text: String, method: String? = nil, data: JSONValue? = nil) {
        self.init(kind: .text, text: text, method: method, data: data)
    }

    /// Creates an artifact of any kind.
    public init(
        kind: Kind, text: String, method: String? = nil, methodVersion: String? = nil, data: JSONValue? = nil,
        parts: PromptParts? = nil, head: EmbeddingHead? = nil, perInput: [String]? = nil
    ) {
        self.kind = kind
        self.text = text
        self.method = method
        self.methodVersion = methodVersion
        self.data = data
        self.parts = parts
        self.head = head
        self.perInput = perInput
    }

    enum CodingKeys: String, CodingKey {
        case kind, text, method, methodVersion = "method_version", data, parts, head, perInput = "per_input"
    }

    /// Accepts either a bare string (the text) or an object with a `text` member.
    public init(from decoder: Decoder) throws {
        if let single = try? decoder.singleValueContainer(), let text = try? single.decode(String.self) {
            self.init(text: text)
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let kindName = try c.decodeIfPresent(String.self, forKey: .kind) ?? Kind.text.rawValue
        guard let kind = Kind(rawValue: kindName) else {
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: c,
                debugDescription: "unknown prompt artifact kind \"\(kindName)\"; expected \(Kind.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))")
        }
        self.init(
            kind: kind,
            text: try c.decode(String.self, forKey: .text),
            method: try c.decodeIfPresent(String.self, forKey: .method),
            methodVersion: try c.decodeIfPresent(String.self, forKey: .methodVersion),
            data: try c.decodeIfPresent(JSONValue.self, forKey: .data),
            parts: try c.decodeIfPresent(PromptParts.self, forKey: .parts),
            head: try c.decodeIfPresent(EmbeddingHead.self, forKey: .head),
            perInput: try c.decodeIfPresent([String].self, forKey: .perInput))
        if kind == .embeddingHead, head == nil {
            throw DecodingError.dataCorruptedError(forKey: .head, in: c, debugDescription: "an embedding_head artifact needs a \"head\" object")
        }
        if kind == .rendered, method == nil {
            throw DecodingError.dataCorruptedError(forKey: .method, in: c, debugDescription: "a rendered artifact needs \"method\": the id of the plugin whose renderer applies it")
        }
    }

    /// Encodes the artifact; `kind` is left out for text artifacts, so their JSON is ABI 1.0's.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if kind != .text { try c.encode(kind, forKey: .kind) }
        try c.encode(text, forKey: .text)
        try c.encodeIfPresent(method, forKey: .method)
        try c.encodeIfPresent(methodVersion, forKey: .methodVersion)
        try c.encodeIfPresent(data, forKey: .data)
        try c.encodeIfPresent(parts, forKey: .parts)
        try c.encodeIfPresent(head, forKey: .head)
        try c.encodeIfPresent(perInput, forKey: .perInput)
    }

    /// The artifact as it is stored and compared: without ``perInput`` (a search-time detail).
    public var stored: PromptArtifact {
        var copy = self
        copy.perInput = nil
        return copy
    }

    /// Canonical JSON of ``stored`` (sorted keys): what identifies the prompt in ledgers and
    /// caches, so two artifacts with the same text but other heads or policies never collide.
    public var identity: String {
        (try? Wire.encode(stored)) ?? text
    }

    /// Whether applying it needs more than its text (a renderer or an embedding head).
    public var isTextOnly: Bool { kind == .text && perInput == nil }
}

/// The parts a prompt text was built from, for methods that assemble context and
/// demonstrations (e.g. BayesPrompt). Informative: the host applies ``PromptArtifact/text``.
public struct PromptParts: Codable, Hashable, Sendable {
    /// The instruction.
    public var instruction: String?
    /// Domain context sentences.
    public var context: [String]?
    /// Demonstrations: an input and the output (label verbalizer or reference) shown for it.
    public var demonstrations: [Demonstration]?

    /// One demonstration.
    public struct Demonstration: Codable, Hashable, Sendable {
        /// The demonstration's input text.
        public var input: String
        /// The output shown for it.
        public var output: String

        /// Creates a demonstration.
        public init(input: String, output: String) {
            self.input = input
            self.output = output
        }
    }

    /// Creates parts.
    public init(instruction: String? = nil, context: [String]? = nil, demonstrations: [Demonstration]? = nil) {
        self.instruction = instruction
        self.context = context
        self.demonstrations = demonstrations
    }
}
