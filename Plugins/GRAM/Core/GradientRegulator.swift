import Foundation

/// GRAM's gradient-regulating function, here a learned per-dimension gain: the regulated step
/// is θ ← θ − α (γ ⊙ ∂L/∂θ), with γ = exp(ρ) > 0 meta-learned per parameter.
///
/// Why a gain and not a small network: the gain's meta-gradient is closed-form
/// (∂θ'/∂γ = −α diag(g) for one step, so ∂L_query/∂γ = −α g_support ⊙ g_query), it cannot
/// change the update's direction within a coordinate (only damp or amplify it), it needs no
/// Jacobian of a network with respect to its input gradient, and on the few thousand
/// parameters of this head it is as expressive as a norm-preserving low-rank network would be
/// in the one respect that matters here: which directions of the shared residual, the shift
/// and the map should move when tuning on few examples. The log parameterization keeps the gain
/// positive and makes its learning rate scale-free. docs/methods/gram.md discusses the choice.
///
/// > Warning: the downstream tuner must use the same plain regulated SGD step: an optimizer that
/// > normalizes each coordinate (Adam, RMSProp) would cancel a per-dimension gain.
public struct GradientRegulator: Equatable, Sendable {
    /// ρ = log γ, one per parameter.
    public var logGain: [Double]

    /// The identity regulator (γ = 1) for `count` parameters.
    public init(count: Int) {
        logGain = [Double](repeating: 0, count: count)
    }

    /// A regulator with the given log-gains.
    public init(logGain: [Double]) {
        self.logGain = logGain
    }

    /// The gains γ = exp(ρ).
    public var gains: [Double] { logGain.map { exp($0) } }

    /// γ ⊙ g.
    public func regulate(_ gradient: [Double]) -> [Double] {
        precondition(gradient.count == logGain.count, "GradientRegulator: gradient of \(gradient.count) for \(logGain.count) gains")
        return zip(gradient, logGain).map { $0 * exp($1) }
    }

    /// One regulated step: θ − α (γ ⊙ g).
    public func step(_ theta: [Double], gradient: [Double], learningRate: Double) -> [Double] {
        precondition(theta.count == gradient.count && gradient.count == logGain.count, "GradientRegulator: size mismatch")
        var out = theta
        for i in out.indices { out[i] -= learningRate * exp(logGain[i]) * gradient[i] }
        return out
    }

    /// Summary statistics of the gains (for logs and the run summary).
    public var gainSummary: (min: Double, mean: Double, max: Double) {
        let g = gains
        return (g.min() ?? 1, g.reduce(0, +) / Double(max(g.count, 1)), g.max() ?? 1)
    }
}
