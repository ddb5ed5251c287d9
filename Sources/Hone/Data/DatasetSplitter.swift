/// Divides one list of examples into train, dev and the rest by a ``SplitConfig``, with a
/// seeded shuffle that does not depend on the standard library's shuffle algorithm.
struct DatasetSplitter: Sendable {
    /// How the examples are divided.
    var config: SplitConfig

    /// Creates a splitter.
    init(config: SplitConfig) { self.config = config }

    /// The result of a division. Each part keeps the source's order.
    struct Parts: Sendable {
        /// The train examples.
        var train: [LabeledExample]
        /// The dev examples.
        var dev: [LabeledExample]
        /// Everything not chosen for train or dev.
        var rest: [LabeledExample]
    }

    /// Divides `examples`; `labels` (the task's label names, in order) are the classes for a
    /// per-class split. Throws a ``ConfigError`` when a per-class split has no classes (a
    /// generation task) and a ``DataError`` (on `file`) when a class has too few examples.
    func divide(_ examples: [LabeledExample], labels: [String], seed: UInt64, file: String) throws -> Parts {
        var rng = SplitMix64(seed: (config.seed ?? seed) ^ 0x5B11_7C0F_FEE0_0000)
        let order = DatasetSplitter.shuffledIndices(examples.count, using: &rng)
        var trainIndices: [Int] = [], devIndices: [Int] = []
        switch config.sizes {
        case .perClass(let k, let d):
            guard !labels.isEmpty else {
                throw ConfigError(path: "\(config.path).k_shot", message: "a per-class split needs class labels, and this task has none (a generation task); use train_fraction and dev_fraction")
            }
            var byClass: [String: [Int]] = [:]
            for i in order { byClass[examples[i].label, default: []].append(i) }
            for label in labels {
                let members = byClass[label] ?? []
                guard members.count >= k + d else {
                    throw DataError(file: file, message: "class \"\(label)\" has \(members.count) examples; k_shot \(k) + dev_per_class \(d) needs \(k + d). Lower k_shot or dev_per_class")
                }
                trainIndices += members.prefix(k)
                devIndices += members.dropFirst(k).prefix(d)
            }
        case .fractions(let trainFraction, let devFraction):
            let n = Double(examples.count)
            let trainCount = Int((n * trainFraction).rounded())
            let devCount = min(Int((n * devFraction).rounded()), examples.count - trainCount)
            trainIndices = Array(order.prefix(trainCount))
            devIndices = Array(order.dropFirst(trainCount).prefix(devCount))
        }
        var chosen = [Bool](repeating: false, count: examples.count)
        for i in trainIndices { chosen[i] = true }
        for i in devIndices { chosen[i] = true }
        return Parts(train: trainIndices.sorted().map { examples[$0] },
                     dev: devIndices.sorted().map { examples[$0] },
                     rest: examples.indices.filter { !chosen[$0] }.map { examples[$0] })
    }

    /// `0..<count` in a Fisher–Yates order drawn from `rng` (unbiased bounded draws), the same
    /// on every platform and Swift version.
    static func shuffledIndices(_ count: Int, using rng: inout SplitMix64) -> [Int] {
        var indices = Array(0..<count)
        guard count > 1 else { return indices }
        for i in stride(from: count - 1, to: 0, by: -1) {
            let j = Int(boundedRandom(UInt64(i + 1), using: &rng))
            indices.swapAt(i, j)
        }
        return indices
    }

    /// A uniform draw from `0..<bound` (Lemire's method with rejection).
    static func boundedRandom(_ bound: UInt64, using rng: inout SplitMix64) -> UInt64 {
        var product = rng.next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold { product = rng.next().multipliedFullWidth(by: bound) }
        }
        return product.high
    }
}
