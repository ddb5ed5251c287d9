import HoneSDK
/// GRAM's task pool built without labels: a two-level k-means of the embeddings of unlabeled
/// text. Coarse clusters act as domains; within each domain, fine clusters act as
/// pseudo-classes, each named by its medoid sentence (the member nearest its centroid), whose
/// e5 passage embedding serves as the pseudo-class's base vector, as a class name's would.
public struct TaskPool: Sendable {
    /// One pseudo-class: its medoid and its other members (indices into the pool's texts).
    public struct PseudoClass: Equatable, Sendable {
        /// The medoid, whose text names the class; it is never drawn as an example.
        public var medoid: Int
        /// The other members.
        public var members: [Int]
    }

    /// One domain: its pseudo-classes.
    public struct Domain: Equatable, Sendable {
        /// The fine clusters of the domain.
        public var classes: [PseudoClass]
    }

    /// The domains, in coarse-cluster order.
    public var domains: [Domain]

    /// Clusters `embeddings` (the pool's query embeddings) into at most `domainCount` domains of
    /// at most `classesPerDomain` pseudo-classes; deterministic for a seed.
    public static func build(embeddings: [[Double]], domainCount: Int, classesPerDomain: Int, seed: UInt64) -> TaskPool {
        guard !embeddings.isEmpty else { return TaskPool(domains: []) }
        let coarse = KMeans(k: domainCount, seed: seed).fit(embeddings)
        var domains: [Domain] = []
        for (d, members) in coarse.members.enumerated() where !members.isEmpty {
            let points = members.map { embeddings[$0] }
            let fine = KMeans(k: classesPerDomain, seed: seed &+ UInt64(d + 1) &* 0x9E37_79B9).fit(points)
            var classes: [PseudoClass] = []
            for (c, local) in fine.members.enumerated() where !local.isEmpty {
                let centroid = fine.centroids[c]
                let medoidLocal = local.min { KMeans.distance(points[$0], centroid) < KMeans.distance(points[$1], centroid) }!
                classes.append(PseudoClass(medoid: members[medoidLocal], members: local.filter { $0 != medoidLocal }.map { members[$0] }))
            }
            domains.append(Domain(classes: classes))
        }
        return TaskPool(domains: domains)
    }

    /// Every medoid, domain by domain: the texts whose passage embeddings the episodes need.
    public var medoids: [Int] { domains.flatMap { $0.classes.map(\.medoid) } }
}

/// Draws meta-training episodes from a ``TaskPool``: an N-way K-shot support set from one
/// domain and an N-way query set from a different domain, so the outer loop rewards adapting
/// in ways that carry over to other classes of another domain.
public struct EpisodeSampler: Sendable {
    /// Why episodes cannot be drawn from a pool.
    public struct PoolTooSmall: Error, CustomStringConvertible {
        /// What is missing and what to do.
        public var description: String
    }

    let pool: TaskPool
    let queryEmbeddings: [[Double]]
    let medoidPassages: [Int: [Double]]
    /// Classes per episode (N).
    public let ways: Int
    /// Support examples per class (K).
    public let shots: Int
    /// Query examples per class.
    public let queriesPerClass: Int
    /// The domains that hold at least N classes of at least max(K, Q) members, each with those classes.
    let eligible: [[TaskPool.PseudoClass]]

    /// Creates a sampler.
    ///
    /// - Throws: ``PoolTooSmall`` when fewer than two domains hold N classes large enough.
    public init(pool: TaskPool, queryEmbeddings: [[Double]], medoidPassages: [Int: [Double]], ways: Int, shots: Int, queriesPerClass: Int) throws {
        self.pool = pool
        self.queryEmbeddings = queryEmbeddings
        self.medoidPassages = medoidPassages
        self.ways = ways
        self.shots = shots
        self.queriesPerClass = queriesPerClass
        let need = max(shots, queriesPerClass)
        eligible = pool.domains.map { $0.classes.filter { $0.members.count >= need } }.filter { $0.count >= ways }
        if eligible.count < 2 {
            throw PoolTooSmall(description: "the unlabeled pool gives \(eligible.count) domain(s) with \(ways) pseudo-classes of at least \(need) texts each; meta-training needs 2. Add texts to the pool (config pool_files, pool_size), or lower ways, shots, queries_per_class or classes_per_domain")
        }
    }

    /// One episode: the support set and the query set from another domain.
    public func sample(_ generator: inout SeededGenerator) -> (support: LabeledEmbeddings, query: LabeledEmbeddings) {
        let a = Int(generator.next() % UInt64(eligible.count))
        var b = Int(generator.next() % UInt64(eligible.count - 1))
        if b >= a { b += 1 }
        return (problem(from: eligible[a], perClass: shots, &generator), problem(from: eligible[b], perClass: queriesPerClass, &generator))
    }

    private func problem(from classes: [TaskPool.PseudoClass], perClass: Int, _ generator: inout SeededGenerator) -> LabeledEmbeddings {
        let chosen = Self.draw(ways, from: classes.count, &generator).map { classes[$0] }
        var queries: [[Double]] = [], labels: [Int] = []
        for (label, pseudo) in chosen.enumerated() {
            for m in Self.draw(perClass, from: pseudo.members.count, &generator) {
                queries.append(queryEmbeddings[pseudo.members[m]])
                labels.append(label)
            }
        }
        return LabeledEmbeddings(classBase: chosen.map { medoidPassages[$0.medoid]! }, queries: queries, labels: labels)
    }

    /// `count` distinct indices below `n`, in draw order (a partial Fisher-Yates shuffle).
    static func draw(_ count: Int, from n: Int, _ generator: inout SeededGenerator) -> [Int] {
        var indices = Array(0..<n)
        let m = min(count, n)
        for i in 0..<m {
            let j = i + Int(generator.next() % UInt64(n - i))
            indices.swapAt(i, j)
        }
        return Array(indices.prefix(m))
    }
}
