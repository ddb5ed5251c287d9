import Foundation

/// The soft Q-learning loss RLPrompt trains with, and its gradient with respect to the logits.
///
/// This is the reference code's default `sql_loss_impl = "v2_v2r_v3_v3r"` with no mixing
/// coefficient, which reduces to the mean of two path-consistency losses. With online logits
/// `q[t]` (the policy being trained), target-network logits `q'[t]`, sampled tokens `a[t]`,
/// a sparse reward `r` at the end of the prompt and `T` positions:
///
///     V[t]  = logsumexp(q[t]),  A[t] = q[t][a[t]] - V[t]   (= log pi(a[t]))
///     V'[t] = logsumexp(q'[t])
///     v2:   sum_t (A[t] - A'[t])^2,  A'[t] = V'[t+1] - V'[t] for t < T-1,  A'[T-1] = r - V'[T-1]
///     v3:   sum_t (sum_{s>=t} A[s] - (r - V'[t]))^2
///     loss = mean over prompts of (v2 + v3) / 2
///
/// The target logits are constants (the target network is not trained; it follows the online
/// network by Polyak averaging).
///
/// `valueOffset` (`L`) adds `(T-1-t) * L` to `V'[t]`: the Q-values are read as the logits plus a
/// per-position constant, which leaves the policy (a softmax per position) unchanged. With
/// `L = log(vocabularySize)` the constants are the soft values of the uniform policy, so at a
/// uniform initial policy every residual is exactly the reward: the loss carries no push toward
/// the tokens that happened to be sampled, only toward the rewarded ones. With `L = 0` it is the
/// reference code's loss (docs/methods/rlprompt.md says why Hone offsets by default).
public enum SoftQLoss {
    /// The loss of a batch and its gradient with respect to every online logit.
    public struct Result: Sendable {
        /// The batch loss.
        public var loss: Double
        /// Per prompt, `promptLength x vocabularySize` gradients of ``loss`` with respect to the online logits.
        public var logitGradients: [[Double]]
    }

    /// Computes the loss and its logit gradients.
    ///
    /// - Parameters:
    ///   - online: traces of the policy being trained (their `actions` are the sampled prompts).
    ///   - targetLogits: the target network's logits on the same prompts, same layout as `online[i].logits`.
    ///   - rewards: one shaped reward per prompt.
    ///   - vocabularySize: number of logits per position.
    ///   - valueOffset: `L`, the per-position offset of the target values (0 = the reference loss).
    public static func evaluate(online: [PolicyTrace], targetLogits: [[Double]], rewards: [Double], vocabularySize v: Int,
                                valueOffset: Double = 0) -> Result {
        precondition(online.count == targetLogits.count && online.count == rewards.count, "one target and one reward per prompt")
        let batch = Double(max(online.count, 1))
        var loss = 0.0
        var gradients: [[Double]] = []
        gradients.reserveCapacity(online.count)
        for (b, trace) in online.enumerated() {
            let length = trace.actions.count
            var a = [Double](repeating: 0, count: length)
            var vTarget = [Double](repeating: 0, count: length)
            var policy = [Double](repeating: 0, count: length * v)
            trace.logits.withUnsafeBufferPointer { q in
                targetLogits[b].withUnsafeBufferPointer { qt in
                    policy.withUnsafeMutableBufferPointer { pi in
                        for t in 0..<length {
                            let row = UnsafeBufferPointer(rebasing: q[(t * v)..<((t + 1) * v)])
                            let lse = logSumExp(row)
                            a[t] = row[trace.actions[t]] - lse
                            for i in 0..<v { pi[t * v + i] = exp(row[i] - lse) }
                            vTarget[t] = logSumExp(UnsafeBufferPointer(rebasing: qt[(t * v)..<((t + 1) * v)]))
                                + Double(length - 1 - t) * valueOffset
                        }
                    }
                }
            }
            let r = rewards[b]
            // v2 residuals.
            var d2 = [Double](repeating: 0, count: length)
            for t in 0..<length {
                let targetA = t < length - 1 ? vTarget[t + 1] - vTarget[t] : r - vTarget[t]
                d2[t] = a[t] - targetA
            }
            // v3 residuals: reverse cumulative sums of A against r - V'.
            var d3 = [Double](repeating: 0, count: length)
            var suffix = 0.0
            for t in stride(from: length - 1, through: 0, by: -1) {
                suffix += a[t]
                d3[t] = suffix - (r - vTarget[t])
            }
            var sequenceLoss = 0.0
            for t in 0..<length { sequenceLoss += d2[t] * d2[t] + d3[t] * d3[t] }
            loss += sequenceLoss / 2 / batch
            // dL/dA[s] = (d2[s] + sum_{t<=s} d3[t]) / batch; dA[s]/dq[s] = onehot(a[s]) - pi[s].
            var gradient = [Double](repeating: 0, count: length * v)
            var prefix = 0.0
            for s in 0..<length {
                prefix += d3[s]
                let dA = (d2[s] + prefix) / batch
                for i in 0..<v { gradient[s * v + i] = -dA * policy[s * v + i] }
                gradient[s * v + trace.actions[s]] += dA
            }
            gradients.append(gradient)
        }
        return Result(loss: loss, logitGradients: gradients)
    }

    /// `log(sum(exp(x)))`, computed stably.
    public static func logSumExp(_ x: UnsafeBufferPointer<Double>) -> Double {
        var m = -Double.infinity
        for value in x where value > m { m = value }
        if m == -Double.infinity { return m }
        var total = 0.0
        for value in x { total += exp(value - m) }
        return m + log(total)
    }
}
