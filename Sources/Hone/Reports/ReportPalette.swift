/// The colours of Hone's charts: one per split, and one per method or stage (colour-blind-safe
/// order, from the Okabe-Ito palette).
enum ReportPalette {
    /// Train scores.
    static let train = "#0072b2"
    /// Dev scores.
    static let dev = "#e69f00"
    /// Test scores.
    static let test = "#009e73"
    /// The baseline prompt.
    static let baseline = "#9aa5b1"
    /// The best prompt.
    static let best = "#0072b2"
    /// Colours for methods, in order.
    static let methods = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#f0e442"]

    /// The colour of the `index`-th method.
    static func method(_ index: Int) -> String { methods[index % methods.count] }
}
