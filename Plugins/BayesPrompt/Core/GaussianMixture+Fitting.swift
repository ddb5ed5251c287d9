import Foundation

extension GaussianMixture {
    /// How a fit went.
    public struct FitReport: Sendable, Equatable {
        /// EM iterations run.
        public var iterations: Int
        /// Whether the mean log-likelihood changed by less than the tolerance before the cap.
        public var converged: Bool
        /// The final mean log-likelihood per point.
        public var meanLogLikelihood: Double
    }

    /// Fits a mixture of `components` Gaussians to the rows of `points` by expectation
    /// maximization, started from k-means++ seeding and a few Lloyd iterations.
    ///
    /// `ridge` is added to every variance (the diagonal of a full covariance) at each M-step, so
    /// covariances stay positive definite even for components with fewer points than
    /// dimensions. Deterministic for a given `seed`.
    ///
    /// - Throws: ``MixtureError`` when there are fewer points than components, or a covariance
    ///   is not positive definite (ridge too small for full covariances).
    public static func fit(
        _ points: FeatureMatrix, components: Int, covariance: Covariance = .diagonal, ridge: Double,
        maxIterations: Int = 100, tolerance: Double = 1e-3, seed: UInt64
    ) throws -> (mixture: GaussianMixture, report: FitReport) {
        let n = points.rows, d = points.columns, k = components
        guard k >= 1, n >= k else { throw MixtureError.tooFewPoints(points: n, components: k) }
        var random = StageRandom(seed: seed, stream: 0x6D6978)
        let centers = kMeansCenters(points, count: k, random: &random)
        // Hard responsibilities from the k-means assignment start EM.
        var responsibilities = [Double](repeating: 0, count: n * k)
        for i in 0..<n { responsibilities[i * k + nearest(centers, k: k, to: points, row: i)] = 1 }
        var mixture = try maximization(points, responsibilities: responsibilities, components: k, covariance: covariance, ridge: ridge)
        var previous = -Double.infinity
        var report = FitReport(iterations: 0, converged: false, meanLogLikelihood: -.infinity)
        for iteration in 1...max(1, maxIterations) {
            let likelihood = mixture.expectation(points, into: &responsibilities)
            report.iterations = iteration
            report.meanLogLikelihood = likelihood
            if abs(likelihood - previous) < tolerance {
                report.converged = true
                break
            }
            previous = likelihood
            mixture = try maximization(points, responsibilities: responsibilities, components: k, covariance: covariance, ridge: ridge)
        }
        _ = d
        return (mixture, report)
    }

    /// The E-step: posterior responsibilities (n x K) of the current parameters; returns the
    /// mean log-likelihood per point.
    func expectation(_ points: FeatureMatrix, into responsibilities: inout [Double]) -> Double {
        let n = points.rows, d = dimension, k = components
        var logs = [Double](repeating: 0, count: k)
        var scratch = [Double](repeating: 0, count: scratchSize)
        var total = 0.0
        points.values.withUnsafeBufferPointer { xs in
            logs.withUnsafeMutableBufferPointer { lp in
                scratch.withUnsafeMutableBufferPointer { sp in
                    responsibilities.withUnsafeMutableBufferPointer { r in
                        for i in 0..<n {
                            componentLogDensities(UnsafeBufferPointer(rebasing: xs[i * d ..< (i + 1) * d]), into: lp, scratch: sp)
                            let logSum = VectorMath.logSumExp(UnsafeBufferPointer(lp))
                            total += logSum
                            for c in 0..<k { r[i * k + c] = exp(lp[c] - logSum) }
                        }
                    }
                }
            }
        }
        return total / Double(max(n, 1))
    }

    /// The M-step: weights, means and covariances (plus the ridge) from responsibilities.
    static func maximization(
        _ points: FeatureMatrix, responsibilities: [Double], components k: Int, covariance: Covariance, ridge: Double
    ) throws -> GaussianMixture {
        let n = points.rows, d = points.columns
        // Responsibilities below this are skipped: they change no sum at double precision
        // worth having, and skipping them makes the full-covariance pass ~K times cheaper.
        let negligible = 1e-10
        var mass = [Double](repeating: 0, count: k)
        var means = [Double](repeating: 0, count: k * d)
        var covariances = [Double](repeating: 0, count: covariance == .diagonal ? k * d : k * d * d)
        points.values.withUnsafeBufferPointer { xs in
            responsibilities.withUnsafeBufferPointer { r in
                means.withUnsafeMutableBufferPointer { mu in
                    for i in 0..<n {
                        let x = xs.baseAddress! + i * d
                        for c in 0..<k {
                            let w = r[i * k + c]
                            if w < negligible { continue }
                            mass[c] += w
                            let m = mu.baseAddress! + c * d
                            for j in 0..<d { m[j] += w * x[j] }
                        }
                    }
                    // An empty component keeps a mean (the data's first point) and gets the ridge.
                    for c in 0..<k {
                        let m = mu.baseAddress! + c * d
                        if mass[c] > negligible {
                            for j in 0..<d { m[j] /= mass[c] }
                        } else {
                            for j in 0..<d { m[j] = xs[j] }
                        }
                    }
                    covariances.withUnsafeMutableBufferPointer { cov in
                        var centered = [Double](repeating: 0, count: d)
                        for i in 0..<n {
                            let x = xs.baseAddress! + i * d
                            for c in 0..<k {
                                let w = r[i * k + c]
                                if w < negligible { continue }
                                let m = mu.baseAddress! + c * d
                                if covariance == .diagonal {
                                    let v = cov.baseAddress! + c * d
                                    for j in 0..<d { let e = x[j] - m[j]; v[j] += w * e * e }
                                } else {
                                    for j in 0..<d { centered[j] = x[j] - m[j] }
                                    let s = cov.baseAddress! + c * d * d
                                    centered.withUnsafeBufferPointer { e in
                                        for a in 0..<d {
                                            let we = w * e[a]
                                            let row = s + a * d
                                            for b in 0...a { row[b] += we * e[b] }
                                        }
                                    }
                                }
                            }
                        }
                        for c in 0..<k {
                            let scale = mass[c] > negligible ? 1 / mass[c] : 0
                            if covariance == .diagonal {
                                for j in 0..<d { cov[c * d + j] = cov[c * d + j] * scale + ridge }
                            } else {
                                let s = cov.baseAddress! + c * d * d
                                for a in 0..<d {
                                    for b in 0...a { s[a * d + b] *= scale; s[b * d + a] = s[a * d + b] }
                                    s[a * d + a] += ridge
                                }
                            }
                        }
                    }
                }
            }
        }
        let weights = mass.map { max($0, 1e-12) / Double(n) }
        let sum = weights.reduce(0, +)
        return try GaussianMixture(weights: weights.map { $0 / sum }, means: means, covariances: covariances, covariance: covariance)
    }

    /// k-means++ seeding (squared-distance sampling) refined by up to 10 Lloyd iterations;
    /// returns K x d centers.
    static func kMeansCenters(_ points: FeatureMatrix, count k: Int, random: inout StageRandom) -> [Double] {
        let n = points.rows, d = points.columns
        var centers = [Double](repeating: 0, count: k * d)
        var chosen = Int(random.next() % UInt64(n))
        centers.replaceSubrange(0..<d, with: points.values[chosen * d ..< (chosen + 1) * d])
        var closest = [Double](repeating: .infinity, count: n)
        for c in 1..<max(k, 1) {
            let previous = Array(centers[(c - 1) * d ..< c * d])
            previous.withUnsafeBufferPointer { p in
                for i in 0..<n { closest[i] = min(closest[i], points.squaredDistance(row: i, to: p)) }
            }
            let total = closest.reduce(0, +)
            if total > 0 {
                var target = random.unit() * total
                chosen = n - 1
                for i in 0..<n {
                    target -= closest[i]
                    if target < 0 { chosen = i; break }
                }
            } else {
                chosen = Int(random.next() % UInt64(n))
            }
            centers.replaceSubrange(c * d ..< (c + 1) * d, with: points.values[chosen * d ..< (chosen + 1) * d])
        }
        var assignment = [Int](repeating: -1, count: n)
        for _ in 0..<10 {
            var changed = false
            for i in 0..<n {
                let a = nearest(centers, k: k, to: points, row: i)
                if a != assignment[i] { assignment[i] = a; changed = true }
            }
            if !changed { break }
            var sums = [Double](repeating: 0, count: k * d), counts = [Int](repeating: 0, count: k)
            for i in 0..<n {
                let a = assignment[i]
                counts[a] += 1
                for j in 0..<d { sums[a * d + j] += points.values[i * d + j] }
            }
            for c in 0..<k where counts[c] > 0 {
                for j in 0..<d { centers[c * d + j] = sums[c * d + j] / Double(counts[c]) }
            }
        }
        return centers
    }

    /// The index of the center nearest to row `i`.
    static func nearest(_ centers: [Double], k: Int, to points: FeatureMatrix, row i: Int) -> Int {
        let d = points.columns
        var best = 0, bestDistance = Double.infinity
        centers.withUnsafeBufferPointer { c in
            for center in 0..<k {
                let distance = points.squaredDistance(row: i, to: UnsafeBufferPointer(rebasing: c[center * d ..< (center + 1) * d]))
                if distance < bestDistance { bestDistance = distance; best = center }
            }
        }
        return best
    }
}
