import HoneSDK
import XCTest
@testable import HonePluginDirectionalStimulus

final class HintRewardTests: XCTestCase {
    func testGenerationRewardIsTenTimesMeanRougeOneTwoL() throws {
        let reward = HintReward()
        // 10 * (0.5 + 0.2 + 0.4) / 3 = 3.6667; rougeLsum is not part of it.
        XCTAssertEqual(try reward.generationReward(["rouge1": 0.5, "rouge2": 0.2, "rougeL": 0.4, "rougeLsum": 0.9]), 11.0 / 3, accuracy: 1e-12)
    }

    func testKeywordStepRewardsArePlusOneInTheReferenceAndMinusPointTwoOtherwise() {
        let reference = PhraseTokenizer.keys("Lee Wan-koo offered to resign amid a scandal.")
        let keywords = [["lee", "wan-koo"], ["resign"], ["tycoon"], ["wan-koo", "lee"]]
        // +1 +1 -0.2 -0.2 (word order matters) = 1.6
        XCTAssertEqual(HintReward().keywordRewards(keywords, referenceKeys: reference), 1.6, accuracy: 1e-12)
    }

    func testKLPenaltyIsTheCoefficientTimesTheSummedLogRatio() {
        let reward = HintReward(klCoefficient: 0.1)
        // (-1 - -1.5) + (-2 - -1) = -0.5 -> 0.1 * -0.5 = -0.05
        XCTAssertEqual(reward.klPenalty(policy: [-1, -2], supervised: [-1.5, -1]), -0.05, accuracy: 1e-12)
    }

    func testAMissingRougeScoreIsRefusedNamingIt() {
        XCTAssertThrowsError(try HintReward().generationReward(["accuracy": 1])) { error in
            XCTAssertTrue("\(error)".contains("rouge1, rouge2, rougeL"), "\(error)")
        }
    }
}
