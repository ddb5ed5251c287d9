/// How a generation task asks the backend for outputs (`task.generation` in a pipeline).
public struct GenerationSettings: Sendable, Hashable {
    /// Maximum tokens per output.
    public var maxTokens: Int
    /// Sampling temperature (0: greedy).
    public var temperature: Double
    /// A system message for chat backends, if any.
    public var system: String?
    /// Stop sequences.
    public var stop: [String]

    /// Creates settings; the defaults suit summaries (256 tokens, greedy).
    public init(maxTokens: Int = 256, temperature: Double = 0, system: String? = nil, stop: [String] = []) {
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.system = system
        self.stop = stop
    }

    /// Reads `task.generation`; every member is optional.
    init(_ o: ConfigObject?) throws {
        self.init()
        guard let o else { return }
        maxTokens = try o.optionalInt("max_tokens", in: 1...1_000_000) ?? maxTokens
        temperature = try o.optionalDouble("temperature", in: 0...10) ?? temperature
        system = try o.optionalString("system")
        stop = try o.optionalStringArray("stop") ?? []
        try o.finish()
    }
}
