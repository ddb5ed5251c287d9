extension VisibleSplit {
    /// Reads `"train"` or `"dev"`; any other value (`"test"` above all) is refused with the
    /// splits a plugin may use, since test is scored by the host alone, for the final report.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let split = VisibleSplit(rawValue: text) else {
            let why = text == "test" ? " (the test split is scored by the host alone, for the final report)" : ""
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "plugins may evaluate on \"train\" or \"dev\", not \"\(text)\"\(why)")
        }
        self = split
    }
}
