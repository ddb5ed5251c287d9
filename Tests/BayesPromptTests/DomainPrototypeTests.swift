import Foundation
import HonePluginBayesPromptCore
import HoneSDK
import XCTest

/// The label-anchored domain mixture (semi-supervised EM on the sphere) and the labels its
/// anchors get.
final class DomainPrototypeTests: XCTestCase {
    /// Unit points scattered around `direction` (Gaussian noise of `spread` per coordinate).
    private func cluster(around direction: [Double], count: Int, spread: Double, random: inout StageRandom) -> [[Double]] {
        (0..<count).map { _ in
            let noisy = direction.map { v -> Double in
                let u1 = max(random.unit(), 1e-12), u2 = random.unit()
                return v + spread * (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
            }
            let norm = noisy.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return noisy.map { $0 / norm }
        }
    }

    private func cosine(_ a: [Double], _ b: [Double]) -> Double {
        let dot = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
        return dot / (a.reduce(0) { $0 + $1 * $1 }.squareRoot() * b.reduce(0) { $0 + $1 * $1 }.squareRoot())
    }

    func testEMMovesBiasedAnchorsToTheirClassesDirectionsOnThePool() {
        // Two classes on the sphere in 3-D; one anchor each, 40 degrees off its class's true
        // direction (a biased few-shot sample). The pool (300 points per class) pulls each
        // component to its class's direction; the anchors only decide which component is which.
        var random = StageRandom(seed: 7)
        let truth = [[1.0, 0, 0], [0, 1.0, 0]]
        let pool = FeatureMatrix(vectors: cluster(around: truth[0], count: 300, spread: 0.15, random: &random)
                                 + cluster(around: truth[1], count: 300, spread: 0.15, random: &random))
        let tilt = 40 * Double.pi / 180
        let anchors = FeatureMatrix(vectors: [[cos(tilt), 0, sin(tilt)], [0, cos(tilt), sin(tilt)]])
        let fitted = DomainPrototypes.fit(pool: pool, anchors: anchors, anchorLabels: [0, 1], fallback: FeatureMatrix(vectors: truth),
                                          concentration: 20, iterations: 10)
        for c in 0..<2 {
            XCTAssertLessThan(cosine(anchors.row(c), truth[c]), 0.77, "the anchor starts 40 degrees off")
            XCTAssertGreaterThan(cosine(fitted.mean(c), truth[c]), 0.99, "label \(c)'s component ends on its class")
        }
        XCTAssertEqual(fitted.iterations, 10)
        XCTAssertEqual(fitted.weights.reduce(0, +), 602, accuracy: 1e-9, "every pool point and anchor is counted once")
    }

    func testPriorsFollowTheDomainsClassBalance() {
        var random = StageRandom(seed: 11)
        let truth = [[1.0, 0, 0], [0, 0, 1.0]]
        let pool = FeatureMatrix(vectors: cluster(around: truth[0], count: 300, spread: 0.1, random: &random)
                                 + cluster(around: truth[1], count: 100, spread: 0.1, random: &random))
        let fitted = DomainPrototypes.fit(pool: pool, anchors: FeatureMatrix(vectors: truth), anchorLabels: [0, 1],
                                          fallback: FeatureMatrix(vectors: truth), concentration: 30, iterations: 5)
        XCTAssertEqual(fitted.priors[0], 301.0 / 402, accuracy: 0.01)
        XCTAssertEqual(fitted.priors[1], 101.0 / 402, accuracy: 0.01)
    }

    func testAnchorsDecideWhichComponentIsWhichLabel() {
        var random = StageRandom(seed: 3)
        let truth = [[1.0, 0, 0], [0, 1.0, 0]]
        let pool = FeatureMatrix(vectors: cluster(around: truth[0], count: 100, spread: 0.1, random: &random)
                                 + cluster(around: truth[1], count: 100, spread: 0.1, random: &random))
        let fallback = FeatureMatrix(vectors: truth)
        let straight = DomainPrototypes.fit(pool: pool, anchors: fallback, anchorLabels: [0, 1], fallback: fallback, concentration: 20, iterations: 5)
        let swapped = DomainPrototypes.fit(pool: pool, anchors: fallback, anchorLabels: [1, 0], fallback: fallback, concentration: 20, iterations: 5)
        XCTAssertGreaterThan(cosine(straight.mean(0), truth[0]), 0.99)
        XCTAssertGreaterThan(cosine(swapped.mean(0), truth[1]), 0.99)
        XCTAssertGreaterThan(cosine(swapped.mean(1), truth[0]), 0.99)
    }

    func testWithoutIterationsTheMeansAreTheAnchorsAndALabelWithoutAnchorsKeepsItsFallback() {
        let anchors = FeatureMatrix(vectors: [[1.0, 0], [0.6, 0.8]])
        let fallback = FeatureMatrix(vectors: [[0.0, 1], [1.0, 0], [-1.0, 0]])
        let fitted = DomainPrototypes.fit(pool: FeatureMatrix(vectors: [[0.0, 1]]), anchors: anchors, anchorLabels: [1, 1],
                                          fallback: fallback, concentration: 10, iterations: 0)
        XCTAssertEqual(fitted.iterations, 0)
        XCTAssertEqual(fitted.weights, [0, 2, 0])
        XCTAssertEqual(fitted.mean(1)[0], 1.6 / (1.6 * 1.6 + 0.8 * 0.8).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(fitted.mean(0), [0, 1])
        XCTAssertEqual(fitted.mean(2), [-1, 0])
    }

    func testTransportedParticlesKeepTheirShotsLabelsAndOtherParticlesTakeTheNearestPrototypes() {
        let prototypes = FeatureMatrix(vectors: [[1.0, 0], [0.0, 1]])
        let points = FeatureMatrix(vectors: [[0.9, 0.1], [0.2, 0.7], [0.1, 0.9]])
        XCTAssertEqual(DomainParticles(points: points, source: .svgd).labels(shotLabels: [1, 1, 0], prototypes: prototypes), [1, 1, 0])
        XCTAssertEqual(DomainParticles(points: points, source: .randomUnlabeled).labels(shotLabels: [1, 1, 0], prototypes: prototypes), [0, 1, 1])
        XCTAssertEqual(DomainParticles(points: points, source: .gmmMeans).labels(shotLabels: [], prototypes: prototypes), [0, 1, 1])
    }

    func testHeadsFromSumsEqualHeadsFromShotsWhenTheSumsAreTheShots() {
        let shots = FeatureMatrix(vectors: [[1.0, 0], [0.8, 0.6], [0, 1.0]])
        let verbalizers = FeatureMatrix(vectors: [[0.0, 1], [1.0, 0]])
        let fromShots = PrototypeHeads(shots: shots, shotLabels: [0, 0, 1], verbalizers: verbalizers)
        let fromSums = PrototypeHeads(shots: shots, shotLabels: [0, 0, 1], verbalizers: verbalizers,
                                      sums: FeatureMatrix(vectors: [[1.8, 0.6], [0, 1.0]]), weights: [2, 1])
        let others = FeatureMatrix(vectors: [[0.7, 0.7], [0.1, 0.9]])
        for weight in [0.5, 1] {
            for (a, b) in zip(fromShots.classVector(0, shift: [0.1, 0], weight: weight, excluding: 1),
                              fromSums.classVector(0, shift: [0.1, 0], weight: weight, excluding: 1)) {
                XCTAssertEqual(a, b, accuracy: 1e-12)
            }
            XCTAssertEqual(fromShots.predictions(shift: [0, 0], weight: weight, others: others).shots,
                           fromSums.predictions(shift: [0, 0], weight: weight, others: others).shots)
        }
    }
}
