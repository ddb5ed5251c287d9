import Foundation

/// One row per method with a dot per seed, a bar at the mean and a whisker of ± the spread
/// (population standard deviation), on a shared numeric x axis: how a method's test scores
/// spread over seeds, drawn as inline SVG.
struct SVGDotRows {
    var label: String
    /// Per row, its name and values.
    var rows: [(name: String, values: [Double])]
    var xLabel: String
    var width = 500.0

    /// The chart as an `<svg>` element.
    func render() -> String {
        let rowHeight = 26.0
        let left = min(200, 24 + Double(rows.map(\.name.count).max() ?? 10) * 6.3), right = 16.0, top = 10.0, bottom = 40.0
        let height = top + bottom + rowHeight * Double(max(rows.count, 1))
        let all = rows.flatMap(\.values)
        let domain = SVGPlot.padded(all.min() ?? 0, all.max() ?? 1, pad: 0.08, floorAtZero: false)
        func px(_ x: Double) -> Double { left + (x - domain.lowerBound) / (domain.upperBound - domain.lowerBound) * (width - left - right) }
        let f = SVG.number
        var svg = SVG.open(width: width, height: height, label: label)
        let y0 = height - bottom
        let step = SVGPlot.step(domain)
        for t in SVGPlot.ticks(domain.lowerBound, domain.upperBound, count: 6) {
            svg += "<line x1=\"\(f(px(t)))\" y1=\"\(f(top))\" x2=\"\(f(px(t)))\" y2=\"\(f(y0))\" stroke=\"#e4e7eb\"/>"
            svg += "<text x=\"\(f(px(t)))\" y=\"\(f(y0 + 16))\" font-size=\"11\" text-anchor=\"middle\">\(SVGPlot.tickLabel(t, step: step))</text>"
        }
        svg += "<line x1=\"\(f(left))\" y1=\"\(f(y0))\" x2=\"\(f(width - right))\" y2=\"\(f(y0))\" stroke=\"#7b8794\"/>"
        svg += "<text x=\"\(f((left + width - right) / 2))\" y=\"\(f(height - 6))\" font-size=\"12\" text-anchor=\"middle\">\(HTML.escape(xLabel))</text>"
        for (i, row) in rows.enumerated() {
            let y = top + rowHeight * (Double(i) + 0.5)
            let color = row.name.hasPrefix("prompt \"") ? "#7b8794" : ReportPalette.method(rows[..<i].filter { !$0.name.hasPrefix("prompt \"") }.count)
            let fits = max(8, Int((left - 14) / 6.4))
            let shown = row.name.count > fits ? String(row.name.prefix(fits - 1)) + "…" : row.name
            svg += "<text x=\"\(f(left - 8))\" y=\"\(f(y + 4))\" font-size=\"11\" text-anchor=\"end\"><title>\(HTML.escape(row.name))</title>\(HTML.escape(shown))</text>"
            guard !row.values.isEmpty else { continue }
            let mean = row.values.reduce(0, +) / Double(row.values.count)
            let spread = (row.values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(row.values.count)).squareRoot()
            svg += "<line x1=\"\(f(px(mean - spread)))\" y1=\"\(f(y))\" x2=\"\(f(px(mean + spread)))\" y2=\"\(f(y))\" stroke=\"\(color)\" stroke-width=\"2\"/>"
            svg += "<line x1=\"\(f(px(mean)))\" y1=\"\(f(y - 9))\" x2=\"\(f(px(mean)))\" y2=\"\(f(y + 9))\" stroke=\"\(color)\" stroke-width=\"3\"><title>mean \(HTML.score(mean)) ± \(HTML.score(spread))</title></line>"
            for v in row.values {
                svg += "<circle cx=\"\(f(px(v)))\" cy=\"\(f(y))\" r=\"4\" fill=\"\(color)\" fill-opacity=\"0.45\" stroke=\"\(color)\"><title>\(HTML.score(v))</title></circle>"
            }
        }
        return svg + "</svg>"
    }
}
