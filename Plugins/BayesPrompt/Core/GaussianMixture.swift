import Foundation

/// A Gaussian mixture over feature vectors: weights, means and either diagonal or full
/// covariances (full ones kept as Cholesky factors), with its log density and its score
/// (the gradient of the log density), both computed with log-sum-exp.
///
/// Fitted by ``GaussianMixture/fit(_:components:covariance:ridge:maxIterations:tolerance:seed:)``;
/// the score is what Stein variational gradient descent follows (``SteinTransport``).
public struct GaussianMixture: Sendable {
    /// How each component's covariance is parameterized.
    public enum Covariance: String, CaseIterable, Sendable {
        /// A variance per dimension: O(K d) per point, the default for 384-dimensional features.
        case diagonal
        /// A full matrix (through its Cholesky factor): O(K d^2) per point.
        case full
    }

    /// The feature dimension.
    public let dimension: Int
    /// The number of components K.
    public let components: Int
    /// The covariance parameterization.
    public let covariance: Covariance
    /// Mixing weights, K of them, summing to 1.
    public private(set) var weights: [Double]
    /// Means, K x d row-major.
    public private(set) var means: [Double]
    /// Diagonal: variances, K x d. Full: lower Cholesky factors L (Sigma = L L^T), K x d x d.
    public private(set) var factors: [Double]
    /// Per component: log weight - d/2 log 2 pi - 1/2 log det Sigma.
    private var logConstants: [Double]

    /// A mixture from its parameters. `covariances` holds variances (K x d) for a diagonal
    /// mixture, full matrices (K x d x d, row-major) otherwise.
    ///
    /// - Throws: ``MixtureError`` when a covariance is not positive definite.
    public init(weights: [Double], means: [Double], covariances: [Double], covariance: Covariance) throws {
        let k = weights.count
        precondition(k > 0 && means.count % k == 0)
        let d = means.count / k
        precondition(covariances.count == (covariance == .diagonal ? k * d : k * d * d))
        self.dimension = d
        self.components = k
        self.covariance = covariance
        self.weights = weights
        self.means = means
        self.factors = covariances
        self.logConstants = []
        if covariance == .full {
            for c in 0..<k {
                try Self.choleskyInPlace(&factors, offset: c * d * d, dimension: d, component: c)
            }
        } else if let bad = covariances.firstIndex(where: { !($0 > 0) }) {
            throw MixtureError.notPositiveDefinite(component: bad / d)
        }
        refreshConstants()
    }

    /// Recomputes ``logConstants`` from the weights and factors.
    private mutating func refreshConstants() {
        let d = dimension
        logConstants = (0..<components).map { c in
            var logDet = 0.0
            if covariance == .diagonal {
                for j in 0..<d { logDet += log(factors[c * d + j]) }
            } else {
                for j in 0..<d { logDet += 2 * log(factors[c * d * d + j * d + j]) }
            }
            return log(max(weights[c], 1e-300)) - 0.5 * Double(d) * log(2 * Double.pi) - 0.5 * logDet
        }
    }

    /// Factors the symmetric matrix at `offset` into its lower Cholesky factor, in place (the
    /// upper triangle is zeroed).
    static func choleskyInPlace(_ a: inout [Double], offset: Int, dimension d: Int, component: Int) throws {
        try a.withUnsafeMutableBufferPointer { buffer in
            let m = buffer.baseAddress! + offset
            for j in 0..<d {
                var diagonal = m[j * d + j]
                for p in 0..<j { diagonal -= m[j * d + p] * m[j * d + p] }
                guard diagonal > 0, diagonal.isFinite else { throw MixtureError.notPositiveDefinite(component: component) }
                let ljj = diagonal.squareRoot()
                m[j * d + j] = ljj
                for i in (j + 1)..<max(j + 1, d) {
                    var s = m[i * d + j]
                    let ri = m + i * d, rj = m + j * d
                    for p in 0..<j { s -= ri[p] * rj[p] }
                    m[i * d + j] = s / ljj
                }
                for p in (j + 1)..<max(j + 1, d) { m[j * d + p] = 0 }
            }
        }
    }

    /// Writes, for each component c, log(w_c N(x | mu_c, Sigma_c)) into `out` (K entries).
    /// With `whitened` (full covariance, K x d scratch) it also keeps z = L^-1 (x - mu) per
    /// component for ``score(of:)``; with `centered` (d scratch) it uses it for x - mu.
    @inline(__always)
    func componentLogDensities(_ x: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>,
                               scratch: UnsafeMutableBufferPointer<Double>) {
        let d = dimension
        means.withUnsafeBufferPointer { mu in
            factors.withUnsafeBufferPointer { f in
                for c in 0..<components {
                    var quadratic = 0.0
                    if covariance == .diagonal {
                        let m = mu.baseAddress! + c * d, v = f.baseAddress! + c * d
                        for j in 0..<d { let e = x[j] - m[j]; quadratic += e * e / v[j] }
                    } else {
                        // Forward substitution L z = x - mu; the quadratic form is |z|^2.
                        let m = mu.baseAddress! + c * d, l = f.baseAddress! + c * d * d
                        let z = scratch.baseAddress! + c * d
                        for i in 0..<d {
                            var s = x[i] - m[i]
                            let row = l + i * d
                            for p in 0..<i { s -= row[p] * z[p] }
                            let zi = s / row[i]
                            z[i] = zi
                            quadratic += zi * zi
                        }
                    }
                    out[c] = logConstants[c] - 0.5 * quadratic
                }
            }
        }
    }

    /// Scratch doubles ``componentLogDensities(_:into:scratch:)`` needs.
    var scratchSize: Int { covariance == .full ? components * dimension : 1 }

    /// log p(x).
    public func logDensity(of x: [Double]) -> Double {
        precondition(x.count == dimension)
        var parts = [Double](repeating: 0, count: components)
        var scratch = [Double](repeating: 0, count: scratchSize)
        return x.withUnsafeBufferPointer { xp in
            parts.withUnsafeMutableBufferPointer { pp in
                scratch.withUnsafeMutableBufferPointer { sp in
                    componentLogDensities(xp, into: pp, scratch: sp)
                    return VectorMath.logSumExp(UnsafeBufferPointer(pp))
                }
            }
        }
    }

    /// The score: the gradient of log p at x, sum_c r_c(x) Sigma_c^-1 (mu_c - x), where r_c are
    /// the posterior responsibilities (computed with log-sum-exp, so far tails do not give NaN).
    public func score(of x: [Double]) -> [Double] {
        var out = FeatureMatrix(rows: 1, columns: dimension)
        scores(of: FeatureMatrix(rows: 1, columns: dimension, values: x), into: &out)
        return out.values
    }

    /// The score of every row of `points`, written into `out` (same shape).
    public func scores(of points: FeatureMatrix, into out: inout FeatureMatrix) {
        precondition(points.columns == dimension && out.rows == points.rows && out.columns == dimension)
        let d = dimension, k = components
        var logs = [Double](repeating: 0, count: k)
        var scratch = [Double](repeating: 0, count: scratchSize)
        var back = [Double](repeating: 0, count: d)
        points.values.withUnsafeBufferPointer { xs in
            out.values.withUnsafeMutableBufferPointer { g in
                logs.withUnsafeMutableBufferPointer { lp in
                    scratch.withUnsafeMutableBufferPointer { sp in
                        back.withUnsafeMutableBufferPointer { bp in
                            means.withUnsafeBufferPointer { mu in
                                factors.withUnsafeBufferPointer { f in
                                    for i in 0..<points.rows {
                                        let x = UnsafeBufferPointer(rebasing: xs[i * d ..< (i + 1) * d])
                                        componentLogDensities(x, into: lp, scratch: sp)
                                        let total = VectorMath.logSumExp(UnsafeBufferPointer(lp))
                                        let gi = g.baseAddress! + i * d
                                        for j in 0..<d { gi[j] = 0 }
                                        for c in 0..<k {
                                            let r = exp(lp[c] - total)
                                            if r < 1e-12 { continue }
                                            let m = mu.baseAddress! + c * d
                                            if covariance == .diagonal {
                                                let v = f.baseAddress! + c * d
                                                for j in 0..<d { gi[j] += r * (m[j] - x[j]) / v[j] }
                                            } else {
                                                // Sigma^-1 (x - mu) = L^-T z: back substitution.
                                                let l = f.baseAddress! + c * d * d
                                                let z = sp.baseAddress! + c * d
                                                for row in stride(from: d - 1, through: 0, by: -1) {
                                                    var s = z[row]
                                                    for p in (row + 1)..<max(row + 1, d) { s -= l[p * d + row] * bp[p] }
                                                    bp[row] = s / l[row * d + row]
                                                }
                                                for j in 0..<d { gi[j] -= r * bp[j] }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The covariance of component `c` as a d x d row-major matrix (diagonal ones expanded).
    public func covarianceMatrix(_ c: Int) -> [Double] {
        let d = dimension
        var s = [Double](repeating: 0, count: d * d)
        if covariance == .diagonal {
            for j in 0..<d { s[j * d + j] = factors[c * d + j] }
        } else {
            let o = c * d * d
            for i in 0..<d {
                for j in 0...i {
                    var v = 0.0
                    for p in 0...j { v += factors[o + i * d + p] * factors[o + j * d + p] }
                    s[i * d + j] = v
                    s[j * d + i] = v
                }
            }
        }
        return s
    }

    /// The mean of component `c`.
    public func mean(_ c: Int) -> [Double] {
        Array(means[c * dimension ..< (c + 1) * dimension])
    }
}

/// Why a mixture could not be built or fitted.
public enum MixtureError: Error, CustomStringConvertible, Equatable {
    /// A component's covariance has a non-positive pivot; raise the ridge.
    case notPositiveDefinite(component: Int)
    /// Fewer points than components.
    case tooFewPoints(points: Int, components: Int)

    /// What went wrong and what to do.
    public var description: String {
        switch self {
        case .notPositiveDefinite(let c):
            return "the covariance of mixture component \(c) is not positive definite; raise covariance_ridge or use covariance \"diagonal\""
        case .tooFewPoints(let n, let k):
            return "cannot fit \(k) mixture components to \(n) points; lower components or give more unlabeled text"
        }
    }
}
