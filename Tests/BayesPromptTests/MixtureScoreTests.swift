import Foundation
import HonePluginBayesPromptCore
import XCTest

/// The mixture's analytic score (gradient of log density) against central finite differences.
final class MixtureScoreTests: XCTestCase {
    func mixture(_ covariance: GaussianMixture.Covariance) throws -> GaussianMixture {
        let means: [Double] = [0, 0, 0, 1.5, -1, 0.5, -1, 2, 1]
        switch covariance {
        case .diagonal:
            return try GaussianMixture(weights: [0.2, 0.5, 0.3], means: means,
                                       covariances: [1, 0.5, 2, 0.3, 0.8, 1.2, 0.6, 0.6, 0.9], covariance: .diagonal)
        case .full:
            let a: [Double] = [1, 0.3, 0.1, 0.3, 0.8, -0.2, 0.1, -0.2, 1.5]
            let b: [Double] = [0.6, 0, 0.2, 0, 0.4, 0.1, 0.2, 0.1, 0.7]
            let c: [Double] = [2, -0.5, 0, -0.5, 1, 0.3, 0, 0.3, 0.5]
            return try GaussianMixture(weights: [0.2, 0.5, 0.3], means: means, covariances: a + b + c, covariance: .full)
        }
    }

    func assertScoreMatchesFiniteDifferences(_ m: GaussianMixture, file: StaticString = #filePath, line: UInt = #line) {
        let h = 1e-5
        for x in [[0.3, -0.2, 0.9], [2.0, 1.0, -1.5], [-4.0, 6.0, 3.0]] {
            let analytic = m.score(of: x)
            for j in 0..<3 {
                var up = x, down = x
                up[j] += h
                down[j] -= h
                let numeric = (m.logDensity(of: up) - m.logDensity(of: down)) / (2 * h)
                XCTAssertEqual(analytic[j], numeric, accuracy: 1e-5 * max(1, abs(numeric)), "d/dx\(j) at \(x)", file: file, line: line)
            }
        }
    }

    func testDiagonalScoreEqualsFiniteDifferencesOfLogDensity() throws {
        assertScoreMatchesFiniteDifferences(try mixture(.diagonal))
    }

    func testFullCovarianceScoreEqualsFiniteDifferencesOfLogDensity() throws {
        assertScoreMatchesFiniteDifferences(try mixture(.full))
    }

    func testLogDensityOfOneGaussianMatchesTheClosedForm() throws {
        let m = try GaussianMixture(weights: [1], means: [1, -1], covariances: [2, 0.5, 0.5, 1], covariance: .full)
        // det = 1.75; inverse = [[1, -0.5], [-0.5, 2]] / 1.75; at x = (2, 0): e = (1, 1), quadratic = 2 / 1.75.
        let expected = -log(2 * Double.pi) - 0.5 * log(1.75) - 0.5 * (2 / 1.75)
        XCTAssertEqual(m.logDensity(of: [2, 0]), expected, accuracy: 1e-12)
    }

    func testScoreFarInTheTailsIsFinite() throws {
        let m = try mixture(.diagonal)
        XCTAssertTrue(m.score(of: [400, -300, 500]).allSatisfy(\.isFinite))
        XCTAssertTrue(m.logDensity(of: [400, -300, 500]).isFinite)
    }

    func testRefusesACovarianceThatIsNotPositiveDefinite() {
        XCTAssertThrowsError(try GaussianMixture(weights: [1], means: [0, 0], covariances: [1, 2, 2, 1], covariance: .full)) { error in
            XCTAssertEqual(error as? MixtureError, .notPositiveDefinite(component: 0))
        }
    }
}
