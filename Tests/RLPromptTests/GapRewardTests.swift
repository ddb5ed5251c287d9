import HoneSDK
import XCTest
@testable import HonePluginRLPrompt

final class GapRewardTests: XCTestCase {
    let reward = GapReward()

    func testCorrectPredictionIsScaledBy200() {
        XCTAssertEqual(reward.exampleReward(probabilities: [0.7, 0.3], label: 0), 200 * 0.4, accuracy: 1e-9)
    }

    func testWrongPredictionIsScaledBy180() {
        XCTAssertEqual(reward.exampleReward(probabilities: [0.7, 0.3], label: 1), -180 * 0.4, accuracy: 1e-9)
    }

    func testGapIsAgainstTheLargestOtherLabel() {
        // gold 0.3, best other 0.5: gap -0.2, wrong.
        XCTAssertEqual(reward.exampleReward(probabilities: [0.2, 0.5, 0.3], label: 2), -36, accuracy: 1e-9)
        // gold 0.5, best other 0.3: gap 0.2, right.
        XCTAssertEqual(reward.exampleReward(probabilities: [0.2, 0.5, 0.3], label: 1), 40, accuracy: 1e-9)
    }

    func testTieGivesZero() {
        XCTAssertEqual(reward.exampleReward(probabilities: [0.5, 0.5], label: 0), 0)
    }

    func testPromptRewardIsTheMeanOverExamples() {
        let outcomes = [
            ExampleOutcome(index: 0, label: 0, predicted: 0, probabilities: [0.7, 0.3]),  // +80
            ExampleOutcome(index: 1, label: 1, predicted: 0, probabilities: [0.6, 0.4]),  // -36
        ]
        XCTAssertEqual(reward.promptReward(outcomes), 22, accuracy: 1e-9)
    }

    func testShapingZScoresAcrossPromptsThenMultipliesBy5() {
        // mean 2, population std sqrt(2/3).
        let std = (2.0 / 3.0).squareRoot() + 1e-4
        let shaped = reward.shaped([1, 2, 3])
        XCTAssertEqual(shaped[0], -5 / std, accuracy: 1e-9)
        XCTAssertEqual(shaped[1], 0, accuracy: 1e-9)
        XCTAssertEqual(shaped[2], 5 / std, accuracy: 1e-9)
    }

    func testShapingOfEqualRewardsIsZeroNotNaN() {
        XCTAssertEqual(reward.shaped([40, 40, 40]), [0, 0, 0])
    }

    func testShapingWithoutZScoreOnlyScales() {
        let plain = GapReward(zScore: false, shapingScale: 5)
        XCTAssertEqual(plain.shaped([1, -2]), [5, -10])
    }
}
