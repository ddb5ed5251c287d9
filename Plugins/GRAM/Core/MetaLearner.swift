import Foundation
import HoneSDK

/// GRAM's meta-learning of the soft prompt's initialization θ₀ and of the gradient regulator R_φ.
///
/// Inner loop (per episode): K regulated SGD steps on the support set,
/// θ_{k+1} = θ_k − α R_φ(∇L_S(θ_k)). Outer loop: the query loss L_Q(θ_K) (query set from
/// another domain) is differentiated back to θ₀ and to φ, averaged over a meta-batch of
/// episodes, and both take an Adam step. Backward through the inner loop, with λ_K = ∇L_Q(θ_K)
/// and the regulator's vector-Jacobian products at g_k = ∇L_S(θ_k)
/// (``GradientRegulator/backward(gradient:cotangent:)``):
///
///     ∂L_Q/∂φ += −α (∂R/∂φ)ᵀ λ_{k+1}
///     λ_k = λ_{k+1} − α H_S(θ_k) J_R(g_k)ᵀ λ_{k+1}     (second order)
///     λ_k = λ_{k+1}                                     (first order: Hessian dropped)
///
/// and ∂L_Q/∂θ₀ = λ_0. (For the gain, J_Rᵀλ = γ ⊙ λ and (∂R/∂ρ)ᵀλ = γ ⊙ g ⊙ λ.) With one inner
/// step the regulator's meta-gradient is exact in either mode. Second order takes its
/// Hessian-vector products as central differences of the hand-derived gradient (two more
/// gradients per inner step).
public struct MetaLearner: Sendable {
    /// How the meta-gradient treats the inner loop's curvature.
    public enum MetaGradient: String, CaseIterable, Sendable {
        /// Hessian terms dropped (first-order MAML for θ₀, the summed step terms for γ).
        case firstOrder = "first_order"
        /// Exact up to the finite-difference Hessian-vector products.
        case secondOrder = "second_order"
    }

    /// The settings of the inner and outer loops.
    public struct Settings: Sendable {
        /// Regulated SGD steps on each support set (K).
        public var innerSteps = 5
        /// The inner (and downstream) step size α.
        public var learningRate = 0.002
        /// Adam step size of θ₀.
        public var initializationLearningRate = 0.002
        /// Adam step size of the regulator's parameters (ρ = log γ, or U and V).
        public var regulatorLearningRate = 0.01
        /// First or second order.
        public var metaGradient = MetaGradient.secondOrder
        /// Whether θ₀ learns (false: it stays the zero-shot identity; the "regulator only" ablation).
        public var learnInitialization = true
        /// Whether the regulator learns (false: it stays the identity; the "meta-initialization
        /// only" ablation).
        public var learnRegulator = true
        /// The regulator's form (a per-parameter gain or the norm-preserving low-rank network).
        public var regulator = GradientRegulator.Kind.gain

        /// The defaults.
        public init() {}
    }

    /// The head whose parameters are learned.
    public let head: SoftPromptHead
    /// The settings.
    public let settings: Settings
    /// The current initialization θ₀.
    public var initialization: [Double]
    /// The current regulator.
    public var regulator: GradientRegulator
    private var initializationOptimizer: Adam
    private var regulatorOptimizer: Adam

    /// Starts from `initialization` (usually the layout's identity) and the identity regulator of
    /// `settings.regulator`'s form (the network's random directions drawn from `seed`).
    public init(head: SoftPromptHead, settings: Settings, initialization: [Double], seed: UInt64 = 0) {
        self.head = head
        self.settings = settings
        self.initialization = initialization
        regulator = GradientRegulator.identity(settings.regulator, count: initialization.count, seed: seed)
        initializationOptimizer = Adam(parameterCount: initialization.count, learningRate: settings.initializationLearningRate)
        regulatorOptimizer = Adam(parameterCount: regulator.parameters.count, learningRate: settings.regulatorLearningRate)
    }

    /// θ after `steps` regulated steps on `support` from `start`.
    public func adapt(_ start: [Double], on support: LabeledEmbeddings, steps: Int) -> [Double] {
        var theta = start
        for _ in 0..<steps {
            theta = regulator.step(theta, gradient: head.evaluate(theta, on: support).gradient, learningRate: settings.learningRate)
        }
        return theta
    }

    /// The query loss after adapting on the support set.
    public func adaptedQueryLoss(support: LabeledEmbeddings, query: LabeledEmbeddings) -> Double {
        head.evaluate(adapt(initialization, on: support, steps: settings.innerSteps), on: query, gradient: false).loss
    }

    /// One episode's meta-gradient: the adapted query loss and its derivatives by θ₀ and by the
    /// regulator's parameters φ.
    public func metaGradient(support: LabeledEmbeddings, query: LabeledEmbeddings) -> (queryLoss: Double, initialization: [Double], regulator: [Double]) {
        let alpha = settings.learningRate
        var thetas = [initialization], gradients: [[Double]] = []
        for _ in 0..<settings.innerSteps {
            let g = head.evaluate(thetas.last!, on: support).gradient
            gradients.append(g)
            thetas.append(regulator.step(thetas.last!, gradient: g, learningRate: alpha))
        }
        let final = head.evaluate(thetas.last!, on: query)
        var lambda = final.gradient
        var regulatorGradient = [Double](repeating: 0, count: regulator.parameters.count)
        for k in stride(from: settings.innerSteps - 1, through: 0, by: -1) {
            let back = regulator.backward(gradient: gradients[k], cotangent: lambda)
            for i in regulatorGradient.indices { regulatorGradient[i] -= alpha * back.parameters[i] }
            if settings.metaGradient == .secondOrder {
                let hv = hessianVectorProduct(at: thetas[k], direction: back.gradient, on: support)
                for i in lambda.indices { lambda[i] -= alpha * hv[i] }
            }
        }
        return (final.loss, lambda, regulatorGradient)
    }

    /// H_S(θ) v by a central difference of the hand-derived gradient, with a step that moves the
    /// logits by about 1e-3.
    func hessianVectorProduct(at theta: [Double], direction v: [Double], on support: LabeledEmbeddings) -> [Double] {
        let size = SoftPromptHead.norm(v)
        guard size > 1e-300 else { return [Double](repeating: 0, count: v.count) }
        let h = 1e-3 * head.temperature / size
        let plus = zip(theta, v).map { $0 + h * $1 }, minus = zip(theta, v).map { $0 - h * $1 }
        let gp = head.evaluate(plus, on: support).gradient, gm = head.evaluate(minus, on: support).gradient
        return zip(gp, gm).map { ($0 - $1) / (2 * h) }
    }

    /// One outer step on a meta-batch of episodes; returns the mean adapted query loss before the step.
    @discardableResult
    public mutating func step(_ episodes: [(support: LabeledEmbeddings, query: LabeledEmbeddings)]) -> Double {
        precondition(!episodes.isEmpty, "MetaLearner: an outer step needs at least one episode")
        var initGradient = [Double](repeating: 0, count: initialization.count)
        var regulatorGradient = [Double](repeating: 0, count: regulator.parameters.count)
        var loss = 0.0
        let scale = 1 / Double(episodes.count)
        for episode in episodes {
            let m = metaGradient(support: episode.support, query: episode.query)
            loss += m.queryLoss * scale
            for i in initGradient.indices { initGradient[i] += m.initialization[i] * scale }
            for i in regulatorGradient.indices { regulatorGradient[i] += m.regulator[i] * scale }
        }
        if settings.learnInitialization { initializationOptimizer.update(&initialization, gradient: initGradient) }
        if settings.learnRegulator { regulatorOptimizer.update(&regulator.parameters, gradient: regulatorGradient) }
        return loss
    }
}
