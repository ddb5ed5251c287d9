import Foundation
import HoneSDK
import XCTest
@testable import HonePluginRLPrompt

/// The plugin's own work per training step at the default sizes (3,000 tokens, 5 positions,
/// 16 prompts, hidden 64): sampling, target pass, loss, backward pass, clipping, Adam, Polyak.
final class StepCostTests: XCTestCase {
    func testOneTrainingStepAtDefaultSizesIsCheapNextToTheBackend() {
        let trainer = SoftQTrainer(config: RLPromptConfig(), vocabularySize: 3000, seed: 1)
        var generator = SeededGenerator(seed: 2)
        _ = trainer.update(samples: trainer.samplePrompts(), rawRewards: (0..<16).map { _ in generator.nextGaussian() * 50 })
        let started = Date()
        let steps = 3
        for _ in 0..<steps {
            let samples = trainer.samplePrompts()
            trainer.update(samples: samples, rawRewards: (0..<16).map { _ in generator.nextGaussian() * 50 })
        }
        let perStep = Date().timeIntervalSince(started) / Double(steps)
        print("rlprompt plugin work per step: \(String(format: "%.1f", perStep * 1000)) ms")
        // A step on the embedded model scores 128-512 texts at roughly 3-10 per second on the
        // 2-core machine (13-170 s); 5% of the shortest is 0.65 s.
        XCTAssertLessThan(perStep, 0.65)
    }
}
