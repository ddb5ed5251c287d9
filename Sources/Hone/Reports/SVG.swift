import Foundation

/// What Hone's inline SVG charts share: the opening tag with its accessible label, and how
/// coordinates are written.
enum SVG {
    /// `<svg>` with a `width` x `height` view box, labelled `label` for screen readers and as its tooltip.
    static func open(width: Double, height: Double, label: String) -> String {
        "<svg viewBox=\"0 0 \(number(width)) \(number(height))\" role=\"img\" aria-label=\"\(HTML.escape(label))\"><title>\(HTML.escape(label))</title>"
    }

    /// A coordinate with one decimal.
    static func number(_ x: Double) -> String { String(format: "%.1f", x) }
}
