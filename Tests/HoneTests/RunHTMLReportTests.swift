import Foundation
import HoneSDK
import XCTest

@testable import Hone

/// `hone report --html` and `hone compare --html`: self-contained pages, rendered in headless
/// Chromium, that show the run's own numbers.
final class RunHTMLReportTests: XCTestCase {
    /// A finished run (random search on the hash-scoring backend) in a fresh directory.
    private func finishedRun(_ name: String) throws -> (directory: String, report: RunReport) {
        let dir = try TestEnvironment.temporaryDirectory(name) + "/run"
        let text = HashScoredRun.configText(name: "html-report-test", stages: [HashScoredRun.randomSearch(budget: 120)])
        return (dir, try HashScoredRun.run(text, into: dir))
    }

    func testHTMLReportIsOneSelfContainedPageWithChartsAndTheRunsNumbers() throws {
        let run = try finishedRun("html-report")
        let html = try RunHTMLReport(directory: run.directory).html
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        for fetch in ["src=", "href=", "url(", "@import", "<link", "<script", "http://", "https://"] {
            XCTAssertFalse(html.contains(fetch), "the page must not fetch anything (found \(fetch))")
        }
        XCTAssertGreaterThanOrEqual(html.components(separatedBy: "<svg ").count - 1, 4, "scores, learning curve, distribution, calls")
        XCTAssertTrue(html.contains("id=\"curve-stage-1\""))
        XCTAssertTrue(html.contains(String(format: "%.4f", run.report.best.test)))
        XCTAssertTrue(html.contains(String(format: "%.4f", run.report.baseline.test)))
        XCTAssertTrue(html.contains(HTML.escape(run.report.bestPrompt.text)))
        XCTAssertTrue(html.contains("org.hone.random-search"))
        XCTAssertTrue(html.contains("&quot;dev_top_k&quot;: 2"), "the config is shown")
        let points = try RunLedger.open(directory: run.directory).candidatePoints(stage: 0)
        XCTAssertEqual(html.components(separatedBy: "<circle class=\"point\"").count - 1, points.count, "one dot per candidate on the learning curve")
    }

    func testHTMLReportOfARunKilledBeforeAnyScoreSaysWhatIsMissing() throws {
        let dir = try TestEnvironment.temporaryDirectory("html-killed") + "/run"
        let text = HashScoredRun.configText(name: "killed", stages: [HashScoredRun.randomSearch(budget: 40)])
        let ledger = try RunLedger.create(in: dir)
        try ledger.startRun(name: "killed", configJSON: text, baseDirectory: dir, pluginPaths: [], persistentCache: false, backend: "hash-scoring",
                            stages: [("org.hone.random-search", 40)])
        let html = try RunHTMLReport(directory: dir).html
        XCTAssertTrue(html.contains("id=\"run-status\">running</span>"))
        XCTAssertTrue(html.contains("No prompt scored yet."))
        XCTAssertTrue(html.contains("No candidates scored."))
        XCTAssertTrue(html.contains("No best prompt yet."))
    }

    func testHTMLReportRendersInHeadlessChromiumWithTheRunsNumbers() throws {
        _ = try HeadlessChromium.require()
        let run = try finishedRun("html-chromium")
        let file = run.directory + "/report.html"
        let result = try TestEnvironment.run([TestEnvironment.honeExecutable, "report", run.directory, "--html"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines), file)

        let dom = try HeadlessChromium.dumpDOM(file)
        XCTAssertTrue(dom.contains("<span id=\"best-test\">\(String(format: "%.4f", run.report.best.test))</span>"), "best test score in the rendered page")
        XCTAssertTrue(dom.contains("<span id=\"baseline-test\">\(String(format: "%.4f", run.report.baseline.test))</span>"))
        XCTAssertTrue(dom.contains("<span id=\"total-calls\">\(HTML.count(run.report.backendCalls))</span>"), "calls in the rendered page")
        XCTAssertTrue(dom.contains("\(run.report.stages[0].usedCalls) / 120"), "the stage's calls of its budget")
        XCTAssertTrue(dom.contains("<svg "), "the charts are in the DOM")

        let png = run.directory + "/report.png"
        try HeadlessChromium.screenshot(file, to: png, width: 1100, height: 1300)
        let ink = try HeadlessChromium.ink(png)
        XCTAssertGreaterThan(ink.fraction, 0.05, "the screenshot is not blank")
        XCTAssertGreaterThan(ink.colors, 50, "text and coloured charts, not a flat page")
    }

    func testComparePageRendersInHeadlessChromiumWithItsTable() throws {
        _ = try HeadlessChromium.require()
        let root = try TestEnvironment.temporaryDirectory("compare-chromium")
        for seed in [1, 2] {
            for (method, length) in [("five_words", 5), ("one_word", 1)] {
                let text = HashScoredRun.configText(name: "cmp-\(seed)-\(method)", stages: [HashScoredRun.randomSearch(promptLength: length, budget: 80)], seed: seed)
                try HashScoredRun.run(text, into: "\(root)/runs/seed-\(seed)/\(method)", base: root)
            }
        }
        let comparison = try RunComparison(folders: [root + "/runs"])
        let file = root + "/compare.html"
        let result = try TestEnvironment.run([TestEnvironment.honeExecutable, "compare", root + "/runs", "--html", "-o", file])
        XCTAssertEqual(result.status, 0, result.stderr)
        let dom = try HeadlessChromium.dumpDOM(file)
        for row in comparison.rows {
            XCTAssertTrue(dom.contains(RunComparison.percent(row.testMean, digits: 1)), "the mean of \(row.method) is on the page")
        }
        XCTAssertTrue(dom.contains("five_words") && dom.contains("one_word"))
        let png = root + "/compare.png"
        try HeadlessChromium.screenshot(file, to: png, width: 1100, height: 1300)
        XCTAssertGreaterThan(try HeadlessChromium.ink(png).fraction, 0.05, "the screenshot is not blank")
    }
}
