import Foundation
import HonePluginBayesPromptCore
import XCTest

/// Stein variational gradient descent toward densities whose shape is known.
final class SteinTransportTests: XCTestCase {
    func startingParticles(_ count: Int, around center: [Double], spread: Double, seed: UInt64) -> FeatureMatrix {
        var random = StageRandom(seed: seed)
        return FeatureMatrix(rows: count, columns: center.count,
                             values: (0..<count).flatMap { _ in center.map { $0 + spread * (random.unit() - 0.5) } })
    }

    func testParticlesMoveToAGaussianAndSpreadOverIt() throws {
        let target = try GaussianMixture(weights: [1], means: [2, 1], covariances: [1, 1], covariance: .diagonal)
        let start = startingParticles(60, around: [-4, -3], spread: 0.5, seed: 1)
        let moved = SteinTransport(iterations: 800, stepSize: 0.05).transport(start) { target.scores(of: $0, into: &$1) }
        let mean = moved.columnMeans()
        XCTAssertEqual(mean[0], 2, accuracy: 0.25)
        XCTAssertEqual(mean[1], 1, accuracy: 0.25)
        // The kernel's repulsion keeps the particles spread out (unit variance target), instead
        // of collapsing onto the mode as plain gradient ascent would.
        let variance = moved.meanColumnVariance()
        XCTAssertGreaterThan(variance, 0.4)
        XCTAssertLessThan(variance, 1.6)
    }

    func testParticlesSplitBetweenTheModesOfABimodalMixture() throws {
        let target = try GaussianMixture(weights: [0.5, 0.5], means: [-3, 0, 3, 0], covariances: [0.3, 0.3, 0.3, 0.3], covariance: .diagonal)
        let start = startingParticles(40, around: [0, 0], spread: 1, seed: 2)
        let moved = SteinTransport(iterations: 600, stepSize: 0.05).transport(start) { target.scores(of: $0, into: &$1) }
        let left = (0..<moved.rows).filter { moved.values[$0 * 2] < 0 }.count
        XCTAssertGreaterThan(left, 8)
        XCTAssertLessThan(left, 32)
        let logDensityBefore = (0..<start.rows).map { target.logDensity(of: start.row($0)) }.reduce(0, +)
        let logDensityAfter = (0..<moved.rows).map { target.logDensity(of: moved.row($0)) }.reduce(0, +)
        XCTAssertGreaterThan(logDensityAfter, logDensityBefore)
    }

    func testZeroIterationsLeaveParticlesInPlace() throws {
        let target = try GaussianMixture(weights: [1], means: [0, 0], covariances: [1, 1], covariance: .diagonal)
        let start = startingParticles(5, around: [1, 1], spread: 1, seed: 3)
        XCTAssertEqual(SteinTransport(iterations: 0, stepSize: 0.1).transport(start) { target.scores(of: $0, into: &$1) }, start)
    }
}
