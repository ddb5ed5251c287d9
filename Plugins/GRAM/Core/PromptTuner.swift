/// Downstream few-shot tuning on the target task: regulated SGD from an initialization, with the
/// parameters picked on dev.
///
/// Every step takes the full training set's gradient and the regulated step
/// θ ← θ − α (γ ⊙ g) (the inner loop's update, so a meta-learned γ means what it meant there).
/// θ is judged on dev at step 0 and every `evaluateEvery` steps and after the last; the best
/// dev accuracy wins, ties going to the lower dev loss, then to the earlier step.
public struct PromptTuner: Sendable {
    /// The head.
    public let head: SoftPromptHead
    /// The regulator applied to every step (identity: plain SGD).
    public let regulator: GradientRegulator
    /// The step size α.
    public let learningRate: Double
    /// Training steps.
    public let steps: Int
    /// Dev evaluation period.
    public let evaluateEvery: Int

    /// Creates a tuner.
    public init(head: SoftPromptHead, regulator: GradientRegulator, learningRate: Double, steps: Int, evaluateEvery: Int) {
        self.head = head
        self.regulator = regulator
        self.learningRate = learningRate
        self.steps = steps
        self.evaluateEvery = max(1, evaluateEvery)
    }

    /// The picked parameters and how the run went.
    public struct Outcome: Sendable {
        /// The parameters picked on dev.
        public var theta: [Double]
        /// The step they come from.
        public var selectedStep: Int
        /// Their selection accuracy and loss.
        public var selectionAccuracy: Double
        /// Their selection loss.
        public var selectionLoss: Double
        /// One point per evaluation: step, training loss, selection accuracy and loss.
        public var curve: [(step: Int, trainLoss: Double, accuracy: Double, loss: Double)]
    }

    /// Tunes from `start` on `train`, picking on `selection` (dev; the caller passes train when the
    /// task has no dev split).
    public func tune(from start: [Double], train: LabeledEmbeddings, selection: LabeledEmbeddings) -> Outcome {
        var theta = start
        var best: Outcome?
        var curve: [(step: Int, trainLoss: Double, accuracy: Double, loss: Double)] = []
        func judge(_ step: Int, trainLoss: Double) {
            let e = head.evaluate(theta, on: selection, gradient: false)
            curve.append((step, trainLoss, e.accuracy, e.loss))
            if let b = best, !(e.accuracy > b.selectionAccuracy || (e.accuracy == b.selectionAccuracy && e.loss < b.selectionLoss)) { return }
            best = Outcome(theta: theta, selectedStep: step, selectionAccuracy: e.accuracy, selectionLoss: e.loss, curve: [])
        }
        var trainLoss = head.evaluate(theta, on: train, gradient: false).loss
        judge(0, trainLoss: trainLoss)
        for step in 1...max(steps, 1) where steps > 0 {
            let e = head.evaluate(theta, on: train)
            trainLoss = e.loss
            theta = regulator.step(theta, gradient: e.gradient, learningRate: learningRate)
            if step % evaluateEvery == 0 || step == steps { judge(step, trainLoss: trainLoss) }
        }
        var outcome = best!
        outcome.curve = curve
        return outcome
    }
}
