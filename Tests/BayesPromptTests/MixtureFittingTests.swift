import Foundation
import HonePluginBayesPromptCore
import XCTest

/// EM with k-means++ initialization on synthetic mixtures whose parameters are known.
final class MixtureFittingTests: XCTestCase {
    /// Draws `count` points of a 2-D mixture: weights 0.3/0.7, means (-2, 0) and (3, 1),
    /// covariances [[0.5, 0.3], [0.3, 0.6]] and diag(1.0, 0.25).
    static func twoComponentSample(count: Int, seed: UInt64) -> FeatureMatrix {
        var random = StageRandom(seed: seed)
        func gaussian() -> Double {
            let u1 = max(random.unit(), 1e-300), u2 = random.unit()
            return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        }
        var values: [Double] = []
        for _ in 0..<count {
            let (a, b) = (gaussian(), gaussian())
            if random.unit() < 0.3 {
                // Cholesky of [[0.5, 0.3], [0.3, 0.6]]: l11 = sqrt(0.5), l21 = 0.3 / l11, l22 = sqrt(0.6 - l21^2).
                let l11 = 0.5.squareRoot(), l21 = 0.3 / l11, l22 = (0.6 - l21 * l21).squareRoot()
                values += [-2 + l11 * a, 0 + l21 * a + l22 * b]
            } else {
                values += [3 + 1.0 * a, 1 + 0.5 * b]
            }
        }
        return FeatureMatrix(rows: count, columns: 2, values: values)
    }

    /// The index of the fitted component whose mean is nearest to `mean`.
    func component(of mixture: GaussianMixture, near mean: [Double]) -> Int {
        (0..<mixture.components).min { a, b in
            zip(mixture.mean(a), mean).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
                < zip(mixture.mean(b), mean).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
        }!
    }

    func testFullCovarianceEMRecoversWeightsMeansAndCovariancesOfA2DMixture() throws {
        let points = Self.twoComponentSample(count: 4000, seed: 7)
        let (mixture, report) = try GaussianMixture.fit(points, components: 2, covariance: .full, ridge: 1e-6, seed: 1)
        XCTAssertTrue(report.converged)
        let a = component(of: mixture, near: [-2, 0]), b = component(of: mixture, near: [3, 1])
        XCTAssertNotEqual(a, b)
        XCTAssertEqual(mixture.weights[a], 0.3, accuracy: 0.03)
        XCTAssertEqual(mixture.weights[b], 0.7, accuracy: 0.03)
        for (got, want) in zip(mixture.mean(a), [-2.0, 0.0]) { XCTAssertEqual(got, want, accuracy: 0.1) }
        for (got, want) in zip(mixture.mean(b), [3.0, 1.0]) { XCTAssertEqual(got, want, accuracy: 0.1) }
        for (got, want) in zip(mixture.covarianceMatrix(a), [0.5, 0.3, 0.3, 0.6]) { XCTAssertEqual(got, want, accuracy: 0.08) }
        for (got, want) in zip(mixture.covarianceMatrix(b), [1.0, 0.0, 0.0, 0.25]) { XCTAssertEqual(got, want, accuracy: 0.08) }
    }

    func testDiagonalEMRecoversMeansAndVariancesOfAxisAlignedComponents() throws {
        let points = Self.twoComponentSample(count: 4000, seed: 11)
        let (mixture, _) = try GaussianMixture.fit(points, components: 2, covariance: .diagonal, ridge: 1e-6, seed: 2)
        let b = component(of: mixture, near: [3, 1])
        XCTAssertEqual(mixture.weights[b], 0.7, accuracy: 0.04)
        for (got, want) in zip(mixture.mean(b), [3.0, 1.0]) { XCTAssertEqual(got, want, accuracy: 0.1) }
        let covariance = mixture.covarianceMatrix(b)
        XCTAssertEqual(covariance[0], 1.0, accuracy: 0.1)
        XCTAssertEqual(covariance[3], 0.25, accuracy: 0.05)
        XCTAssertEqual(covariance[1], 0)
    }

    func testFitIsDeterministicUnderTheSeed() throws {
        let points = Self.twoComponentSample(count: 500, seed: 3)
        let first = try GaussianMixture.fit(points, components: 3, covariance: .full, ridge: 1e-3, seed: 42).mixture
        let second = try GaussianMixture.fit(points, components: 3, covariance: .full, ridge: 1e-3, seed: 42).mixture
        XCTAssertEqual(first.means, second.means)
        XCTAssertEqual(first.weights, second.weights)
    }

    func testRidgeKeepsComponentsWithFewerPointsThanDimensionsPositiveDefinite() throws {
        // 6 points in 10 dimensions, 3 components: every sample covariance is singular.
        var random = StageRandom(seed: 5)
        let points = FeatureMatrix(rows: 6, columns: 10, values: (0..<60).map { _ in random.unit() })
        let (mixture, _) = try GaussianMixture.fit(points, components: 3, covariance: .full, ridge: 1e-2, seed: 1)
        XCTAssertTrue(mixture.logDensity(of: points.row(0)).isFinite)
    }

    func testRefusesMoreComponentsThanPoints() {
        let points = FeatureMatrix(rows: 2, columns: 2, values: [0, 0, 1, 1])
        XCTAssertThrowsError(try GaussianMixture.fit(points, components: 3, ridge: 1e-3, seed: 1)) { error in
            XCTAssertEqual(error as? MixtureError, .tooFewPoints(points: 2, components: 3))
            XCTAssertTrue("\(error)".contains("lower components"))
        }
    }
}
