import Foundation

/// A bar chart drawn as inline SVG: categories along x, one bar per series in each category,
/// a numeric y axis from zero (or from `yRange`), values printed on the bars when asked.
/// Used for baseline against best on train/dev/test and for histograms of candidate scores.
struct SVGBars {
    /// One series: a value per category.
    struct Series {
        var name: String
        var color: String
        var values: [Double]
    }

    var label: String
    var categories: [String]
    var series: [Series]
    var yLabel: String
    var valueFormat: (Double) -> String = { HTML.score($0) }
    var showValues = true
    var yRange: ClosedRange<Double>? = nil
    var width = 500.0
    var height = 270.0

    /// The chart as an `<svg>` element.
    func render() -> String {
        let margin = (left: 58.0, right: 14.0, top: 34.0, bottom: 42.0)
        let all = series.flatMap(\.values)
        let domain = yRange ?? 0...max((all.max() ?? 1) * 1.12, 1e-9)
        let x0 = margin.left, x1 = width - margin.right, y0 = height - margin.bottom, y1 = margin.top
        func py(_ y: Double) -> Double { y0 - (min(max(y, domain.lowerBound), domain.upperBound) - domain.lowerBound) / (domain.upperBound - domain.lowerBound) * (y0 - y1) }
        let f = SVG.number
        var svg = SVG.open(width: width, height: height, label: label)
        let step = SVGPlot.step(domain)
        for t in SVGPlot.ticks(domain.lowerBound, domain.upperBound, count: 5) {
            svg += "<line x1=\"\(f(x0))\" y1=\"\(f(py(t)))\" x2=\"\(f(x1))\" y2=\"\(f(py(t)))\" stroke=\"#e4e7eb\"/>"
            svg += "<text x=\"\(f(x0 - 6))\" y=\"\(f(py(t) + 4))\" font-size=\"11\" text-anchor=\"end\">\(SVGPlot.tickLabel(t, step: step))</text>"
        }
        svg += "<line x1=\"\(f(x0))\" y1=\"\(f(y0))\" x2=\"\(f(x1))\" y2=\"\(f(y0))\" stroke=\"#7b8794\"/>"
        svg += "<text transform=\"translate(14 \(f((y0 + y1) / 2))) rotate(-90)\" font-size=\"12\" text-anchor=\"middle\">\(HTML.escape(yLabel))</text>"
        let groupWidth = (x1 - x0) / Double(max(categories.count, 1))
        let barWidth = min(56, groupWidth * 0.8 / Double(max(series.count, 1)))
        let labelEvery = max(1, Int((Double(categories.count) * 46 / (x1 - x0)).rounded(.up)))
        for (c, category) in categories.enumerated() {
            let center = x0 + groupWidth * (Double(c) + 0.5)
            let start = center - barWidth * Double(series.count) / 2
            for (k, s) in series.enumerated() where c < s.values.count {
                let v = s.values[c]
                let x = start + barWidth * Double(k)
                let top = py(v)
                svg += "<rect x=\"\(f(x + 1))\" y=\"\(f(top))\" width=\"\(f(max(barWidth - 2, 1)))\" height=\"\(f(max(y0 - top, 0)))\" fill=\"\(s.color)\" rx=\"2\">"
                svg += "<title>\(HTML.escape(s.name)), \(HTML.escape(category)): \(valueFormat(v))</title></rect>"
                if showValues && v != 0 {
                    svg += "<text x=\"\(f(x + barWidth / 2))\" y=\"\(f(top - 4))\" font-size=\"11\" text-anchor=\"middle\">\(valueFormat(v))</text>"
                }
            }
            if c % labelEvery == 0 {
                svg += "<text x=\"\(f(center))\" y=\"\(f(y0 + 16))\" font-size=\"11\" text-anchor=\"middle\">\(HTML.escape(category))</text>"
            }
        }
        var lx = x0
        for s in series {
            svg += "<rect x=\"\(f(lx))\" y=\"\(f(10))\" width=\"12\" height=\"12\" fill=\"\(s.color)\" rx=\"2\"/>"
            svg += "<text x=\"\(f(lx + 17))\" y=\"\(f(20))\" font-size=\"11\">\(HTML.escape(s.name))</text>"
            lx += 30 + Double(s.name.count) * 6.2
        }
        return svg + "</svg>"
    }
}
