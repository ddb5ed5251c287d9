/// How a hint is written and placed in the prompt.
///
/// The hint is the keyword list joined with `"; "`, as in the paper's few-shot file
/// (`Keywords: Lee Wan-koo; resign; ...`). The prompt is the stage's `prompt_template` with its
/// `[[HINT]]` slot replaced by the hint and its `[[QUESTION]]` slot (if any) by the input, the
/// two markers of the paper's `cnndm_hint_fs.txt`.
public enum HintFormat {
    /// The marker replaced by the hint.
    public static let hintSlot = "[[HINT]]"
    /// The marker replaced by the input.
    public static let inputSlot = "[[QUESTION]]"

    /// `"kw1; kw2; ..."`.
    public static func hint(_ keywords: [String]) -> String {
        keywords.joined(separator: "; ")
    }

    /// The `{prompt}` text for one input.
    public static func prompt(template: String, keywords: [String], input: String) -> String {
        template.replacingOccurrences(of: hintSlot, with: hint(keywords))
            .replacingOccurrences(of: inputSlot, with: input)
    }
}
