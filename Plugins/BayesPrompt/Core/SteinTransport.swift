import Foundation

/// Stein variational gradient descent (Liu & Wang, 2016): moves a set of particles toward a
/// target density, given only the density's score (the gradient of its log), as BayesPrompt
/// moves the k-shot examples' features toward the domain mixture.
///
/// Each iteration computes, for every particle x_i,
/// `phi(x_i) = 1/n sum_j [k(x_j, x_i) score(x_j) + grad_{x_j} k(x_j, x_i)]` with the RBF kernel
/// `k(x, y) = exp(-|x - y|^2 / (2 h^2))` and the median heuristic
/// `h^2 = median(|x_i - x_j|^2) / (2 log(n + 1))` (the reference code's), then steps along phi
/// scaled per coordinate by AdaGrad with momentum (historical squared gradient decayed by
/// ``momentum``), as the reference implementation does.
public struct SteinTransport: Sendable {
    /// Iterations (paper: 1000).
    public var iterations: Int
    /// Step size (paper: 0.01 on RoBERTa features; see docs/methods/bayesprompt.md).
    public var stepSize: Double
    /// Decay of the historical squared gradient (reference: 0.9).
    public var momentum: Double = 0.9
    /// A fixed bandwidth h, or nil for the median heuristic recomputed each iteration.
    public var bandwidth: Double?

    /// A transport with the given schedule.
    public init(iterations: Int, stepSize: Double, momentum: Double = 0.9, bandwidth: Double? = nil) {
        self.iterations = iterations
        self.stepSize = stepSize
        self.momentum = momentum
        self.bandwidth = bandwidth
    }

    /// The target's score at every row of its first argument, written into the second.
    public typealias Score = (_ points: FeatureMatrix, _ into: inout FeatureMatrix) -> Void

    /// The particles after ``iterations`` steps toward the density whose score is `score`.
    /// `shouldStop` is polled every 25 iterations (e.g. the host's cancel flag).
    public func transport(_ start: FeatureMatrix, score: Score, shouldStop: () -> Bool = { false }) -> FeatureMatrix {
        let n = start.rows, d = start.columns
        guard n > 0, d > 0, iterations > 0 else { return start }
        var x = start
        var gradient = FeatureMatrix(rows: n, columns: d)
        var drift = FeatureMatrix(rows: n, columns: d)          // score - x / h^2, row by row
        var phi = [Double](repeating: 0, count: n * d)
        var history = [Double](repeating: 0, count: n * d)
        var kernel = [Double](repeating: 0, count: n * n)
        var upper = [Double](repeating: 0, count: n * (n - 1) / 2)
        var norms = [Double](repeating: 0, count: n)
        for iteration in 0..<iterations {
            if iteration % 25 == 0 && shouldStop() { break }
            score(x, &gradient)
            x.values.withUnsafeBufferPointer { xs in
                // Squared distances from the Gram matrix (upper triangle), then the bandwidth.
                for i in 0..<n { norms[i] = VectorMath.dot(UnsafeBufferPointer(rebasing: xs[i * d ..< (i + 1) * d]), UnsafeBufferPointer(rebasing: xs[i * d ..< (i + 1) * d])) }
                var u = 0
                for i in 0..<n {
                    kernel[i * n + i] = 0
                    let xi = UnsafeBufferPointer(rebasing: xs[i * d ..< (i + 1) * d])
                    for j in (i + 1)..<max(i + 1, n) {
                        let dist = max(0, norms[i] + norms[j] - 2 * VectorMath.dot(xi, UnsafeBufferPointer(rebasing: xs[j * d ..< (j + 1) * d])))
                        kernel[i * n + j] = dist
                        kernel[j * n + i] = dist
                        upper[u] = dist
                        u += 1
                    }
                }
                let h2: Double
                if let bandwidth {
                    h2 = bandwidth * bandwidth
                } else {
                    let median = Self.lowerMedianOfDistanceMatrix(offDiagonal: &upper, count: n)
                    h2 = median > 0 ? 0.5 * median / log(Double(n) + 1) : 1
                }
                let inverse = 1 / h2
                for i in 0..<(n * n) { kernel[i] = exp(-0.5 * kernel[i] * inverse) }
                // phi_i = 1/n [sum_j k_ij (score_j - x_j / h^2) + x_i sum_j k_ij / h^2]
                gradient.values.withUnsafeBufferPointer { g in
                    drift.values.withUnsafeMutableBufferPointer { a in
                        for t in 0..<(n * d) { a[t] = g[t] - xs[t] * inverse }
                    }
                }
                drift.values.withUnsafeBufferPointer { a in
                    phi.withUnsafeMutableBufferPointer { p in
                        kernel.withUnsafeBufferPointer { kp in
                            Self.kernelProduct(kp.baseAddress!, a.baseAddress!, into: p.baseAddress!, rows: n, columns: d)
                            let scale = 1 / Double(n)
                            for i in 0..<n {
                                var rowSum = 0.0
                                for j in 0..<n { rowSum += kp[i * n + j] }
                                let pi = p.baseAddress! + i * d, xi = xs.baseAddress! + i * d
                                let selfTerm = rowSum * inverse
                                for t in 0..<d { pi[t] = (pi[t] + xi[t] * selfTerm) * scale }
                            }
                        }
                    }
                }
            }
            // AdaGrad with momentum, as the reference code.
            let decay = iteration == 0 ? 0 : momentum, keep = iteration == 0 ? 1 : 1 - momentum
            x.values.withUnsafeMutableBufferPointer { xs in
                for t in 0..<(n * d) {
                    let f = phi[t]
                    history[t] = decay * history[t] + keep * f * f
                    xs[t] += stepSize * f / (1e-6 + history[t].squareRoot())
                }
            }
        }
        return x
    }

    /// out = K A for the n x n kernel K and the n x d matrix A, four output rows at a time so
    /// each row of A is loaded once per block (the transport's dominant cost, n^2 d).
    static func kernelProduct(_ k: UnsafePointer<Double>, _ a: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>,
                              rows n: Int, columns d: Int) {
        out.initialize(repeating: 0, count: n * d)
        var i = 0
        while i + 4 <= n {
            let o0 = out + i * d, o1 = o0 + d, o2 = o1 + d, o3 = o2 + d
            for j in 0..<n {
                let k0 = k[i * n + j], k1 = k[(i + 1) * n + j], k2 = k[(i + 2) * n + j], k3 = k[(i + 3) * n + j]
                let aj = a + j * d
                for t in 0..<d {
                    let v = aj[t]
                    o0[t] += k0 * v; o1[t] += k1 * v; o2[t] += k2 * v; o3[t] += k3 * v
                }
            }
            i += 4
        }
        while i < n {
            let o = out + i * d
            for j in 0..<n {
                let kij = k[i * n + j], aj = a + j * d
                for t in 0..<d { o[t] += kij * aj[t] }
            }
            i += 1
        }
    }

    /// The lower median of the full n x n distance matrix (zero diagonal, each off-diagonal
    /// entry twice), from its `count * (count - 1) / 2` upper-triangle entries (reordered).
    static func lowerMedianOfDistanceMatrix(offDiagonal values: inout [Double], count n: Int) -> Double {
        let position = (n * n - 1) / 2
        if position < n || values.isEmpty { return 0 }
        let rank = (position - n) / 2
        return quickSelect(&values, rank: rank)
    }

    /// The `rank`-th smallest element (0-based), reordering `values` (Hoare's selection).
    static func quickSelect(_ values: inout [Double], rank: Int) -> Double {
        var low = 0, high = values.count - 1
        while low < high {
            let pivot = values[(low + high) / 2]
            var i = low, j = high
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j { values.swapAt(i, j); i += 1; j -= 1 }
            }
            if rank <= j { high = j } else if rank >= i { low = i } else { return values[rank] }
        }
        return values[rank]
    }
}
