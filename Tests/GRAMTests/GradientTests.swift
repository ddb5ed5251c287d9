import HoneSDK
import XCTest
@testable import HonePluginGRAMCore

/// The hand-derived gradients against central finite differences.
final class GradientTests: XCTestCase {
    private func randomTheta(_ layout: ParameterLayout, seed: UInt64, scale: Double = 0.2) -> [Double] {
        var g = SeededGenerator(seed: seed)
        return (0..<layout.count).map { _ in scale * g.nextGaussian() }
    }

    private func assertClose(_ analytic: [Double], _ numeric: [Double], tolerance: Double, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(analytic.count, numeric.count, file: file, line: line)
        let scale = max(numeric.map(abs).max() ?? 0, 1e-8)
        for i in analytic.indices where abs(analytic[i] - numeric[i]) > tolerance * scale {
            XCTFail("component \(i): analytic \(analytic[i]) vs finite difference \(numeric[i]) (scale \(scale))", file: file, line: line)
            return
        }
    }

    /// Central differences of the loss, one parameter at a time.
    private func numericGradient(_ head: SoftPromptHead, _ theta: [Double], _ problem: LabeledEmbeddings, step h: Double) -> [Double] {
        theta.indices.map { i -> Double in
            var plus = theta, minus = theta
            plus[i] += h; minus[i] -= h
            return (head.evaluate(plus, on: problem, gradient: false).loss - head.evaluate(minus, on: problem, gradient: false).loss) / (2 * h)
        }
    }

    func testHandDerivedLossGradientMatchesFiniteDifferences() {
        var family = SyntheticFamily(dimension: 7, seed: 3)
        let problem = family.task(classes: 3, perClass: 4)
        for rank in [0, 2] {
            let layout = ParameterLayout(dimension: 7, rank: rank)
            let head = SoftPromptHead(layout: layout, temperature: 0.2)
            let theta = randomTheta(layout, seed: 5)
            assertClose(head.evaluate(theta, on: problem).gradient, numericGradient(head, theta, problem, step: 1e-6), tolerance: 1e-6)
        }
    }

    func testGradientStaysExactAtTheHostsSharpTemperature() {
        var family = SyntheticFamily(dimension: 6, seed: 4)
        let problem = family.task(classes: 4, perClass: 2)
        let layout = ParameterLayout(dimension: 6, rank: 1)
        let head = SoftPromptHead(layout: layout, temperature: 0.01)
        let theta = randomTheta(layout, seed: 9, scale: 0.05)
        assertClose(head.evaluate(theta, on: problem).gradient, numericGradient(head, theta, problem, step: 1e-8), tolerance: 1e-4)
    }

    /// The adapted query loss as a function of (θ₀, φ), differentiated numerically.
    private func numericMetaGradient(_ learner: MetaLearner, support: LabeledEmbeddings, query: LabeledEmbeddings) -> ([Double], [Double]) {
        let h = 1e-6
        var copy = learner
        let initGradient = learner.initialization.indices.map { i -> Double in
            copy.initialization[i] += h
            let plus = copy.adaptedQueryLoss(support: support, query: query)
            copy.initialization[i] -= 2 * h
            let minus = copy.adaptedQueryLoss(support: support, query: query)
            copy.initialization[i] += h
            return (plus - minus) / (2 * h)
        }
        let regulatorGradient = learner.regulator.parameters.indices.map { i -> Double in
            copy.regulator.parameters[i] += h
            let plus = copy.adaptedQueryLoss(support: support, query: query)
            copy.regulator.parameters[i] -= 2 * h
            let minus = copy.adaptedQueryLoss(support: support, query: query)
            copy.regulator.parameters[i] += h
            return (plus - minus) / (2 * h)
        }
        return (initGradient, regulatorGradient)
    }

    private func learner(order: MetaLearner.MetaGradient, innerSteps: Int, regulator kind: GradientRegulator.Kind = .gain) -> (MetaLearner, LabeledEmbeddings, LabeledEmbeddings) {
        var family = SyntheticFamily(dimension: 6, seed: 21)
        let support = family.task(classes: 3, perClass: 2), query = family.task(classes: 3, perClass: 3)
        let layout = ParameterLayout(dimension: 6, rank: 1)
        var settings = MetaLearner.Settings()
        settings.innerSteps = innerSteps
        settings.learningRate = 0.05
        settings.metaGradient = order
        var learner = MetaLearner(head: SoftPromptHead(layout: layout, temperature: 0.3), settings: settings,
                                  initialization: randomTheta(layout, seed: 2, scale: 0.1))
        var g = SeededGenerator(seed: 8)
        switch kind {
        case .gain:
            learner.regulator = GradientRegulator(logGain: (0..<layout.count).map { _ in 0.3 * g.nextGaussian() })
        case .lowRank(let rank):
            learner.regulator = randomNetwork(count: layout.count, rank: rank, generator: &g)
        }
        return (learner, support, query)
    }

    /// A low-rank regulator away from its identity start (U ≠ 0, V not unit), so every term of its
    /// Jacobian is exercised.
    private func randomNetwork(count: Int, rank: Int, generator g: inout SeededGenerator) -> GradientRegulator {
        GradientRegulator(kind: .lowRank(rank: rank), count: count,
                          parameters: (0..<2 * count * rank).map { _ in 0.4 * g.nextGaussian() })
    }

    func testSecondOrderMetaGradientMatchesFiniteDifferencesThroughTheInnerLoop() {
        let (learner, support, query) = learner(order: .secondOrder, innerSteps: 3)
        let analytic = learner.metaGradient(support: support, query: query)
        let (initNumeric, gainNumeric) = numericMetaGradient(learner, support: support, query: query)
        assertClose(analytic.initialization, initNumeric, tolerance: 1e-4)
        assertClose(analytic.regulator, gainNumeric, tolerance: 1e-4)
        XCTAssertEqual(analytic.queryLoss, learner.adaptedQueryLoss(support: support, query: query), accuracy: 1e-12)
    }

    func testFirstOrderRegulatorGradientIsExactForOneInnerStep() {
        let (learner, support, query) = learner(order: .firstOrder, innerSteps: 1)
        let analytic = learner.metaGradient(support: support, query: query)
        let (initNumeric, gainNumeric) = numericMetaGradient(learner, support: support, query: query)
        assertClose(analytic.regulator, gainNumeric, tolerance: 1e-5)
        // The initialization's first-order gradient drops the Hessian term: close, not equal.
        let cosine = zip(analytic.initialization, initNumeric).reduce(0) { $0 + $1.0 * $1.1 }
            / (SoftPromptHead.norm(analytic.initialization) * SoftPromptHead.norm(initNumeric))
        XCTAssertGreaterThan(cosine, 0.9)
    }

    func testSecondOrderMetaGradientThroughTheLowRankRegulatorMatchesFiniteDifferences() {
        let (learner, support, query) = learner(order: .secondOrder, innerSteps: 3, regulator: .lowRank(rank: 2))
        let analytic = learner.metaGradient(support: support, query: query)
        let (initNumeric, regulatorNumeric) = numericMetaGradient(learner, support: support, query: query)
        assertClose(analytic.initialization, initNumeric, tolerance: 1e-4)
        assertClose(analytic.regulator, regulatorNumeric, tolerance: 1e-4)
    }

    func testLowRankRegulatorVectorJacobianProductsMatchFiniteDifferences() {
        var g = SeededGenerator(seed: 31)
        let count = 9, rank = 3
        let regulator = randomNetwork(count: count, rank: rank, generator: &g)
        let gradient = (0..<count).map { _ in 2 * g.nextGaussian() }, lambda = (0..<count).map { _ in g.nextGaussian() }
        func objective(_ r: GradientRegulator, _ x: [Double]) -> Double { zip(lambda, r.regulate(x)).reduce(0) { $0 + $1.0 * $1.1 } }
        let h = 1e-6
        let inputNumeric = gradient.indices.map { i -> Double in
            var plus = gradient, minus = gradient
            plus[i] += h; minus[i] -= h
            return (objective(regulator, plus) - objective(regulator, minus)) / (2 * h)
        }
        let parameterNumeric = regulator.parameters.indices.map { i -> Double in
            var plus = regulator, minus = regulator
            plus.parameters[i] += h; minus.parameters[i] -= h
            return (objective(plus, gradient) - objective(minus, gradient)) / (2 * h)
        }
        let back = regulator.backward(gradient: gradient, cotangent: lambda)
        assertClose(back.gradient, inputNumeric, tolerance: 1e-7)
        assertClose(back.parameters, parameterNumeric, tolerance: 1e-7)
    }

    func testLowRankRegulatorStartsAsTheIdentityAndKeepsTheStepLength() {
        var g = SeededGenerator(seed: 32)
        let gradient = (0..<20).map { _ in 5 * g.nextGaussian() }
        let start = GradientRegulator.identity(.lowRank(rank: 4), count: 20, seed: 7)
        assertClose(start.regulate(gradient), gradient, tolerance: 1e-12)
        XCTAssertEqual(start.turn(gradient), 0, accuracy: 1e-12)
        let trained = randomNetwork(count: 20, rank: 4, generator: &g)
        let regulated = trained.regulate(gradient)
        XCTAssertEqual(SoftPromptHead.norm(regulated), SoftPromptHead.norm(gradient), accuracy: 1e-9 * SoftPromptHead.norm(gradient))
        XCTAssertGreaterThan(trained.turn(gradient), 1e-3, "a trained network turns the step")
        // Positively homogeneous: the same turn at every gradient scale.
        assertClose(trained.regulate(gradient.map { 3 * $0 }), regulated.map { 3 * $0 }, tolerance: 1e-12)
    }
}
