import Foundation

/// A small, fast, seedable random number generator (SplitMix64) whose whole state is one
/// `UInt64`, so a checkpoint can store it and a resumed run draws the same numbers.
///
/// Every random choice of the plugin (hint sampling, training batches, random hints)
/// comes from one of these, seeded from the run's seed, so that runs are reproducible.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    /// The generator's entire state.
    public var state: UInt64

    /// Creates a generator from a seed; equal seeds give equal sequences.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1).
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }
}
