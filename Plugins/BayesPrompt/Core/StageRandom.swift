/// The plugin's source of randomness: SplitMix64 seeded from the stage's seed, so a run
/// with the same seed, data and config makes the same choices on every machine.
public struct StageRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator for `seed`, optionally on an independent `stream` (e.g. one per purpose).
    public init(seed: UInt64, stream: UInt64 = 0) {
        state = seed ^ (stream &* 0xD1B5_4A32_D192_ED03)
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
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// `count` distinct indices of `0..<population`, in draw order (all of them, shuffled, when
    /// `count >= population`).
    public mutating func sample(_ count: Int, from population: Int) -> [Int] {
        var pool = Array(0..<population)
        let take = min(count, population)
        for i in 0..<take {
            let j = i + Int(next() % UInt64(population - i))
            pool.swapAt(i, j)
        }
        return Array(pool.prefix(take))
    }
}
