import Foundation

/// The Adam optimizer (Kingma & Ba) over a flat parameter vector, with PyTorch's defaults
/// (beta1 0.9, beta2 0.999, epsilon 1e-8) as the reference code uses them.
public struct Adam: Sendable {
    /// Step size.
    public var learningRate: Double
    /// Decay of the first-moment estimate.
    public var beta1: Double
    /// Decay of the second-moment estimate.
    public var beta2: Double
    /// Added to the denominator for numerical safety.
    public var epsilon: Double
    /// First-moment estimates, one per parameter.
    public var firstMoment: [Double]
    /// Second-moment estimates, one per parameter.
    public var secondMoment: [Double]
    /// Number of updates taken so far (drives the bias correction).
    public var stepCount: Int

    /// Creates an optimizer for `parameterCount` parameters.
    public init(parameterCount: Int, learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        firstMoment = [Double](repeating: 0, count: parameterCount)
        secondMoment = [Double](repeating: 0, count: parameterCount)
        stepCount = 0
    }

    /// Applies one update to `parameters` from `gradient`.
    public mutating func update(_ parameters: inout [Double], gradient: [Double]) {
        precondition(parameters.count == gradient.count && gradient.count == firstMoment.count, "Adam: size mismatch")
        stepCount += 1
        let c1 = 1 - pow(beta1, Double(stepCount))
        let c2 = 1 - pow(beta2, Double(stepCount))
        let lr = learningRate, b1 = beta1, b2 = beta2, eps = epsilon
        parameters.withUnsafeMutableBufferPointer { p in
            gradient.withUnsafeBufferPointer { g in
                firstMoment.withUnsafeMutableBufferPointer { m in
                    secondMoment.withUnsafeMutableBufferPointer { v in
                        for i in 0..<p.count {
                            let gi = g[i]
                            m[i] = b1 * m[i] + (1 - b1) * gi
                            v[i] = b2 * v[i] + (1 - b2) * gi * gi
                            p[i] -= lr * (m[i] / c1) / ((v[i] / c2).squareRoot() + eps)
                        }
                    }
                }
            }
        }
    }
}
