import Foundation
import HoneSDK

/// What `hone report DIR --html` writes: one self-contained HTML page about a run, with inline
/// SVG charts and no network fetches.
///
/// It shows the baseline against the best prompt on train, dev and test; each stage's learning
/// curve (every candidate's score against the calls the stage had used, and the best score so
/// far); the distribution of candidate scores; the stages; calls, cache hits, tokens and cost;
/// the final prompt (its artifact and filled template) and the config. Read from the ledger and
/// `result.json`, so it works on a running, killed or finished run.
public struct RunHTMLReport: Sendable {
    /// What the Markdown report shows (scores, stages, top candidates, call totals).
    public var report: RunDirectoryReport
    /// Per stage, every candidate with the calls used when it was scored.
    public var points: [[CandidatePoint]]

    /// Reads the run in `directory`; throws a ``LedgerError`` naming what is missing when it
    /// holds no ledger.
    public init(directory: String, top: Int = 10) throws {
        report = try RunDirectoryReport(directory: directory, top: top)
        // A report read from result.json alone (the ledger cannot be read) has no candidates.
        guard report.ledgerProblem == nil else {
            points = report.run.stages.map { _ in [] }
            return
        }
        let ledger = try RunLedger.open(directory: directory)
        points = try report.run.stages.map { try ledger.candidatePoints(stage: $0.index) }
    }

    private var run: RecordedRun { report.run }
    private var metric: String { report.result?["metric"]?.stringValue ?? config?["task"]?["metric"]?.stringValue ?? "score" }
    private var config: JSONValue? { run.configJSON.flatMap { try? JSONValue(parsing: $0) } }
    private func splitSize(_ split: String) -> Int? { report.result?["split_sizes"]?[split]?.intValue }

    /// How many examples make the whole of `split`: its size in `result.json`, else the most
    /// any candidate in `points` was scored on.
    private func wholeSplit(_ split: String, in points: [CandidatePoint]) -> Int {
        splitSize(split) ?? points.filter { $0.candidate.split == split }.map(\.candidate.examples).max() ?? 0
    }

    /// The page.
    public var html: String {
        var body = header
        body += scoresSection
        body += curvesSection
        body += distributionSection
        body += stagesSection
        body += callsSection
        body += promptSection
        body += configSection
        body += "<footer>Written by <code>hone report --html</code> on \(HTML.escape(RunDirectoryReport.timestamp(Date()))) from <code>\(HTML.escape(report.directory))</code>. Scores are \(HTML.escape(metric)); test scores come from the host's final scoring only (no optimizer saw the test split).</footer>"
        return HTML.page(title: "Hone run \(run.name)", body: body)
    }

    private var header: String {
        var facts = ["backend \(HTML.escape(run.backend))", "metric \(HTML.escape(metric))"]
        if let sizes = report.result?["split_sizes"], let tr = sizes["train"]?.intValue, let dv = sizes["dev"]?.intValue, let te = sizes["test"]?.intValue {
            facts.append("\(tr) train / \(dv) dev / \(te) test examples")
        }
        facts.append("started \(HTML.escape(RunDirectoryReport.timestamp(run.started)))")
        if let finished = run.finished { facts.append("finished \(HTML.escape(RunDirectoryReport.timestamp(finished)))") }
        facts.append("\(run.sessions) session\(run.sessions == 1 ? "" : "s")")
        facts.append("wall time \(HTML.seconds(report.result?["wall_seconds"]?.doubleValue ?? run.wallSeconds))")
        var out = "<h1>Run \(HTML.escape(run.name)) <span class=\"status \(run.status.rawValue)\" id=\"run-status\">\(run.status.rawValue)</span></h1>"
        out += "<p class=\"sub\">\(facts.joined(separator: " · "))</p>"
        if let error = run.error { out += "<div class=\"error\">The run failed: \(HTML.escape(error))</div>" }
        let totals = report.allCalls
        var cards: [(String, String, String)] = []
        if let b = report.baselineScores, let best = report.bestScores {
            let d = best.scores.test - b.scores.test
            cards.append(("best test", "<span id=\"best-test\">\(HTML.score(best.scores.test))</span>",
                          "<span class=\"\(d >= 0 ? "up" : "down")\">\(HTML.delta(d))</span> vs baseline"))
            cards.append(("baseline test", "<span id=\"baseline-test\">\(HTML.score(b.scores.test))</span>", "the task's own prompt"))
        } else if let b = report.baselineScores {
            cards.append(("baseline test", "<span id=\"baseline-test\">\(HTML.score(b.scores.test))</span>", "no best prompt scored yet"))
        }
        cards.append(("calls", "<span id=\"total-calls\">\(HTML.count(totals.items))</span>", "\(HTML.count(run.stages.reduce(0) { $0 + $1.usedCalls })) by stages"))
        cards.append(("cache hits", HTML.count(totals.cacheHits), "\(HTML.count(totals.itemsComputed)) computed"))
        cards.append(("tokens", HTML.count(totals.promptTokens + totals.completionTokens), "\(HTML.count(totals.promptTokens)) in / \(HTML.count(totals.completionTokens)) out"))
        cards.append(("cost", String(format: "$%.4f", totals.costUSD), "from the backend's price table"))
        out += "<div class=\"cards\">" + cards.map {
            "<div class=\"card\"><div class=\"label\">\($0.0)</div><div class=\"value\">\($0.1)</div><div class=\"note\">\($0.2)</div></div>"
        }.joined() + "</div>"
        return out
    }

    private var scoresSection: String {
        var out = "<h2>Baseline against best</h2>"
        let entries = [("baseline", report.baselineScores), ("best", report.bestScores)].compactMap { name, e in e.map { (name, $0) } }
        guard !entries.isEmpty else { return out + "<p class=\"muted\">No prompt scored yet.</p>" }
        let bars = SVGBars(
            label: "\(metric) of the baseline and best prompts on train, dev and test", categories: ["train", "dev", "test"],
            series: entries.map { name, e in
                SVGBars.Series(name: name, color: name == "best" ? ReportPalette.best : ReportPalette.baseline,
                               values: [e.scores.train, e.scores.dev, e.scores.test])
            }, yLabel: metric, yRange: 0...1.08)
        out += "<div class=\"charts\"><figure><figcaption>\(HTML.escape(metric)) on each split (test held out)</figcaption>\(bars.render())</figure><div>"
        out += HTML.table(["prompt", "text", "train", "dev", "test"], entries.map { name, e in
            [name, HTML.prompt(e.prompt.text), HTML.score(e.scores.train), HTML.score(e.scores.dev), HTML.score(e.scores.test)]
        }, numeric: [2, 3, 4], id: "scores")
        if entries.count == 2 {
            let (b, best) = (entries[0].1.scores, entries[1].1.scores)
            out += HTML.table(["change", "train", "dev", "test"], [["best − baseline", HTML.delta(best.train - b.train), HTML.delta(best.dev - b.dev), HTML.delta(best.test - b.test)]], numeric: [1, 2, 3])
        }
        return out + "</div></div>"
    }

    private var curvesSection: String {
        var out = "<h2>Learning curves</h2><p class=\"muted\">Every candidate a stage scored, against the backend calls the stage had used (its budget's count); lines: the best score so far among candidates scored on the whole split; dashed: the stage's seed prompt.</p><div class=\"charts\">"
        for stage in run.stages {
            let pts = points[stage.index]
            let train = CandidateCurve(pts, split: "train", wholeSplit: splitSize("train"), end: stage.usedCalls)
            let dev = CandidateCurve(pts, split: "dev", wholeSplit: splitSize("dev"), end: stage.usedCalls)
            let caption = "Stage \(stage.index + 1): \(HTML.escape(stage.plugin)) · \(HTML.count(stage.usedCalls)) of \(stage.budgetCalls.map(HTML.count) ?? "unlimited") calls · \(HTML.count(pts.count)) candidates"
            guard !pts.isEmpty else {
                out += "<figure><figcaption>\(caption)</figcaption><p class=\"muted\">No candidates scored.</p></figure>"
                continue
            }
            var series: [SVGPlot.Series] = []
            for (name, curve, color) in [("train", train, ReportPalette.train), ("dev", dev, ReportPalette.dev)] where !curve.all.isEmpty {
                let whole = curve.all.filter(\.wholeSplit), part = curve.all.filter { !$0.wholeSplit }
                if !part.isEmpty {
                    series.append(.init(name: "\(name) (batch)", color: color, style: .dots, points: part.map { ($0.calls, $0.score) },
                                        tooltips: part.map(\.prompt), faint: true, radius: 2))
                }
                if !whole.isEmpty {
                    series.append(.init(name: "\(name) candidate", color: color, style: .dots, points: whole.map { ($0.calls, $0.score) }, tooltips: whole.map(\.prompt)))
                }
                if !curve.bestSoFar.isEmpty {
                    series.append(.init(name: "best \(name) so far", color: color, style: .steps, points: curve.bestSoFar.map { ($0.calls, $0.score) }))
                }
            }
            var references: [SVGPlot.Reference] = []
            if stage.index == 0, let baseline = report.baselineScores, baseline.prompt.text == (stage.seedPrompt?.text ?? baseline.prompt.text) {
                references.append(.init(name: "seed train", y: baseline.scores.train, color: ReportPalette.train))
                references.append(.init(name: "seed dev", y: baseline.scores.dev, color: ReportPalette.dev))
            }
            let plot = SVGPlot(
                label: "Stage \(stage.index + 1) learning curve: \(metric) against calls used", xLabel: "backend calls used by the stage",
                yLabel: metric, series: series, references: references,
                xRange: 0...Double(max(stage.budgetCalls ?? stage.usedCalls, stage.usedCalls, 1)))
            out += "<figure id=\"curve-stage-\(stage.index + 1)\"><figcaption>\(caption)</figcaption>\(plot.render())</figure>"
        }
        return out + "</div>"
    }

    private var distributionSection: String {
        var out = "<h2>Distribution of candidate scores</h2><div class=\"charts\">"
        for stage in run.stages where !points[stage.index].isEmpty {
            let pts = points[stage.index]
            func scores(_ split: String, whole: Bool) -> [Double] {
                pts.filter { $0.candidate.split == split && ($0.candidate.examples >= wholeSplit(split, in: pts)) == whole }.map(\.candidate.score)
            }
            let histogram = ScoreHistogram(scores: ["train": scores("train", whole: true), "train (batch)": scores("train", whole: false),
                                                    "dev": scores("dev", whole: true), "dev (batch)": scores("dev", whole: false)])
            let groups = [("train", ReportPalette.train), ("train (batch)", "#9ecae1"), ("dev", ReportPalette.dev), ("dev (batch)", "#fdd49e")]
            let series = groups.compactMap { name, color -> SVGBars.Series? in
                guard let counts = histogram.counts[name], counts.contains(where: { $0 > 0 }) else { return nil }
                return SVGBars.Series(name: name, color: color, values: counts.map(Double.init))
            }
            let bars = SVGBars(label: "Stage \(stage.index + 1): how many candidates reached each score", categories: histogram.labels,
                               series: series, yLabel: "candidates", valueFormat: { String(Int($0)) }, showValues: histogram.labels.count <= 16)
            let stats = ["train", "dev"].compactMap { split -> String? in
                let s = pts.filter { $0.candidate.split == split }.map(\.candidate.score)
                guard !s.isEmpty else { return nil }
                let mean = s.reduce(0, +) / Double(s.count)
                return "\(split): \(s.count) scored, mean \(HTML.score(mean)), best \(HTML.score(s.max()))"
            }.joined(separator: "; ")
            out += "<figure><figcaption>Stage \(stage.index + 1): \(HTML.escape(stage.plugin)) — \(stats)</figcaption>\(bars.render())</figure>"
        }
        if run.stages.allSatisfy({ points[$0.index].isEmpty }) { out += "<p class=\"muted\">No candidates scored.</p>" }
        return out + "</div>"
    }

    private var stagesSection: String {
        var out = "<h2>Stages</h2>"
        out += HTML.table(["#", "plugin", "status", "calls used / budget", "candidates", "seconds", "best prompt"], run.stages.map { stage in
            [String(stage.index + 1), "<code>\(HTML.escape(stage.plugin))</code>",
             "<span class=\"status \(stage.status.rawValue)\">\(stage.status.rawValue)</span>" + (stage.error.map { " " + HTML.escape($0) } ?? ""),
             "\(HTML.count(stage.usedCalls)) / \(stage.budgetCalls.map(HTML.count) ?? "unlimited")",
             HTML.count(report.candidateCounts[stage.index]), String(format: "%.1f", stage.wallSeconds),
             stage.bestPrompt.map { HTML.prompt($0.text) } ?? "—"]
        }, numeric: [0, 3, 4, 5], id: "stages")
        for stage in run.stages where !points[stage.index].isEmpty {
            let pts = points[stage.index]
            let whole = pts.filter { $0.candidate.examples >= wholeSplit($0.candidate.split, in: pts) }
            let ranked = whole.enumerated().sorted { a, b in
                a.element.candidate.score != b.element.candidate.score ? a.element.candidate.score > b.element.candidate.score : a.offset < b.offset
            }
            let top: [CandidatePoint] = ranked.prefix(report.topCandidates[stage.index].count).map { $0.element }
            out += "<h3>Stage \(stage.index + 1): top \(top.count) of \(HTML.count(whole.count)) candidates scored on a whole split</h3>"
            if whole.count < pts.count {
                out += "<p class=\"muted\">\(HTML.count(pts.count - whole.count)) more were scored on batches of the train split; their scores are in the charts above, not ranked here (a batch score is noisier).</p>"
            }
            let rows: [[String]] = top.enumerated().map { i, p in
                [String(i + 1), HTML.score(p.candidate.score), p.candidate.split, String(p.candidate.examples), HTML.count(p.callsUsed), HTML.prompt(p.candidate.promptText)]
            }
            out += HTML.table(["rank", "score", "split", "examples", "calls used", "prompt"], rows, numeric: [0, 1, 3, 4])
        }
        return out
    }

    private var callsSection: String {
        var rows: [(String, BackendCallTotals)] = run.stages.map { ("stage \($0.index + 1)", report.stageCalls[$0.index]) }
        rows.append(("host scoring", report.hostCalls))
        rows.append(("total", report.allCalls))
        var out = "<h2>Backend calls, cache, tokens and cost</h2>"
        out += HTML.table(["who", "requests", "items", "cache hits", "computed", "model calls", "failures", "latency (ms)", "tokens in / out", "cost ($)"], rows.map { who, t in
            [HTML.escape(who), HTML.count(t.calls), HTML.count(t.items), HTML.count(t.cacheHits), HTML.count(t.itemsComputed), HTML.count(t.modelCalls),
             HTML.count(t.failures), String(format: "%.1f", t.meanLatencySeconds * 1000), "\(HTML.count(t.promptTokens)) / \(HTML.count(t.completionTokens))",
             String(format: "%.4f", t.costUSD)]
        }, numeric: [1, 2, 3, 4, 5, 6, 7, 8, 9], id: "calls")
        let shares = rows.dropLast().filter { $0.1.items > 0 }
        if !shares.isEmpty {
            let bars = SVGBars(label: "Items answered by the cache and computed by the model", categories: shares.map(\.0),
                               series: [SVGBars.Series(name: "cache hits", color: ReportPalette.test, values: shares.map { Double($0.1.cacheHits) }),
                                        SVGBars.Series(name: "computed by the model", color: ReportPalette.dev, values: shares.map { Double($0.1.itemsComputed) })],
                               yLabel: "items", valueFormat: { HTML.count(Int($0)) }, height: 240)
            out += "<div class=\"charts\"><figure><figcaption>Where the items came from</figcaption>\(bars.render())</figure></div>"
        }
        out += "<p class=\"muted\">A request is one evaluate request, one direct backend call or one host scoring of a split; its items are what the budget counts (a cache hit costs a stage the same as a miss).</p>"
        return out
    }

    private var promptSection: String {
        var out = "<h2>Final prompt</h2>"
        guard let best = report.bestScores ?? run.stages.last(where: { $0.bestPrompt != nil }).map({ ($0.bestPrompt!, SplitScores(train: .nan, dev: .nan, test: .nan)) }) else {
            return out + "<p class=\"muted\">No best prompt yet.</p>"
        }
        out += "<p id=\"final-prompt\">\(HTML.prompt(best.prompt.text))</p>"
        if let template = config?["task"]?["template"]?.stringValue {
            out += "<h3>Filled template</h3><pre>\(HTML.escape(TemplateRenderer(template: template).render(prompt: best.prompt.text, input: "{input}")))</pre>"
        }
        if let artifact = try? JSONValue(parsing: Wire.encode(best.prompt)) {
            out += "<h3>Artifact</h3><pre>\(HTML.escape(artifact.prettyPrinted()))</pre>"
        }
        return out
    }

    private var configSection: String {
        guard let text = run.configJSON else { return "<h2>Config</h2><p class=\"muted\">The run recorded no config.</p>" }
        let shown = (try? JSONValue(parsing: text).prettyPrinted()) ?? text
        return "<h2>Config</h2><pre id=\"config\">\(HTML.escape(shown))</pre>"
    }
}
