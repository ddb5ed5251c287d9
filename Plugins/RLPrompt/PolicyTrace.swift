/// What a forward pass of ``PromptPolicy`` over one prompt keeps for the backward pass and the loss.
public struct PolicyTrace: Sendable {
    /// The tokens of the prompt, one per position.
    public var actions: [Int]
    /// Hidden activations, `promptLength x hiddenSize`, row per position.
    public var hidden: [Double]
    /// Logits (soft Q-values), `promptLength x vocabularySize`, row per position.
    public var logits: [Double]

    /// Creates a trace.
    public init(actions: [Int], hidden: [Double], logits: [Double]) {
        self.actions = actions
        self.hidden = hidden
        self.logits = logits
    }
}
