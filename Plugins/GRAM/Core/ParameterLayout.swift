import HoneSDK
/// Where each learnable part of the soft prompt sits in the flat parameter vector θ.
///
/// θ = [r (d) | s (d) | U (d×k, row-major) | V (d×k, row-major)]:
/// - r, the shared residual added to every class vector;
/// - s, the query shift added to every query embedding before it is normalized;
/// - U, V, the low-rank map t ↦ U (Vᵀ t) added to each class vector (rank k; k = 0 leaves it out).
///
/// Every part is shared by all classes, so a prompt tuned on some classes applies to any other
/// class set (what the base-to-new and cross-dataset settings measure).
public struct ParameterLayout: Equatable, Sendable {
    /// The embedding dimension d.
    public let dimension: Int
    /// The rank k of the low-rank map.
    public let rank: Int

    /// Creates a layout for d-dimensional embeddings and a rank-k map.
    public init(dimension: Int, rank: Int) {
        precondition(dimension > 0 && rank >= 0, "ParameterLayout: dimension must be positive and rank non-negative")
        self.dimension = dimension
        self.rank = rank
    }

    /// Offset of the shared residual r.
    public var residual: Int { 0 }
    /// Offset of the query shift s.
    public var shift: Int { dimension }
    /// Offset of U (d×k).
    public var mapOut: Int { 2 * dimension }
    /// Offset of V (d×k).
    public var mapIn: Int { 2 * dimension + dimension * rank }
    /// Number of parameters.
    public var count: Int { 2 * dimension + 2 * dimension * rank }

    /// The zero-shot parameters: no residual, no shift, U = 0 (so the map is off) and a small
    /// random V (so U receives a gradient from the first step, as in LoRA's initialization).
    public func identity(seed: UInt64) -> [Double] {
        var theta = [Double](repeating: 0, count: count)
        var generator = SeededGenerator(seed: seed ^ 0x5EED_0F_1D)
        let scale = 1 / Double(dimension).squareRoot()
        for i in mapIn..<count { theta[i] = scale * generator.nextGaussian() }
        return theta
    }
}
