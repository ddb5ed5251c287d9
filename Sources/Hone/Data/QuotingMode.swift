/// How a delimited file treats double quotes.
public enum QuotingMode: String, Sendable, CaseIterable {
    /// A `"` is text like any other character (the few-shot TSV files need this: some rows
    /// begin with a literal quote). A field cannot contain the separator or a line break.
    case none
    /// RFC 4180: a field wrapped in `"` may contain separators, line breaks and `""` (one quote).
    case rfc4180
}
