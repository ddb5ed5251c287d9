import HoneSDK

/// A small, fast, seedable random number generator (SplitMix64), so every random choice of a
/// run is reproducible from the pipeline's seed: the SDK's `SeededGenerator`, which the Swift
/// plugins use too (one implementation of the algorithm).
typealias SplitMix64 = SeededGenerator
