/// Clipping of a gradient by its global L2 norm, as PyTorch's `clip_grad_norm_` does it.
public enum GradientClipping {
    /// Scales `gradient` down so that its L2 norm is at most `maxNorm`
    /// (factor `maxNorm / (norm + 1e-6)` when that is below 1); returns the norm before clipping.
    @discardableResult
    public static func clip(_ gradient: inout [Double], maxNorm: Double) -> Double {
        var sum = 0.0
        gradient.withUnsafeBufferPointer { g in for x in g { sum += x * x } }
        let norm = sum.squareRoot()
        let factor = maxNorm / (norm + 1e-6)
        if factor < 1 {
            gradient.withUnsafeMutableBufferPointer { g in for i in 0..<g.count { g[i] *= factor } }
        }
        return norm
    }
}
