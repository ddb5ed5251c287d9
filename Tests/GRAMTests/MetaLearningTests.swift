import XCTest
@testable import HonePluginGRAMCore

/// The inner/outer loop on a synthetic task family.
final class MetaLearningTests: XCTestCase {
    private func meanAdaptedQueryLoss(_ learner: MetaLearner, episodes: [(support: LabeledEmbeddings, query: LabeledEmbeddings)]) -> Double {
        episodes.map { learner.adaptedQueryLoss(support: $0.support, query: $0.query) }.reduce(0, +) / Double(episodes.count)
    }

    private func run(order: MetaLearner.MetaGradient, learnInitialization: Bool = true, learnRegulator: Bool = true,
                     regulator: GradientRegulator.Kind = .gain) -> (before: Double, after: Double, learner: MetaLearner) {
        var family = SyntheticFamily(dimension: 12, seed: 11)
        let layout = ParameterLayout(dimension: 12, rank: 2)
        var settings = MetaLearner.Settings()
        settings.innerSteps = 3
        settings.learningRate = 0.01
        settings.initializationLearningRate = 0.02
        settings.regulatorLearningRate = 0.05
        settings.metaGradient = order
        settings.learnInitialization = learnInitialization
        settings.learnRegulator = learnRegulator
        settings.regulator = regulator
        var learner = MetaLearner(head: SoftPromptHead(layout: layout, temperature: 0.05), settings: settings, initialization: layout.identity(seed: 1))
        let heldOut = (0..<20).map { _ in (support: family.task(classes: 4, perClass: 2), query: family.task(classes: 4, perClass: 6)) }
        let before = meanAdaptedQueryLoss(learner, episodes: heldOut)
        for _ in 0..<60 {
            learner.step((0..<4).map { _ in (support: family.task(classes: 4, perClass: 2), query: family.task(classes: 4, perClass: 6)) })
        }
        return (before, meanAdaptedQueryLoss(learner, episodes: heldOut), learner)
    }

    func testMetaLearningLowersTheAdaptedQueryLossOnHeldOutTasksOfTheFamily() {
        for order in MetaLearner.MetaGradient.allCases {
            let result = run(order: order)
            XCTAssertLessThan(result.after, 0.8 * result.before, "\(order.rawValue): held-out adapted query loss \(result.before) -> \(result.after)")
        }
    }

    func testTheRegulatorAloneLearnsAndKeepsTheInitialization() {
        let result = run(order: .secondOrder, learnInitialization: false)
        XCTAssertLessThan(result.after, result.before)
        XCTAssertEqual(result.learner.initialization, ParameterLayout(dimension: 12, rank: 2).identity(seed: 1))
        XCTAssertNotEqual(result.learner.regulator, GradientRegulator(count: result.learner.initialization.count))
    }

    func testTuningFromTheMetaInitializationBeatsTuningFromZeroAtEqualSteps() {
        let meta = run(order: .secondOrder).learner
        var family = SyntheticFamily(dimension: 12, seed: 99)
        var wins = 0
        for _ in 0..<10 {
            let train = family.task(classes: 4, perClass: 2), test = family.task(classes: 4, perClass: 20)
            func testLoss(_ start: [Double], _ regulator: GradientRegulator) -> Double {
                let tuner = PromptTuner(head: meta.head, regulator: regulator, learningRate: 0.01, steps: 3, evaluateEvery: 3)
                let theta = tuner.tune(from: start, train: train, selection: train).theta
                return meta.head.evaluate(theta, on: test, gradient: false).loss
            }
            let zero = testLoss(ParameterLayout(dimension: 12, rank: 2).identity(seed: 1), GradientRegulator(count: meta.initialization.count))
            if testLoss(meta.initialization, meta.regulator) < zero { wins += 1 }
        }
        XCTAssertGreaterThanOrEqual(wins, 8)
    }

    func testTheLowRankRegulatorAloneLearnsAndKeepsTheInitialization() {
        let result = run(order: .secondOrder, learnInitialization: false, regulator: .lowRank(rank: 2))
        XCTAssertLessThan(result.after, result.before)
        XCTAssertEqual(result.learner.initialization, ParameterLayout(dimension: 12, rank: 2).identity(seed: 1))
        XCTAssertNotEqual(result.learner.regulator, GradientRegulator.identity(.lowRank(rank: 2), count: result.learner.initialization.count, seed: 0))
    }
}
