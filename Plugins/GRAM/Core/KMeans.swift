import Foundation
import HoneSDK

/// Seeded k-means (k-means++ seeding, Lloyd iterations) on embedding vectors.
///
/// Deterministic: the same points, k and seed give the same clusters. An empty cluster is
/// re-seeded with the point farthest from its centroid. Distances are squared Euclidean, which
/// on the encoder's unit vectors orders points as cosine similarity does.
public struct KMeans: Sendable {
    /// The number of clusters.
    public let k: Int
    /// Lloyd iterations at most.
    public let maxIterations: Int
    /// The seed of the k-means++ draws.
    public let seed: UInt64

    /// Creates a clusterer.
    public init(k: Int, maxIterations: Int = 50, seed: UInt64) {
        precondition(k > 0, "KMeans: k must be positive")
        self.k = k
        self.maxIterations = maxIterations
        self.seed = seed
    }

    /// A clustering: the cluster of each point and the centroids.
    public struct Result: Equatable, Sendable {
        /// The cluster index of each point.
        public var assignments: [Int]
        /// The centroids, one per cluster.
        public var centroids: [[Double]]

        /// The points of each cluster, in input order.
        public var members: [[Int]] {
            var out = [[Int]](repeating: [], count: centroids.count)
            for (i, c) in assignments.enumerated() { out[c].append(i) }
            return out
        }
    }

    /// Clusters `points` (at least one; fewer points than k gives one cluster per point).
    public func fit(_ points: [[Double]]) -> Result {
        precondition(!points.isEmpty, "KMeans: no points")
        let k = min(self.k, points.count)
        var generator = SeededGenerator(seed: seed)
        var centroids: [[Double]] = [points[Int(generator.next() % UInt64(points.count))]]
        var nearest = points.map { Self.distance($0, centroids[0]) }
        while centroids.count < k {
            let total = nearest.reduce(0, +)
            var chosen = 0
            if total > 0 {
                var target = generator.nextUnit() * total
                for (i, w) in nearest.enumerated() {
                    target -= w
                    if target <= 0 { chosen = i; break }
                    chosen = i
                }
            } else {
                chosen = Int(generator.next() % UInt64(points.count))
            }
            centroids.append(points[chosen])
            for i in points.indices { nearest[i] = min(nearest[i], Self.distance(points[i], points[chosen])) }
        }
        var assignments = [Int](repeating: -1, count: points.count)
        for _ in 0..<maxIterations {
            var changed = false
            for (i, p) in points.enumerated() {
                var best = 0, bestDistance = Double.infinity
                for (c, centroid) in centroids.enumerated() {
                    let d = Self.distance(p, centroid)
                    if d < bestDistance { bestDistance = d; best = c }
                }
                if assignments[i] != best { assignments[i] = best; changed = true }
            }
            if !changed { break }
            let dimension = points[0].count
            var sums = [[Double]](repeating: [Double](repeating: 0, count: dimension), count: k)
            var counts = [Int](repeating: 0, count: k)
            for (i, p) in points.enumerated() {
                counts[assignments[i]] += 1
                for j in 0..<dimension { sums[assignments[i]][j] += p[j] }
            }
            for c in 0..<k {
                if counts[c] > 0 {
                    centroids[c] = sums[c].map { $0 / Double(counts[c]) }
                } else {
                    // Re-seed an empty cluster with the point farthest from its own centroid.
                    let far = points.indices.max { Self.distance(points[$0], centroids[assignments[$0]]) < Self.distance(points[$1], centroids[assignments[$1]]) }!
                    centroids[c] = points[far]
                    assignments[far] = c
                }
            }
        }
        return Result(assignments: assignments, centroids: centroids)
    }

    static func distance(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in 0..<a.count { let x = a[i] - b[i]; s += x * x }
        return s
    }
}
