import Foundation

/// Adam (Kingma & Ba, 2015) for one flat parameter vector, with optional L2 weight decay
/// added to the gradient. Steps *ascend*: pass the gradient of what is maximized.
public struct Adam: Sendable {
    /// Step size.
    public var learningRate: Double
    /// L2 coefficient (gradient of `-decay/2 |θ|²` is added).
    public var weightDecay: Double
    private var m: [Double]
    private var v: [Double]
    private var t = 0
    private let beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8

    /// Creates the optimizer for `count` parameters.
    public init(count: Int, learningRate: Double, weightDecay: Double = 0) {
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        m = [Double](repeating: 0, count: count)
        v = m
    }

    /// Moves `parameters` up `gradient`.
    public mutating func ascend(_ parameters: inout [Double], gradient: [Double]) {
        t += 1
        let c1 = 1 - pow(beta1, Double(t)), c2 = 1 - pow(beta2, Double(t))
        for i in parameters.indices {
            let g = gradient[i] - weightDecay * parameters[i]
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g * g
            parameters[i] += learningRate * (m[i] / c1) / ((v[i] / c2).squareRoot() + epsilon)
        }
    }
}
