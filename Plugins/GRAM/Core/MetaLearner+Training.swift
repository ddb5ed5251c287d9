import HoneSDK
extension MetaLearner {
    /// Runs `steps` outer steps of `metaBatch` episodes drawn from `sampler` (seeded), calling
    /// `onStep(step, meanQueryLoss)` after each; stops early when `onStep` returns false.
    /// Returns the mean adapted query loss of every step taken.
    @discardableResult
    public mutating func train(sampler: EpisodeSampler, steps: Int, metaBatch: Int, seed: UInt64,
                               onStep: (Int, Double) -> Bool = { _, _ in true }) -> [Double] {
        var generator = SeededGenerator(seed: seed ^ 0x6A7A_3E7A)
        var losses: [Double] = []
        for step in 1...max(steps, 1) where steps > 0 {
            let episodes = (0..<metaBatch).map { _ in sampler.sample(&generator) }
            let loss = self.step(episodes)
            losses.append(loss)
            if !onStep(step, loss) { break }
        }
        return losses
    }
}
