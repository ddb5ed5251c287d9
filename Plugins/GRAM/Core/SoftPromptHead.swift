import Foundation

/// The soft prompt in embedding space and its hand-derived gradient.
///
/// For parameters θ = (r, s, U, V) (see ``ParameterLayout``), class base vectors t_c and a query q:
///
///     v_c = t_c + r + U (Vᵀ t_c)            the class vector the artifact stores
///     q'  = (q + s) / ‖q + s‖               the host adds `query_shift`, then normalizes
///     z_c = (v_c/‖v_c‖ · q') / T            cosine over the temperature (no logit bias)
///     L   = mean_i −log softmax(z_i)[y_i]
///
/// which is exactly the host's `embedding_head` formula with `class_vectors` = v and
/// `query_shift` = s. The encoder is frozen: only θ learns. Backward pass (δ = p − onehot(y),
/// averaged over the queries; P_w = I − w wᵀ):
///
///     ∂L/∂v_c = P_{w_c} (Σ_i δ_ic q'_i / T) / ‖v_c‖
///     ∂L/∂s   = Σ_i P_{q'_i} (Σ_c δ_ic w_c / T) / ‖q_i + s‖
///     ∂L/∂r   = Σ_c ∂L/∂v_c,   ∂L/∂U = Σ_c ∂L/∂v_c (Vᵀt_c)ᵀ,   ∂L/∂V = Σ_c t_c (Uᵀ ∂L/∂v_c)ᵀ
public struct SoftPromptHead: Sendable {
    /// Where each part of θ sits.
    public let layout: ParameterLayout
    /// The similarity temperature T.
    public let temperature: Double

    /// Creates a head for a layout and a temperature.
    public init(layout: ParameterLayout, temperature: Double) {
        precondition(temperature > 0, "SoftPromptHead: the temperature must be positive")
        self.layout = layout
        self.temperature = temperature
    }

    /// The class vectors v_c = t_c + r + U (Vᵀ t_c) and the low-rank codes a_c = Vᵀ t_c.
    func classVectorsAndCodes(_ theta: [Double], base: [[Double]]) -> (vectors: [[Double]], codes: [[Double]]) {
        let d = layout.dimension, k = layout.rank
        var vectors: [[Double]] = [], codes: [[Double]] = []
        vectors.reserveCapacity(base.count)
        theta.withUnsafeBufferPointer { p in
            for t in base {
                var a = [Double](repeating: 0, count: k)
                if k > 0 {
                    for i in 0..<d {
                        let ti = t[i], row = layout.mapIn + i * k
                        for j in 0..<k { a[j] += p[row + j] * ti }
                    }
                }
                var v = [Double](repeating: 0, count: d)
                for i in 0..<d {
                    var x = t[i] + p[layout.residual + i]
                    let row = layout.mapOut + i * k
                    for j in 0..<k { x += p[row + j] * a[j] }
                    v[i] = x
                }
                vectors.append(v)
                codes.append(a)
            }
        }
        return (vectors, codes)
    }

    /// The class vectors the artifact stores for these class base vectors.
    public func classVectors(_ theta: [Double], base: [[Double]]) -> [[Double]] {
        classVectorsAndCodes(theta, base: base).vectors
    }

    /// The query shift s the artifact stores.
    public func queryShift(_ theta: [Double]) -> [Double] {
        Array(theta[layout.shift..<(layout.shift + layout.dimension)])
    }

    /// What one pass over a problem gives.
    public struct Evaluation: Sendable {
        /// Mean cross-entropy over the queries.
        public var loss: Double
        /// Fraction of queries whose most probable class is the gold one.
        public var accuracy: Double
        /// ∂loss/∂θ (empty when not asked for).
        public var gradient: [Double]
        /// Per query, the distribution over the classes.
        public var probabilities: [[Double]]
    }

    /// Loss, accuracy, class distributions and (when `gradient` is true) ∂loss/∂θ on a problem.
    public func evaluate(_ theta: [Double], on problem: LabeledEmbeddings, gradient wantGradient: Bool = true) -> Evaluation {
        let d = layout.dimension, k = layout.rank, classes = problem.classBase.count
        let n = problem.queries.count
        guard n > 0 else { return Evaluation(loss: 0, accuracy: 0, gradient: wantGradient ? [Double](repeating: 0, count: layout.count) : [], probabilities: []) }
        let (vectors, codes) = classVectorsAndCodes(theta, base: problem.classBase)
        let norms = vectors.map { Self.norm($0) }
        let units = zip(vectors, norms).map { v, m in v.map { $0 / m } }
        let shift = queryShift(theta)
        let invT = 1 / temperature, invN = 1 / Double(n)
        var loss = 0.0, correct = 0
        var probabilities: [[Double]] = []
        probabilities.reserveCapacity(n)
        var gradW = wantGradient ? [[Double]](repeating: [Double](repeating: 0, count: d), count: classes) : []
        var gradS = [Double](repeating: 0, count: wantGradient ? d : 0)
        for (query, label) in zip(problem.queries, problem.labels) {
            var u = [Double](repeating: 0, count: d)
            for i in 0..<d { u[i] = query[i] + shift[i] }
            let nu = Self.norm(u)
            for i in 0..<d { u[i] /= nu }  // u is now q'
            var z = units.map { Self.dot($0, u) * invT }
            let top = z.max()!
            var sum = 0.0
            for c in 0..<classes { z[c] = exp(z[c] - top); sum += z[c] }
            let p = z.map { $0 / sum }
            loss -= log(max(p[label], 1e-300))
            if p.indices.max(by: { p[$0] < p[$1] }) == label { correct += 1 }
            probabilities.append(p)
            guard wantGradient else { continue }
            var gq = [Double](repeating: 0, count: d)
            for c in 0..<classes {
                let delta = (p[c] - (c == label ? 1 : 0)) * invN * invT
                let w = units[c]
                for i in 0..<d {
                    gradW[c][i] += delta * u[i]
                    gq[i] += delta * w[i]
                }
            }
            let along = Self.dot(gq, u)
            for i in 0..<d { gradS[i] += (gq[i] - along * u[i]) / nu }
        }
        var grad: [Double] = []
        if wantGradient {
            grad = [Double](repeating: 0, count: layout.count)
            for i in 0..<d { grad[layout.shift + i] = gradS[i] }
            theta.withUnsafeBufferPointer { p in
                for c in 0..<classes {
                    let w = units[c]
                    let along = Self.dot(gradW[c], w)
                    var gv = [Double](repeating: 0, count: d)
                    for i in 0..<d { gv[i] = (gradW[c][i] - along * w[i]) / norms[c] }
                    for i in 0..<d { grad[layout.residual + i] += gv[i] }
                    guard k > 0 else { continue }
                    var b = [Double](repeating: 0, count: k)  // Uᵀ ∂L/∂v_c
                    let a = codes[c], t = problem.classBase[c]
                    for i in 0..<d {
                        let row = i * k
                        for j in 0..<k {
                            grad[layout.mapOut + row + j] += gv[i] * a[j]
                            b[j] += p[layout.mapOut + row + j] * gv[i]
                        }
                    }
                    for i in 0..<d {
                        let row = i * k
                        for j in 0..<k { grad[layout.mapIn + row + j] += t[i] * b[j] }
                    }
                }
            }
        }
        return Evaluation(loss: loss * invN, accuracy: Double(correct) * invN, gradient: grad, probabilities: probabilities)
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in 0..<min(a.count, b.count) { s += a[i] * b[i] }
        return s
    }

    static func norm(_ a: [Double]) -> Double { max(dot(a, a).squareRoot(), 1e-12) }
}
