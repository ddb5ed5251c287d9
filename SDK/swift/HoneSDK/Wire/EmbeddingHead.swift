/// The embedding space a vector was computed in: the backend type and its model.
///
/// Vectors of one space mean nothing in another, so the host refuses an ``EmbeddingHead``
/// trained in a space other than its backend's.
public struct EmbeddingSpace: Codable, Hashable, Sendable, CustomStringConvertible {
    /// The backend type, e.g. "e5" or "openai".
    public var backend: String
    /// The model, e.g. "multilingual-e5-small".
    public var model: String

    /// Creates a space.
    public init(backend: String, model: String) {
        self.backend = backend
        self.model = model
    }

    /// E.g. `e5/multilingual-e5-small`.
    public var description: String { "\(backend)/\(model)" }
}

/// What an `embedding_head` prompt artifact applies in the host's embedding classifier.
///
/// For each input x the host embeds the rendered query q = embed(query: template(text, x)),
/// shifts and normalizes it, q' = normalize(q + queryShift), and scores each label c by
/// `cos(q', normalize(classVectors[c])) / temperature + logitBias[c]`; a softmax gives the
/// label distribution. The class vectors replace the embeddings of the verbalizers.
public struct EmbeddingHead: Codable, Hashable, Sendable {
    /// The space the head was trained in.
    public var space: EmbeddingSpace
    /// The vectors' dimension.
    public var dimension: Int
    /// One vector per task label, in label order.
    public var classVectors: [[Double]]
    /// Added to every query embedding before normalizing (nil: none).
    public var queryShift: [Double]?
    /// Added to each label's logit after the temperature (nil: none).
    public var logitBias: [Double]?
    /// The similarity temperature (nil: the backend's).
    public var temperature: Double?

    /// Creates a head.
    public init(space: EmbeddingSpace, dimension: Int, classVectors: [[Double]], queryShift: [Double]? = nil, logitBias: [Double]? = nil, temperature: Double? = nil) {
        self.space = space
        self.dimension = dimension
        self.classVectors = classVectors
        self.queryShift = queryShift
        self.logitBias = logitBias
        self.temperature = temperature
    }

    enum CodingKeys: String, CodingKey {
        case space, dimension, classVectors = "class_vectors", queryShift = "query_shift", logitBias = "logit_bias", temperature
    }

    /// Why the head cannot classify `labelCount` labels, or nil when it can: one class vector
    /// per label, every vector (and the shift) of ``dimension`` finite numbers, a positive
    /// temperature, one bias per label.
    public func problem(labelCount: Int) -> String? {
        if classVectors.count != labelCount {
            return "the head has \(classVectors.count) class vectors but the task has \(labelCount) labels"
        }
        for (i, v) in classVectors.enumerated() {
            if v.count != dimension { return "class_vectors[\(i)] has \(v.count) numbers, expected the head's dimension \(dimension)" }
            if !v.allSatisfy(\.isFinite) { return "class_vectors[\(i)] holds a number that is not finite" }
            if v.allSatisfy({ $0 == 0 }) { return "class_vectors[\(i)] is all zeros" }
        }
        if let s = queryShift, s.count != dimension || !s.allSatisfy(\.isFinite) {
            return "query_shift must hold \(dimension) finite numbers"
        }
        if let b = logitBias, b.count != labelCount || !b.allSatisfy(\.isFinite) {
            return "logit_bias must hold \(labelCount) finite numbers, one per label"
        }
        if let t = temperature, !(t > 0 && t.isFinite) { return "temperature must be a positive number" }
        return nil
    }
}
