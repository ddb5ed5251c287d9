import HoneSDK

/// The plugin's source of randomness: the SDK's SplitMix64 ``SeededGenerator`` seeded from the
/// stage's seed, so a run with the same seed, data and config makes the same choices on every
/// machine.
public typealias StageRandom = SeededGenerator

extension SeededGenerator {
    /// A generator for `seed` on an independent `stream` (e.g. one per purpose); stream 0 is
    /// ``init(seed:)``.
    public init(seed: UInt64, stream: UInt64) {
        self.init(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
    }

    /// A uniform double in [0, 1).
    public mutating func unit() -> Double { nextUnit() }

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
