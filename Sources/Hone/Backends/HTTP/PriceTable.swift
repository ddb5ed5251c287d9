/// Prices of a model in US dollars per million tokens, for cost accounting.
public struct PriceTable: Sendable, Equatable {
    /// Dollars per 1M input (prompt) tokens.
    public var inputPerMillion: Double
    /// Dollars per 1M output (completion) tokens.
    public var outputPerMillion: Double

    /// Creates a price table.
    public init(inputPerMillion: Double, outputPerMillion: Double) {
        self.inputPerMillion = inputPerMillion
        self.outputPerMillion = outputPerMillion
    }

    /// No charge: local servers.
    public static let free = PriceTable(inputPerMillion: 0, outputPerMillion: 0)

    /// The cost of one call.
    public func cost(promptTokens: Int, completionTokens: Int) -> Double {
        (Double(promptTokens) * inputPerMillion + Double(completionTokens) * outputPerMillion) / 1_000_000
    }
}
