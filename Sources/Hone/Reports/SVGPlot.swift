import Foundation

/// A chart on numeric x and y axes, drawn as inline SVG: series of points joined by straight
/// lines or steps, or drawn as dots; dashed horizontal reference lines; ticks, axis labels and
/// a legend. Used for learning curves (score against backend calls).
struct SVGPlot {
    /// How a series is drawn.
    enum Style {
        /// Points joined by straight lines.
        case line
        /// A step function: each value holds until the next point (best score so far).
        case steps
        /// Separate dots (every candidate).
        case dots
    }

    /// One series of points.
    struct Series {
        var name: String
        var color: String
        var style: Style
        var points: [(x: Double, y: Double)]
        /// A tooltip per point (dots only), e.g. the prompt.
        var tooltips: [String]? = nil
        /// Drawn thin and translucent (one seed of several), and left out of the legend.
        var faint = false
        /// Dot radius (dots only).
        var radius = 3.0
    }

    /// A dashed horizontal line at `y`, e.g. the baseline prompt's score.
    struct Reference {
        var name: String
        var y: Double
        var color: String
    }

    var label: String
    var xLabel: String
    var yLabel: String
    var series: [Series]
    var references: [Reference] = []
    var width = 500.0
    var height = 290.0
    /// Fixed axis ranges; by default they enclose every point and reference line.
    var xRange: ClosedRange<Double>? = nil
    var yRange: ClosedRange<Double>? = nil

    private let margin = (left: 58.0, right: 14.0, top: 14.0, bottom: 44.0)

    /// The chart as an `<svg>` element.
    func render() -> String {
        let xs = series.flatMap { $0.points.map(\.x) }
        let ys = series.flatMap { $0.points.map(\.y) } + references.map(\.y)
        let xDomain = xRange ?? Self.padded(xs.min() ?? 0, xs.max() ?? 1, pad: 0, floorAtZero: true)
        let yDomain = yRange ?? Self.padded(ys.min() ?? 0, ys.max() ?? 1, pad: 0.08, floorAtZero: false)
        let legend = legendLayout()
        let plotTop = margin.top + Double(legend.rows) * 18 + (legend.rows > 0 ? 4 : 0)
        let plot = (x0: margin.left, x1: width - margin.right, y0: height - margin.bottom, y1: plotTop)
        func px(_ x: Double) -> Double {
            plot.x0 + (x - xDomain.lowerBound) / max(xDomain.upperBound - xDomain.lowerBound, 1e-12) * (plot.x1 - plot.x0)
        }
        func py(_ y: Double) -> Double {
            plot.y0 - (y - yDomain.lowerBound) / max(yDomain.upperBound - yDomain.lowerBound, 1e-12) * (plot.y0 - plot.y1)
        }
        var svg = SVG.open(width: width, height: height, label: label)
        // Grid and ticks.
        for t in Self.ticks(yDomain.lowerBound, yDomain.upperBound, count: 5) {
            let y = py(t)
            svg += "<line x1=\"\(f(plot.x0))\" y1=\"\(f(y))\" x2=\"\(f(plot.x1))\" y2=\"\(f(y))\" stroke=\"#e4e7eb\" stroke-width=\"1\"/>"
            svg += "<text x=\"\(f(plot.x0 - 6))\" y=\"\(f(y + 4))\" font-size=\"11\" text-anchor=\"end\">\(Self.tickLabel(t, step: Self.step(yDomain)))</text>"
        }
        for t in Self.ticks(xDomain.lowerBound, xDomain.upperBound, count: 6) {
            let x = px(t)
            svg += "<line x1=\"\(f(x))\" y1=\"\(f(plot.y0))\" x2=\"\(f(x))\" y2=\"\(f(plot.y0 + 4))\" stroke=\"#9aa5b1\"/>"
            svg += "<text x=\"\(f(x))\" y=\"\(f(plot.y0 + 17))\" font-size=\"11\" text-anchor=\"middle\">\(Self.tickLabel(t, step: Self.step(xDomain)))</text>"
        }
        svg += "<line x1=\"\(f(plot.x0))\" y1=\"\(f(plot.y0))\" x2=\"\(f(plot.x1))\" y2=\"\(f(plot.y0))\" stroke=\"#7b8794\"/>"
        svg += "<line x1=\"\(f(plot.x0))\" y1=\"\(f(plot.y0))\" x2=\"\(f(plot.x0))\" y2=\"\(f(plot.y1))\" stroke=\"#7b8794\"/>"
        svg += "<text x=\"\(f((plot.x0 + plot.x1) / 2))\" y=\"\(f(height - 8))\" font-size=\"12\" text-anchor=\"middle\">\(HTML.escape(xLabel))</text>"
        svg += "<text transform=\"translate(14 \(f((plot.y0 + plot.y1) / 2))) rotate(-90)\" font-size=\"12\" text-anchor=\"middle\">\(HTML.escape(yLabel))</text>"
        // References under the data.
        for r in references {
            let y = py(r.y)
            svg += "<line x1=\"\(f(plot.x0))\" y1=\"\(f(y))\" x2=\"\(f(plot.x1))\" y2=\"\(f(y))\" stroke=\"\(r.color)\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"><title>\(HTML.escape(r.name)): \(HTML.score(r.y))</title></line>"
        }
        // Dots first, lines on top.
        for s in series.sorted(by: { ($0.style == .dots ? 0 : 1) < ($1.style == .dots ? 0 : 1) }) {
            switch s.style {
            case .dots:
                for (i, p) in s.points.enumerated() {
                    let tip = s.tooltips.map { i < $0.count ? $0[i] : "" } ?? ""
                    svg += "<circle class=\"point\" cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"\(f(s.radius))\" fill=\"\(s.color)\" fill-opacity=\"\(s.faint ? "0.25" : "0.55")\">"
                    svg += "<title>\(HTML.escape(s.name)): \(HTML.score(p.y)) at \(Int(p.x)) calls\(tip.isEmpty ? "" : " — " + HTML.escape(tip))</title></circle>"
                }
            case .line, .steps:
                guard let first = s.points.first else { continue }
                if s.points.count == 1 {
                    svg += "<circle cx=\"\(f(px(first.x)))\" cy=\"\(f(py(first.y)))\" r=\"\(s.faint ? "2.5" : "4")\" fill=\"\(s.color)\" fill-opacity=\"\(s.faint ? "0.35" : "1")\"><title>\(HTML.escape(s.name)): \(HTML.score(first.y)) at \(Int(first.x)) calls</title></circle>"
                    continue
                }
                var d = "M\(f(px(first.x))) \(f(py(first.y)))"
                for p in s.points.dropFirst() {
                    d += s.style == .steps ? " H\(f(px(p.x))) V\(f(py(p.y)))" : " L\(f(px(p.x))) \(f(py(p.y)))"
                }
                svg += "<path d=\"\(d)\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"\(s.faint ? "1" : "2.2")\" stroke-opacity=\"\(s.faint ? "0.35" : "1")\" stroke-linejoin=\"round\"><title>\(HTML.escape(s.name))</title></path>"
            }
        }
        // Legend.
        for (entry, position) in zip(legendEntries, legend.positions) {
            let lx = position.x, y = position.y
            if entry.dashed {
                svg += "<line x1=\"\(f(lx))\" y1=\"\(f(y))\" x2=\"\(f(lx + 18))\" y2=\"\(f(y))\" stroke=\"\(entry.color)\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/>"
            } else if entry.dot {
                svg += "<circle cx=\"\(f(lx + 9))\" cy=\"\(f(y))\" r=\"3.5\" fill=\"\(entry.color)\" fill-opacity=\"0.6\"/>"
            } else {
                svg += "<line x1=\"\(f(lx))\" y1=\"\(f(y))\" x2=\"\(f(lx + 18))\" y2=\"\(f(y))\" stroke=\"\(entry.color)\" stroke-width=\"2.5\"/>"
            }
            svg += "<text x=\"\(f(lx + 23))\" y=\"\(f(y + 4))\" font-size=\"11\">\(HTML.escape(entry.name))</text>"
        }
        return svg + "</svg>"
    }

    /// Where each legend entry goes (wrapping onto more rows when one is full) and how many rows.
    private func legendLayout() -> (positions: [(x: Double, y: Double)], rows: Int) {
        var positions: [(x: Double, y: Double)] = []
        var x = margin.left, row = 0
        for entry in legendEntries {
            let w = 32 + Double(entry.name.count) * 6.4
            if x + w > width - margin.right, x > margin.left {
                row += 1
                x = margin.left
            }
            positions.append((x, margin.top + 4 + Double(row) * 18))
            x += w
        }
        return (positions, positions.isEmpty ? 0 : row + 1)
    }

    private var legendEntries: [(name: String, color: String, dashed: Bool, dot: Bool)] {
        series.filter { !$0.faint && !$0.name.isEmpty }.map { ($0.name, $0.color, false, $0.style == .dots) }
            + references.map { ($0.name, $0.color, true, false) }
    }

    private func f(_ x: Double) -> String { SVG.number(x) }

    /// `[lo, hi]` widened by `pad` of its span (a flat range is widened around its value).
    static func padded(_ lo: Double, _ hi: Double, pad: Double, floorAtZero: Bool) -> ClosedRange<Double> {
        var lo = lo, hi = hi
        if hi - lo < 1e-9 { lo -= 0.05 * max(abs(lo), 1); hi += 0.05 * max(abs(hi), 1) }
        let span = hi - lo
        lo -= span * pad
        hi += span * pad
        if floorAtZero { lo = min(lo, 0) }
        return lo...hi
    }

    /// The tick spacing `ticks` uses for `domain`.
    static func step(_ domain: ClosedRange<Double>, count: Int = 5) -> Double {
        let span = domain.upperBound - domain.lowerBound
        guard span > 0 else { return 1 }
        let raw = span / Double(max(count, 1))
        let magnitude = pow(10, floor(log10(raw)))
        let normalized = raw / magnitude
        let nice: Double = normalized < 1.5 ? 1 : normalized < 3 ? 2 : normalized < 7 ? 5 : 10
        return nice * magnitude
    }

    /// Round tick values inside `[lo, hi]`, about `count` of them.
    static func ticks(_ lo: Double, _ hi: Double, count: Int) -> [Double] {
        let step = step(lo...hi, count: count)
        var t = (lo / step).rounded(.up) * step
        var out: [Double] = []
        while t <= hi + step * 1e-9, out.count < 50 {
            out.append(abs(t) < step * 1e-9 ? 0 : t)
            t += step
        }
        return out
    }

    /// A tick's label with as many decimals as the spacing needs.
    static func tickLabel(_ value: Double, step: Double) -> String {
        let decimals = max(0, min(6, Int(-floor(log10(step)))))
        if decimals == 0 && abs(value) >= 1000 { return HTML.count(Int(value.rounded())) }
        return String(format: "%.\(decimals)f", value)
    }
}
