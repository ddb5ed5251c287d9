import Foundation
import HoneSDK

/// GRAM's gradient-regulating function R: every inner-loop and downstream step is
/// θ ← θ − α R(∇L(θ)), and R's parameters φ are meta-learned in the outer loop.
///
/// Two forms (``Kind``), each the identity at its initialization:
/// - ``Kind/gain``: R(g) = γ ⊙ g with γ = exp(ρ) > 0, one gain per parameter. It damps or
///   amplifies each coordinate but never turns a coordinate's update around; the log
///   parameterization keeps it positive and its learning rate scale-free.
/// - ``Kind/lowRank(rank:)``: a small norm-preserving network,
///   R(g) = ‖g‖ · n(ĝ + U tanh(Vᵀ ĝ)),  ĝ = g/‖g‖,  n(x) = x/‖x‖,
///   with U, V of n × m (m = rank). It reads the gradient's direction through m learned
///   directions (the columns of V), adds a learned correction in the span of U's columns, and
///   hands back a step of the original length: it can turn the update (for instance take out a
///   direction that helps the support set and hurts other classes) but not make it longer or
///   shorter. It is positively homogeneous, R(c g) = c R(g) for c > 0, so it means the same at
///   every gradient scale. U starts at 0 (R = identity) and V with random unit columns, so U
///   gets a gradient from the first outer step (LoRA's initialization).
///
/// ``backward(gradient:cotangent:)`` gives the vector-Jacobian products the meta-learner needs,
/// derived by hand (below) and checked against finite differences in `GradientTests`.
///
/// > Warning: the downstream tuner must use the same plain regulated SGD step: an optimizer that
/// > normalizes each coordinate (Adam, RMSProp) would cancel a per-dimension gain and distort
/// > the network's direction.
public struct GradientRegulator: Equatable, Sendable {
    /// The form of the regulating function.
    public enum Kind: Equatable, Sendable {
        /// R(g) = exp(ρ) ⊙ g; parameters ρ (one per head parameter).
        case gain
        /// R(g) = ‖g‖ n(ĝ + U tanh(Vᵀ ĝ)); parameters U then V (n × rank each, row-major).
        case lowRank(rank: Int)

        /// The config name (`gain`, `low_rank`).
        public var name: String {
            switch self {
            case .gain: return "gain"
            case .lowRank: return "low_rank"
            }
        }
    }

    /// The form.
    public let kind: Kind
    /// The number of head parameters regulated (the length of g).
    public let count: Int
    /// The learnable parameters φ: ρ = log γ for ``Kind/gain``; U then V for ``Kind/lowRank(rank:)``.
    public var parameters: [Double]

    /// The identity gain regulator (γ = 1) for `count` parameters.
    public init(count: Int) {
        kind = .gain
        self.count = count
        parameters = [Double](repeating: 0, count: count)
    }

    /// A gain regulator with the given log-gains ρ.
    public init(logGain: [Double]) {
        kind = .gain
        count = logGain.count
        parameters = logGain
    }

    /// A regulator of the given form and parameters.
    public init(kind: Kind, count: Int, parameters: [Double]) {
        let expected: Int
        switch kind {
        case .gain: expected = count
        case .lowRank(let rank): expected = 2 * count * rank
        }
        precondition(parameters.count == expected, "GradientRegulator: \(kind.name) over \(count) parameters needs \(expected) numbers, got \(parameters.count)")
        self.kind = kind
        self.count = count
        self.parameters = parameters
    }

    /// The identity regulator of the given form: γ = 1, or U = 0 with V's columns random unit
    /// vectors drawn from `seed`.
    public static func identity(_ kind: Kind, count: Int, seed: UInt64) -> GradientRegulator {
        switch kind {
        case .gain:
            return GradientRegulator(count: count)
        case .lowRank(let rank):
            var generator = SeededGenerator(seed: seed ^ 0x6E61_7272_6F77)
            var v = (0..<count * rank).map { _ in generator.nextGaussian() }
            for j in 0..<rank {
                let norm = (0..<count).reduce(0.0) { $0 + v[$1 * rank + j] * v[$1 * rank + j] }.squareRoot()
                for i in 0..<count { v[i * rank + j] /= max(norm, 1e-300) }
            }
            return GradientRegulator(kind: kind, count: count, parameters: [Double](repeating: 0, count: count * rank) + v)
        }
    }

    /// The gains γ = exp(ρ) (``Kind/gain`` only; all 1 for the network).
    public var gains: [Double] {
        switch kind {
        case .gain: return parameters.map { exp($0) }
        case .lowRank: return [Double](repeating: 1, count: count)
        }
    }

    /// The network's forward pass at g (ĝ, ‖g‖, a = tanh(Vᵀĝ), h, ‖h‖); nil for a zero gradient.
    private func forward(_ g: [Double], rank m: Int) -> (unit: [Double], norm: Double, a: [Double], h: [Double], hNorm: Double)? {
        let norm = SoftPromptHead.norm(g)
        guard norm > 1e-300 else { return nil }
        let unit = g.map { $0 / norm }
        let vOffset = count * m
        var z = [Double](repeating: 0, count: m)
        for i in 0..<count where unit[i] != 0 {
            for j in 0..<m { z[j] += parameters[vOffset + i * m + j] * unit[i] }
        }
        let a = z.map { tanh($0) }
        var h = unit
        for i in 0..<count {
            var s = 0.0
            for j in 0..<m { s += parameters[i * m + j] * a[j] }
            h[i] += s
        }
        return (unit, norm, a, h, SoftPromptHead.norm(h))
    }

    /// R(g).
    public func regulate(_ gradient: [Double]) -> [Double] {
        precondition(gradient.count == count, "GradientRegulator: gradient of \(gradient.count) for \(count) parameters")
        switch kind {
        case .gain:
            return zip(gradient, parameters).map { $0 * exp($1) }
        case .lowRank(let m):
            guard let f = forward(gradient, rank: m), f.hNorm > 1e-300 else { return gradient }
            return f.h.map { f.norm * $0 / f.hNorm }
        }
    }

    /// One regulated step: θ − α R(g).
    public func step(_ theta: [Double], gradient: [Double], learningRate: Double) -> [Double] {
        precondition(theta.count == count, "GradientRegulator: θ of \(theta.count) for \(count) parameters")
        let r = regulate(gradient)
        return zip(theta, r).map { $0 - learningRate * $1 }
    }

    /// The vector-Jacobian products of R at g with a cotangent λ: ∂(λᵀR)/∂g = J_R(g)ᵀ λ and
    /// ∂(λᵀR)/∂φ.
    ///
    /// Gain: J_Rᵀλ = γ ⊙ λ, ∂/∂ρ = γ ⊙ g ⊙ λ.
    /// Network, with u = ĝ, ν = ‖g‖, a = tanh(Vᵀu), h = u + U a, w = h/‖h‖, R = ν w:
    ///
    ///     μ = (ν/‖h‖) (λ − w (wᵀλ))                    ∂/∂h
    ///     ∂/∂U = μ aᵀ,   β = (1 − a²) ⊙ (Uᵀ μ),   ∂/∂V = u βᵀ
    ///     J_Rᵀλ = u (wᵀλ) + (1/ν) (I − u uᵀ)(μ + V β)
    ///
    /// (the first term from ν = ‖g‖, the second from u = g/ν through h, directly and through a).
    public func backward(gradient g: [Double], cotangent lambda: [Double]) -> (gradient: [Double], parameters: [Double]) {
        precondition(g.count == count && lambda.count == count, "GradientRegulator: backward sizes \(g.count), \(lambda.count) for \(count) parameters")
        switch kind {
        case .gain:
            let gamma = parameters.map { exp($0) }
            return ((0..<count).map { gamma[$0] * lambda[$0] }, (0..<count).map { gamma[$0] * g[$0] * lambda[$0] })
        case .lowRank(let m):
            guard let f = forward(g, rank: m), f.hNorm > 1e-300 else {
                return (lambda, [Double](repeating: 0, count: parameters.count))
            }
            let w = f.h.map { $0 / f.hNorm }
            let wl = zip(w, lambda).reduce(0) { $0 + $1.0 * $1.1 }
            let mu = (0..<count).map { f.norm / f.hNorm * (lambda[$0] - w[$0] * wl) }
            let vOffset = count * m
            var grad = [Double](repeating: 0, count: parameters.count)
            var utMu = [Double](repeating: 0, count: m)
            for i in 0..<count {
                for j in 0..<m {
                    grad[i * m + j] = mu[i] * f.a[j]
                    utMu[j] += parameters[i * m + j] * mu[i]
                }
            }
            let beta = (0..<m).map { (1 - f.a[$0] * f.a[$0]) * utMu[$0] }
            var inner = mu                                       // μ + V β
            for i in 0..<count {
                for j in 0..<m {
                    grad[vOffset + i * m + j] = f.unit[i] * beta[j]
                    inner[i] += parameters[vOffset + i * m + j] * beta[j]
                }
            }
            let ui = zip(f.unit, inner).reduce(0) { $0 + $1.0 * $1.1 }
            let input = (0..<count).map { f.unit[$0] * wl + (inner[$0] - f.unit[$0] * ui) / f.norm }
            return (input, grad)
        }
    }

    /// How far R turns g: 1 − cos(g, R(g)) (0 for the identity and for any gain that is uniform).
    public func turn(_ gradient: [Double]) -> Double {
        let r = regulate(gradient)
        let n = SoftPromptHead.norm(gradient) * SoftPromptHead.norm(r)
        guard n > 1e-300 else { return 0 }
        return 1 - zip(gradient, r).reduce(0) { $0 + $1.0 * $1.1 } / n
    }

    /// Summary statistics of the gains (for logs and the run summary; all 1 for the network).
    public var gainSummary: (min: Double, mean: Double, max: Double) {
        let g = gains
        return (g.min() ?? 1, g.reduce(0, +) / Double(max(g.count, 1)), g.max() ?? 1)
    }
}
