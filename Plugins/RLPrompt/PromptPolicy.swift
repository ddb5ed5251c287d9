import Foundation
import HoneSDK

/// RLPrompt's policy: an autoregressive distribution over a candidate vocabulary that emits a
/// fixed-length prompt, the same for every input.
///
/// At position `t` with previous token `a[t-1]` (a begin pseudo token at `t = 0`):
///
///     x = [E[a[t-1]] ; P[t]]            token and position embeddings
///     h = tanh(W1 x + b1)               one hidden layer
///     q = W2 h + b2                     one logit per vocabulary token
///     q += F (U h)                      with frozen token features F (optional)
///
/// The logits are the soft Q-values of soft Q-learning and the policy is `softmax(q)`, as in
/// the paper, where `q` comes from a frozen distilGPT-2 with a trainable MLP. Gradients are
/// written by hand (``backward(_:logitGradients:into:)``); there is no ML library.
///
/// With token features (``PolicyShape/featureSize`` > 0), `F` holds one frozen row per token
/// (``TokenFeatures``), as the paper's policy reads its logits through the frozen language
/// model's output embeddings: a reward for one token then moves every token with similar
/// features. `W2` and `b2` stay frozen at their tiny initial values, so only `U`, the hidden
/// layer and the embeddings learn.
///
/// The output weights start near zero (scale ``init(shape:outputScale:generator:)``), so the
/// untrained policy is close to uniform over the vocabulary, as the reference code's
/// near-zero MLP initialization makes it.
public struct PromptPolicy: Sendable {
    /// Sizes and parameter layout.
    public let shape: PolicyShape
    /// All weights, laid out as ``PolicyShape`` says.
    public var parameters: [Double]
    /// Frozen token features, `vocabularySize x featureSize`, row-major (empty without features).
    public let features: [Double]

    /// Creates a policy with given weights; `parameters.count` must match the shape and
    /// `features.count` must be `vocabularySize x featureSize`.
    public init(shape: PolicyShape, parameters: [Double], features: [Double] = []) {
        precondition(parameters.count == shape.parameterCount,
                     "policy needs \(shape.parameterCount) parameters, got \(parameters.count)")
        precondition(features.count == shape.vocabularySize * shape.featureSize,
                     "policy needs \(shape.vocabularySize * shape.featureSize) feature values, got \(features.count)")
        self.shape = shape
        self.parameters = parameters
        self.features = features
    }

    /// Creates a randomly initialized policy: unit-normal embeddings, hidden weights with
    /// variance `1 / inputSize`, output weights with standard deviation
    /// `outputScale / sqrt(hiddenSize)`, zero biases.
    /// The feature projection `U` starts like the output weights.
    public init(shape: PolicyShape, outputScale: Double = 1e-2, features: [Double] = [], generator: inout SeededGenerator) {
        var p = [Double](repeating: 0, count: shape.parameterCount)
        for i in shape.tokenEmbeddings..<shape.hiddenWeights { p[i] = generator.nextGaussian() }
        let hiddenStd = 1 / Double(shape.inputSize).squareRoot()
        for i in shape.hiddenWeights..<shape.hiddenBiases { p[i] = generator.nextGaussian() * hiddenStd }
        let outputStd = outputScale / Double(shape.hiddenSize).squareRoot()
        for i in shape.outputWeights..<shape.outputBiases { p[i] = generator.nextGaussian() * outputStd }
        for i in shape.featureProjection..<shape.parameterCount { p[i] = generator.nextGaussian() * outputStd }
        self.init(shape: shape, parameters: p, features: features)
    }

    // MARK: Forward

    /// Computes the hidden layer and the logits at `position` after `previous`.
    /// `hidden` must hold `hiddenSize` and `logits` `vocabularySize` values.
    func step(previous: Int, position: Int, hidden: UnsafeMutablePointer<Double>, logits: UnsafeMutablePointer<Double>) {
        let s = shape
        let d = s.embeddingSize, hSize = s.hiddenSize, inSize = s.inputSize, v = s.vocabularySize
        parameters.withUnsafeBufferPointer { buffer in
            let w = buffer.baseAddress!
            let token = w + s.tokenEmbeddings + previous * d
            let pos = w + s.positionEmbeddings + position * d
            for j in 0..<hSize {
                let row = w + s.hiddenWeights + j * inSize
                var a = w[s.hiddenBiases + j]
                for k in 0..<d { a += row[k] * token[k] }
                for k in 0..<d { a += row[d + k] * pos[k] }
                hidden[j] = tanh(a)
            }
            let out = w + s.outputWeights
            let bias = w + s.outputBiases
            for i in 0..<v {
                let row = out + i * hSize
                var q = bias[i]
                for j in 0..<hSize { q += row[j] * hidden[j] }
                logits[i] = q
            }
            let f = s.featureSize
            guard f > 0 else { return }
            // z = U h, then q += F z.
            var z = [Double](repeating: 0, count: f)
            for r in 0..<f {
                let row = w + s.featureProjection + r * hSize
                var a = 0.0
                for j in 0..<hSize { a += row[j] * hidden[j] }
                z[r] = a
            }
            features.withUnsafeBufferPointer { fb in
                for i in 0..<v {
                    let row = fb.baseAddress! + i * f
                    var q = 0.0
                    for r in 0..<f { q += row[r] * z[r] }
                    logits[i] += q
                }
            }
        }
    }

    /// Runs the policy along a given prompt (teacher forcing) and keeps what the loss and the
    /// backward pass need.
    public func forward(_ actions: [Int]) -> PolicyTrace {
        precondition(actions.count == shape.promptLength, "a prompt has \(shape.promptLength) tokens, got \(actions.count)")
        var hidden = [Double](repeating: 0, count: shape.promptLength * shape.hiddenSize)
        var logits = [Double](repeating: 0, count: shape.promptLength * shape.vocabularySize)
        hidden.withUnsafeMutableBufferPointer { h in
            logits.withUnsafeMutableBufferPointer { q in
                for t in 0..<shape.promptLength {
                    step(previous: t == 0 ? shape.beginToken : actions[t - 1], position: t,
                         hidden: h.baseAddress! + t * shape.hiddenSize,
                         logits: q.baseAddress! + t * shape.vocabularySize)
                }
            }
        }
        return PolicyTrace(actions: actions, hidden: hidden, logits: logits)
    }

    // MARK: Decoding

    /// Samples a prompt token by token from the top-k tokens of each position's distribution
    /// (`softmax(q)` restricted to the `topK` largest logits, as the reference code's top-k
    /// sampling); returns the tokens with the full, unrestricted logits.
    public func sample(topK: Int, generator: inout SeededGenerator) -> PolicyTrace {
        decode { logits in Self.sampleTopK(logits, k: topK, generator: &generator) }
    }

    /// The greedy prompt: the most likely token at each position.
    public func greedy() -> PolicyTrace {
        decode { logits in
            var best = 0
            for i in 1..<logits.count where logits[i] > logits[best] { best = i }
            return best
        }
    }

    private func decode(_ choose: (UnsafeBufferPointer<Double>) -> Int) -> PolicyTrace {
        var actions: [Int] = []
        var hidden = [Double](repeating: 0, count: shape.promptLength * shape.hiddenSize)
        var logits = [Double](repeating: 0, count: shape.promptLength * shape.vocabularySize)
        hidden.withUnsafeMutableBufferPointer { h in
            logits.withUnsafeMutableBufferPointer { q in
                for t in 0..<shape.promptLength {
                    let row = q.baseAddress! + t * shape.vocabularySize
                    step(previous: t == 0 ? shape.beginToken : actions[t - 1], position: t,
                         hidden: h.baseAddress! + t * shape.hiddenSize, logits: row)
                    actions.append(choose(UnsafeBufferPointer(start: row, count: shape.vocabularySize)))
                }
            }
        }
        return PolicyTrace(actions: actions, hidden: hidden, logits: logits)
    }

    /// Draws an index from `softmax(logits)` restricted to the `k` largest logits
    /// (ties broken toward the lower index). `k` larger than the vocabulary means no restriction.
    static func sampleTopK(_ logits: UnsafeBufferPointer<Double>, k: Int, generator: inout SeededGenerator) -> Int {
        let candidates = topIndices(logits, k: k)
        let maxLogit = logits[candidates[0]]
        var weights = [Double](repeating: 0, count: candidates.count)
        var total = 0.0
        for (n, i) in candidates.enumerated() {
            weights[n] = exp(logits[i] - maxLogit)
            total += weights[n]
        }
        var u = generator.nextUnit() * total
        for (n, i) in candidates.enumerated() {
            u -= weights[n]
            if u < 0 { return i }
        }
        return candidates[candidates.count - 1]
    }

    /// Indices of the `k` largest logits, largest first, ties toward the lower index.
    static func topIndices(_ logits: UnsafeBufferPointer<Double>, k: Int) -> [Int] {
        let n = logits.count
        let k = max(1, min(k, n))
        if k == n { return (0..<n).sorted { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) } }
        // Keep a small sorted list of the best k seen so far; k is small next to n in practice.
        var best: [Int] = []
        best.reserveCapacity(k + 1)
        for i in 0..<n {
            if best.count == k {
                let worst = best[k - 1]
                if !(logits[i] > logits[worst]) { continue }
                best.removeLast()
            }
            var lo = 0, hi = best.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if logits[best[mid]] >= logits[i] { lo = mid + 1 } else { hi = mid }
            }
            best.insert(i, at: lo)
        }
        return best
    }

    // MARK: Backward

    /// Adds to `gradient` (laid out like ``parameters``) the gradient of a loss whose gradient
    /// with respect to the trace's logits is `logitGradients` (`promptLength x vocabularySize`).
    public func backward(_ trace: PolicyTrace, logitGradients: [Double], into gradient: inout [Double]) {
        let s = shape
        let d = s.embeddingSize, hSize = s.hiddenSize, inSize = s.inputSize, v = s.vocabularySize
        precondition(logitGradients.count == s.promptLength * v && gradient.count == s.parameterCount)
        var dh = [Double](repeating: 0, count: hSize)
        parameters.withUnsafeBufferPointer { wb in
            gradient.withUnsafeMutableBufferPointer { gb in
                logitGradients.withUnsafeBufferPointer { lg in
                    trace.hidden.withUnsafeBufferPointer { hb in
                        dh.withUnsafeMutableBufferPointer { dhb in
                            let w = wb.baseAddress!, g = gb.baseAddress!
                            for t in 0..<s.promptLength {
                                let gq = lg.baseAddress! + t * v
                                let h = hb.baseAddress! + t * hSize
                                let dH = dhb.baseAddress!
                                for j in 0..<hSize { dH[j] = 0 }
                                let frozenOutput = s.featureSize > 0
                                for i in 0..<v {
                                    let gi = gq[i]
                                    if gi == 0 { continue }
                                    let wRow = w + s.outputWeights + i * hSize
                                    if !frozenOutput { g[s.outputBiases + i] += gi }
                                    let gRow = g + s.outputWeights + i * hSize
                                    for j in 0..<hSize {
                                        if !frozenOutput { gRow[j] += gi * h[j] }
                                        dH[j] += gi * wRow[j]
                                    }
                                }
                                if frozenOutput {
                                    // dz = F^T gq; dU = dz h^T; dh += U^T dz.
                                    let f = s.featureSize
                                    var dz = [Double](repeating: 0, count: f)
                                    features.withUnsafeBufferPointer { fb in
                                        for i in 0..<v {
                                            let gi = gq[i]
                                            if gi == 0 { continue }
                                            let row = fb.baseAddress! + i * f
                                            for r in 0..<f { dz[r] += gi * row[r] }
                                        }
                                    }
                                    for r in 0..<f {
                                        let uRow = w + s.featureProjection + r * hSize
                                        let gRow = g + s.featureProjection + r * hSize
                                        for j in 0..<hSize {
                                            gRow[j] += dz[r] * h[j]
                                            dH[j] += dz[r] * uRow[j]
                                        }
                                    }
                                }
                                let previous = t == 0 ? s.beginToken : trace.actions[t - 1]
                                let token = w + s.tokenEmbeddings + previous * d
                                let pos = w + s.positionEmbeddings + t * d
                                let gToken = g + s.tokenEmbeddings + previous * d
                                let gPos = g + s.positionEmbeddings + t * d
                                for j in 0..<hSize {
                                    let da = dH[j] * (1 - h[j] * h[j])
                                    if da == 0 { continue }
                                    g[s.hiddenBiases + j] += da
                                    let wRow = w + s.hiddenWeights + j * inSize
                                    let gRow = g + s.hiddenWeights + j * inSize
                                    for k in 0..<d {
                                        gRow[k] += da * token[k]
                                        gRow[d + k] += da * pos[k]
                                        gToken[k] += da * wRow[k]
                                        gPos[k] += da * wRow[d + k]
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
