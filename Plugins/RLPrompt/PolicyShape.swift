/// The sizes of the prompt policy network and where each weight lives in its flat parameter vector.
///
/// The network (see ``PromptPolicy``) reads the previous token's embedding and the position's
/// embedding, applies one tanh hidden layer, and emits one logit (a soft Q-value) per
/// vocabulary token; with frozen token features, the logits are also read through them. All weights live in one `[Double]` so that Adam, Polyak averaging,
/// gradient clipping and checkpoints treat them as one vector.
public struct PolicyShape: Equatable, Sendable {
    /// Number of candidate tokens (actions).
    public let vocabularySize: Int
    /// Tokens per prompt (the episode length).
    public let promptLength: Int
    /// Width of the token and position embeddings.
    public let embeddingSize: Int
    /// Width of the hidden layer.
    public let hiddenSize: Int
    /// Width of the frozen token features the logits are read through; 0 means none (free
    /// per-token output weights, trained).
    public let featureSize: Int

    /// Creates a shape; every size must be positive (`featureSize` may be 0).
    public init(vocabularySize: Int, promptLength: Int, embeddingSize: Int, hiddenSize: Int, featureSize: Int = 0) {
        precondition(vocabularySize > 0 && promptLength > 0 && embeddingSize > 0 && hiddenSize > 0 && featureSize >= 0,
                     "policy sizes must be positive")
        self.vocabularySize = vocabularySize
        self.promptLength = promptLength
        self.embeddingSize = embeddingSize
        self.hiddenSize = hiddenSize
        self.featureSize = featureSize
    }

    /// Index of the begin-of-prompt pseudo token, whose embedding conditions the first position.
    public var beginToken: Int { vocabularySize }
    /// Width of the hidden layer's input: token embedding then position embedding.
    public var inputSize: Int { 2 * embeddingSize }

    /// Offset of the token embeddings, `(vocabularySize + 1) x embeddingSize`, row per token.
    public var tokenEmbeddings: Int { 0 }
    /// Offset of the position embeddings, `promptLength x embeddingSize`.
    public var positionEmbeddings: Int { tokenEmbeddings + (vocabularySize + 1) * embeddingSize }
    /// Offset of the hidden layer's weights, `hiddenSize x inputSize`, row-major.
    public var hiddenWeights: Int { positionEmbeddings + promptLength * embeddingSize }
    /// Offset of the hidden layer's biases, `hiddenSize`.
    public var hiddenBiases: Int { hiddenWeights + hiddenSize * inputSize }
    /// Offset of the output weights, `vocabularySize x hiddenSize`, row-major.
    public var outputWeights: Int { hiddenBiases + hiddenSize }
    /// Offset of the output biases, `vocabularySize`.
    public var outputBiases: Int { outputWeights + vocabularySize * hiddenSize }
    /// Offset of the feature projection, `featureSize x hiddenSize`, row-major (empty without features).
    public var featureProjection: Int { outputBiases + vocabularySize }
    /// Total number of parameters.
    public var parameterCount: Int { featureProjection + featureSize * hiddenSize }
}
