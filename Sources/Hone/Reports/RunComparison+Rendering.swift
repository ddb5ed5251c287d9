import Foundation
import HoneSDK

extension RunComparison {
    /// The comparison as Markdown: warnings, the methods x tasks table (test score x100, mean and
    /// population standard deviation over seeds, per seed, budget and calls used), the seed
    /// order, and with `perRun` one line per run (test and dev score, calls, prompt).
    public func markdown(digits: Int = 1, perRun: Bool = false) -> String {
        var lines: [String] = []
        for w in warnings { lines.append("> warning: \(w)") }
        if !warnings.isEmpty { lines.append("") }
        if rows.isEmpty {
            lines.append("No finished runs to compare.")
        } else {
            lines.append("Test \(metric) (x100): mean ± spread (population standard deviation) over seeds, (number of seeds).")
            lines.append("")
            let matrix = self.matrix(digits: digits)
            lines.append("| method | " + tasks.joined(separator: " | ") + " |")
            lines.append("|---|" + tasks.map { _ in "---:|" }.joined())
            for (method, cells) in matrix { lines.append("| \(cell(method)) | " + cells.joined(separator: " | ") + " |") }
            lines.append("")
            lines.append("| task | method | seeds | test mean | spread | per seed | budget (calls) | calls used (mean) |")
            lines.append("|---|---|---:|---:|---:|---|---:|---:|")
            for row in rows {
                let spread = row.seeds.count > 1 ? Self.percent(row.testSpread, digits: digits) : "n/a (1 seed)"
                let budget = row.isFixedPrompt ? "—" : row.budgetCalls.map(String.init) ?? "unlimited"
                lines.append("| \(row.task) | \(cell(row.method)) | \(row.seeds.count) | \(Self.percent(row.testMean, digits: digits)) | \(spread) | \(row.seeds.map { Self.percent($0.scores.test, digits: digits) }.joined(separator: ", ")) | \(budget) | \(Int(row.meanUsedCalls.rounded())) |")
            }
            lines.append("")
            for task in tasks {
                let order = rows.first { $0.task == task }.map { $0.seeds.map(\.label) } ?? []
                lines.append("Seeds of \(task), in the order of the per-seed column: \(order.joined(separator: ", ")).")
            }
        }
        if perRun {
            lines.append("")
            for row in rows {
                for s in row.seeds {
                    lines.append("- \(row.task) \(s.label) \(row.method): test \(Self.percent(s.scores.test, digits: digits)) dev \(Self.percent(s.scores.dev, digits: digits)) (\(s.testRows.map(String.init) ?? "?") test rows, \(s.usedCalls) stage calls) \"\(s.prompt)\"")
                }
            }
        }
        if !skipped.isEmpty {
            lines.append("")
            for s in skipped { lines.append("Left out \(s.directory): \(s.reason)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The comparison as JSON: `metric`, `rows` (task, method, fixed_prompt, budget_calls,
    /// test_mean, test_spread, mean_used_calls, seeds with their scores, prompt and directory),
    /// `warnings` and `skipped`. Scores are fractions, as the metric gives them.
    public var json: JSONValue {
        [
            "metric": .string(metric),
            "rows": .array(rows.map { row in
                [
                    "task": .string(row.task), "method": .string(row.method), "fixed_prompt": .bool(row.isFixedPrompt),
                    "budget_calls": row.budgetCalls.map { .number(Double($0)) } ?? .null,
                    "test_mean": .number(row.testMean), "test_spread": .number(row.testSpread),
                    "mean_used_calls": .number(row.meanUsedCalls), "seed_count": .number(Double(row.seeds.count)),
                    "seeds": .array(row.seeds.map { s in
                        [
                            "seed": .string(s.label), "directory": .string(s.directory), "prompt": .string(s.prompt),
                            "train": .number(s.scores.train), "dev": .number(s.scores.dev), "test": .number(s.scores.test),
                            "used_calls": .number(Double(s.usedCalls)), "test_rows": s.testRows.map { .number(Double($0)) } ?? .null,
                        ]
                    }),
                ]
            }),
            "warnings": .array(warnings.map(JSONValue.string)),
            "skipped": .array(skipped.map { ["directory": .string($0.directory), "reason": .string($0.reason)] }),
        ]
    }

    /// The comparison as one self-contained HTML page: warnings, the table, per task the test
    /// scores of every method and seed, and the methods' learning curves overlaid (best train
    /// and dev score so far against calls, mean over seeds, each seed faint).
    public func html(digits: Int = 1) -> String {
        var body = "<h1>Comparison of \(HTML.count(rows.flatMap(\.seeds).count)) results</h1>"
        body += "<p class=\"sub\">Test \(HTML.escape(metric)) (x100): mean and spread (population standard deviation) over seeds. Written by <code>hone compare --html</code> on \(HTML.escape(RunDirectoryReport.timestamp(Date()))).</p>"
        for w in warnings { body += "<div class=\"warning\">warning: \(HTML.escape(w))</div>" }
        body += "<h2>Methods x tasks</h2><p class=\"muted\">Test \(HTML.escape(metric)) (x100), mean ± spread over seeds (number of seeds).</p>"
        body += HTML.table(["method"] + tasks, matrix(digits: digits).map { [HTML.escape($0.method)] + $0.cells.map(HTML.escape) },
                           numeric: Set(1...max(tasks.count, 1)), id: "matrix")
        body += "<h2>Every method on every task</h2>"
        body += HTML.table(["task", "method", "seeds", "test mean", "spread", "per seed", "budget (calls)", "calls used (mean)"], rows.map { row in
            [HTML.escape(row.task), row.isFixedPrompt ? "prompt " + HTML.prompt(String(row.method.dropFirst("prompt \"".count).dropLast())) : "<strong>\(HTML.escape(row.method))</strong>",
             String(row.seeds.count), Self.percent(row.testMean, digits: digits),
             row.seeds.count > 1 ? Self.percent(row.testSpread, digits: digits) : "n/a (1 seed)",
             row.seeds.map { "<span title=\"\(HTML.escape($0.label + ": " + $0.prompt))\">\(Self.percent($0.scores.test, digits: digits))</span>" }.joined(separator: ", "),
             row.isFixedPrompt ? "—" : row.budgetCalls.map(HTML.count) ?? "unlimited", HTML.count(Int(row.meanUsedCalls.rounded()))]
        }, numeric: [2, 3, 4, 6, 7], id: "comparison")
        for task in tasks {
            let taskRows = rows.filter { $0.task == task }
            body += "<h2>\(HTML.escape(task))</h2>"
            body += "<p class=\"muted\">Seeds: \(HTML.escape(taskRows.first?.seeds.map(\.label).joined(separator: ", ") ?? "")).</p><div class=\"charts\">"
            body += "<figure><figcaption>Test \(HTML.escape(metric)) per seed (dots), mean (bar) and ± spread</figcaption>\(SVGDotRows(label: "Test \(metric) of every method on \(task)", rows: taskRows.map { ($0.method, $0.seeds.map(\.scores.test)) }, xLabel: "test \(metric)").render())</figure>"
            let methods = taskRows.filter { !$0.isFixedPrompt }
            for split in ["train", "dev"] {
                var series: [SVGPlot.Series] = []
                for (i, row) in methods.enumerated() {
                    let color = ReportPalette.method(i)
                    let curves = row.curves[split] ?? []
                    for c in curves where c.count > 0 {
                        series.append(.init(name: "", color: color, style: .steps, points: c.map { ($0.calls, $0.score) }, faint: true))
                    }
                    let mean = Self.meanCurve(curves)
                    if !mean.isEmpty { series.append(.init(name: row.method, color: color, style: .steps, points: mean)) }
                }
                guard series.contains(where: { !$0.faint }) else { continue }
                let references = taskRows.filter(\.isFixedPrompt).enumerated().map { i, row in
                    SVGPlot.Reference(name: row.method, y: row.seeds.map { split == "train" ? $0.scores.train : $0.scores.dev }.reduce(0, +) / Double(max(row.seeds.count, 1)),
                                      color: i == 0 ? "#7b8794" : "#b0b8c4")
                }
                let plot = SVGPlot(label: "Best \(split) \(metric) so far against calls on \(task)", xLabel: "backend calls used by the stages",
                                   yLabel: "best \(split) \(metric)", series: series, references: references)
                body += "<figure><figcaption>Best \(split) \(HTML.escape(metric)) so far (whole \(split) split), mean over seeds; dashed: fixed prompts</figcaption>\(plot.render())</figure>"
            }
            body += "</div>"
            body += "<h3>Runs</h3>" + HTML.table(["method", "seed", "test", "dev", "train", "calls", "prompt", "run directory"], taskRows.flatMap { row in
                row.seeds.map { s in
                    [HTML.escape(row.method), "<span class=\"nowrap\">\(HTML.escape(s.label))</span>", HTML.score(s.scores.test), HTML.score(s.scores.dev), HTML.score(s.scores.train),
                     HTML.count(s.usedCalls), HTML.prompt(s.prompt), "<code>\(HTML.escape(s.directory))</code>"]
                }
            }, numeric: [2, 3, 4, 5])
        }
        if !skipped.isEmpty {
            body += "<h2>Left out</h2><ul>" + skipped.map { "<li><code>\(HTML.escape($0.directory))</code>: \(HTML.escape($0.reason))</li>" }.joined() + "</ul>"
        }
        return HTML.page(title: "Hone comparison", body: body)
    }

    /// Methods x tasks: per method (fixed prompts first, in row order), per task its
    /// `mean ± spread (n)`, or `—` where the method was not run on the task.
    func matrix(digits: Int) -> [(method: String, cells: [String])] {
        var methods: [String] = []
        for row in rows.sorted(by: { $0.isFixedPrompt && !$1.isFixedPrompt }) where !methods.contains(row.method) { methods.append(row.method) }
        return methods.map { method in
            (method, tasks.map { task in
                guard let row = rows.first(where: { $0.task == task && $0.method == method }) else { return "—" }
                let spread = row.seeds.count > 1 ? " ± " + Self.percent(row.testSpread, digits: digits) : ""
                return Self.percent(row.testMean, digits: digits) + spread + " (\(row.seeds.count))"
            })
        }
    }

    /// The mean of several best-so-far step curves, on the calls where every one has a value.
    static func meanCurve(_ curves: [[CandidateCurve.Point]]) -> [(x: Double, y: Double)] {
        let nonEmpty = curves.filter { !$0.isEmpty }
        guard !nonEmpty.isEmpty, nonEmpty.count == curves.count else { return [] }
        let xs = Array(Set(nonEmpty.flatMap { $0.map(\.calls) })).sorted()
        return xs.compactMap { x in
            let values = nonEmpty.map { c in c.last { $0.calls <= x }?.score }
            guard values.allSatisfy({ $0 != nil }) else { return nil }
            return (x, values.compactMap { $0 }.reduce(0, +) / Double(values.count))
        }
    }

    private func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
}
