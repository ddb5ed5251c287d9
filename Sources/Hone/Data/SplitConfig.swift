import HoneSDK

/// How one source file is divided into train, dev and test (`task.dataset.split`).
///
/// Either per class (`k_shot` train examples and `dev_per_class` dev examples of each label,
/// the usual few-shot protocol) or by fractions (`train_fraction`, `dev_fraction`; what is
/// left is the test split). The choice is a seeded shuffle, so the same seed gives the same
/// splits on every machine. When the config also names a `test` file, the test split comes
/// from that file and the rest of the source is not used.
public struct SplitConfig: Hashable, Sendable {
    /// How examples are chosen.
    public enum Sizes: Hashable, Sendable {
        /// `train` and `dev` examples of each class.
        case perClass(train: Int, dev: Int)
        /// Fractions of the source for train and dev.
        case fractions(train: Double, dev: Double)
    }

    /// How examples are chosen.
    public var sizes: Sizes
    /// The seed of the shuffle; nil means the pipeline's seed.
    public var seed: UInt64?
    /// JSON path of this object, for errors found when the data is loaded.
    public var path: String

    /// Creates a split config.
    public init(sizes: Sizes, seed: UInt64? = nil, path: String = "$.task.dataset.split") {
        self.sizes = sizes
        self.seed = seed
        self.path = path
    }

    init(_ o: ConfigObject) throws {
        path = o.path
        seed = try o.optionalInt("seed", in: 0...Int(Int32.max)).map(UInt64.init)
        let kShot = try o.optionalInt("k_shot", in: 1...1_000_000)
        let devPerClass = try o.optionalInt("dev_per_class", in: 0...1_000_000)
        let trainFraction = try o.optionalDouble("train_fraction", in: 0...1)
        let devFraction = try o.optionalDouble("dev_fraction", in: 0...1)
        if let kShot {
            if trainFraction != nil || devFraction != nil {
                throw ConfigError(path: o.path(of: trainFraction != nil ? "train_fraction" : "dev_fraction"),
                                  message: "use either k_shot (with dev_per_class) or train_fraction and dev_fraction, not both")
            }
            sizes = .perClass(train: kShot, dev: devPerClass ?? kShot)
        } else if let trainFraction {
            if devPerClass != nil {
                throw ConfigError(path: o.path(of: "dev_per_class"), message: "dev_per_class goes with k_shot; with train_fraction use dev_fraction")
            }
            guard let devFraction else {
                throw ConfigError(path: o.path(of: "dev_fraction"), message: "missing required member; with train_fraction, give dev_fraction too (0 for no dev split)")
            }
            guard trainFraction + devFraction <= 1 else {
                throw ConfigError(path: o.path(of: "dev_fraction"), message: "train_fraction + dev_fraction is \(trainFraction + devFraction); they must add up to at most 1")
            }
            sizes = .fractions(train: trainFraction, dev: devFraction)
        } else {
            throw ConfigError(path: o.path(of: "k_shot"), message: "missing required member; give k_shot (train examples per class, with optional dev_per_class) or train_fraction and dev_fraction")
        }
        try o.finish()
    }
}
