import Hone
import XCTest

/// The test-score gain the run summary prints, with its binomial standard error.
final class HeldOutGainTests: XCTestCase {
    func testBinomialStandardErrorOfTheDifferenceOfTwoAccuracies() {
        let gain = HeldOutGain(baseline: 0.476, best: 0.618, rows: 500, metric: "accuracy")
        XCTAssertEqual(gain.difference, 0.142, accuracy: 1e-12)
        XCTAssertEqual(gain.standardError ?? 0, (0.618 * 0.382 / 500 + 0.476 * 0.524 / 500).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(gain.summary, "+0.1420 ± 0.0312 (binomial standard error of the difference; 4.6 standard errors)")
    }

    func testAGainInsideTheNoiseSaysSo() {
        let gain = HeldOutGain(baseline: 0.814, best: 0.818, rows: 500, metric: "accuracy")
        XCTAssertEqual(gain.summary, "+0.0040 ± 0.0245 (binomial standard error of the difference; 0.2 standard errors)")
    }

    func testMetricsThatAreNotProportionsGetNoError() {
        let gain = HeldOutGain(baseline: 0.30, best: 0.25, rows: 200, metric: "rouge_l")
        XCTAssertNil(gain.standardError)
        XCTAssertEqual(gain.summary, "-0.0500")
    }
}
