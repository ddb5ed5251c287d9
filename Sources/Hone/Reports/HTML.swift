import Foundation

/// The pieces every self-contained HTML page of Hone shares: escaping, number formats, the
/// page skeleton with its inline style sheet, and tables. Nothing is fetched from a network:
/// no fonts, scripts or images from elsewhere; charts are inline SVG.
enum HTML {
    /// `text` safe inside an element or a quoted attribute.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// A score as the Markdown report prints it (4 decimals).
    static func score(_ x: Double?) -> String { x.map { String(format: "%.4f", $0) } ?? "—" }

    /// A signed difference of scores (4 decimals).
    static func delta(_ x: Double) -> String { String(format: "%+.4f", x) }

    /// An integer with thousands separators ("12,345").
    static func count(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// Seconds as "12.3 s", "4 min 05 s" or "1 h 02 min".
    static func seconds(_ s: Double) -> String {
        if s < 60 { return String(format: "%.1f s", s) }
        let whole = Int(s.rounded())
        if whole < 3600 { return String(format: "%d min %02d s", whole / 60, whole % 60) }
        return String(format: "%d h %02d min", whole / 3600, whole / 60 % 60)
    }

    /// A prompt shown as a quoted, escaped code span (the empty prompt shows as `""`).
    static func prompt(_ text: String) -> String { "<code class=\"prompt\">\"" + escape(text) + "\"</code>" }

    /// A table: `header` cells and `rows` of already-escaped HTML cells; columns listed in
    /// `numeric` are right-aligned.
    static func table(_ header: [String], _ rows: [[String]], numeric: Set<Int> = [], id: String? = nil) -> String {
        func cell(_ tag: String, _ i: Int, _ content: String) -> String {
            "<\(tag)\(numeric.contains(i) ? " class=\"num\"" : "")>\(content)</\(tag)>"
        }
        var out = "<div class=\"wide\"><table\(id.map { " id=\"\($0)\"" } ?? "")><thead><tr>"
        out += header.enumerated().map { cell("th", $0.offset, escape($0.element)) }.joined()
        out += "</tr></thead><tbody>"
        for row in rows {
            out += "<tr>" + row.enumerated().map { cell("td", $0.offset, $0.element) }.joined() + "</tr>"
        }
        return out + "</tbody></table></div>"
    }

    /// A whole page: `title`, a style sheet of its own, and `body` (HTML).
    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="Hone">
        <title>\(escape(title))</title>
        <style>
        \(styleSheet)
        </style>
        </head>
        <body>
        <main>
        \(body)
        </main>
        </body>
        </html>

        """
    }

    /// The pages' style sheet: system fonts only, light colours, print-friendly.
    static let styleSheet = """
        :root { --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --panel: #f5f7fa; --accent: #2563eb; }
        * { box-sizing: border-box; }
        body { margin: 0; background: #fff; color: var(--ink);
               font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
        main { max-width: 1080px; margin: 0 auto; padding: 24px 28px 48px; }
        h1 { font-size: 26px; margin: 0 0 4px; }
        h2 { font-size: 19px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
        h3 { font-size: 15px; margin: 18px 0 6px; }
        p.sub, .muted { color: var(--muted); }
        p.sub { margin: 0 0 16px; }
        .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin: 16px 0; }
        .card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
        .card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
        .card .value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
        .card .note { color: var(--muted); font-size: 12px; }
        .up { color: #15803d; } .down { color: #b91c1c; }
        .status { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; background: #e4e7eb; }
        .status.done { background: #dcfce7; color: #166534; } .status.failed { background: #fee2e2; color: #991b1b; }
        .status.running { background: #dbeafe; color: #1e40af; } .status.cancelled { background: #fef3c7; color: #92400e; }
        table { border-collapse: collapse; width: 100%; margin: 8px 0 4px; font-size: 14px; }
        th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { background: var(--panel); font-weight: 600; }
        td:first-child { white-space: nowrap; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        code, pre { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: 13px; }
        code.prompt { background: #eef2ff; padding: 1px 4px; border-radius: 4px; word-break: break-word; }
        pre { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; overflow-x: auto; max-height: 480px; }
        .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(440px, 1fr)); gap: 16px; }
        .wide { overflow-x: auto; }
        .nowrap { white-space: nowrap; }
        table#matrix { width: auto; min-width: 40%; }
        figure { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px 4px; }
        figcaption { font-size: 13px; color: var(--muted); margin: 0 0 4px; }
        svg { display: block; width: 100%; height: auto; }
        svg text { font-family: system-ui, "DejaVu Sans", sans-serif; fill: var(--ink); }
        .warning { background: #fff7ed; border: 1px solid #fdba74; color: #9a3412; border-radius: 6px; padding: 8px 12px; margin: 8px 0; }
        .error { background: #fef2f2; border: 1px solid #fca5a5; color: #991b1b; border-radius: 6px; padding: 8px 12px; margin: 8px 0; }
        footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
        """
}
