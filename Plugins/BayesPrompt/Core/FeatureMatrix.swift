import Foundation

/// Rows of equal-length feature vectors in one contiguous row-major buffer of doubles.
///
/// The mixture, the transport and the heads all work on these: row `i` occupies
/// `values[i * columns ..< (i + 1) * columns]`, so the inner loops run over contiguous memory.
public struct FeatureMatrix: Sendable, Equatable {
    /// Number of rows (points).
    public let rows: Int
    /// Number of columns (the dimension).
    public let columns: Int
    /// The entries, row after row.
    public var values: [Double]

    /// A matrix of zeros.
    public init(rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0)
        self.rows = rows
        self.columns = columns
        values = [Double](repeating: 0, count: rows * columns)
    }

    /// A matrix from its entries, row after row (`values.count == rows * columns`).
    public init(rows: Int, columns: Int, values: [Double]) {
        precondition(values.count == rows * columns, "FeatureMatrix: \(values.count) values for \(rows) x \(columns)")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// A matrix whose rows are `vectors` (all of one length; an empty list gives 0 x `dimension`).
    public init<V: Collection>(vectors: [V], dimension: Int? = nil) where V.Element: BinaryFloatingPoint {
        let d = dimension ?? vectors.first?.count ?? 0
        var values: [Double] = []
        values.reserveCapacity(vectors.count * d)
        for v in vectors {
            precondition(v.count == d, "FeatureMatrix: a vector of \(v.count) numbers among vectors of \(d)")
            for x in v { values.append(Double(x)) }
        }
        self.init(rows: vectors.count, columns: d, values: values)
    }

    /// Row `i` as an array.
    public func row(_ i: Int) -> [Double] {
        Array(values[i * columns ..< (i + 1) * columns])
    }

    /// The rows at `indices`, in that order.
    public func selecting(rows indices: [Int]) -> FeatureMatrix {
        var out = FeatureMatrix(rows: indices.count, columns: columns)
        for (r, i) in indices.enumerated() {
            out.values.replaceSubrange(r * columns ..< (r + 1) * columns, with: values[i * columns ..< (i + 1) * columns])
        }
        return out
    }

    /// The mean of all rows (zeros when there are none).
    public func columnMeans() -> [Double] {
        var mean = [Double](repeating: 0, count: columns)
        guard rows > 0 else { return mean }
        values.withUnsafeBufferPointer { v in
            for i in 0..<rows {
                let base = i * columns
                for j in 0..<columns { mean[j] += v[base + j] }
            }
        }
        let scale = 1 / Double(rows)
        for j in 0..<columns { mean[j] *= scale }
        return mean
    }

    /// The mean squared distance of the rows from their mean, per column, averaged over
    /// columns: the data's scale, which the mixture's ridge is measured in.
    public func meanColumnVariance() -> Double {
        guard rows > 1, columns > 0 else { return 0 }
        let mean = columnMeans()
        var total = 0.0
        values.withUnsafeBufferPointer { v in
            for i in 0..<rows {
                let base = i * columns
                for j in 0..<columns { let e = v[base + j] - mean[j]; total += e * e }
            }
        }
        return total / Double(rows * columns)
    }

    /// Squared Euclidean distance between row `i` and `point`.
    @inline(__always)
    public func squaredDistance(row i: Int, to point: UnsafeBufferPointer<Double>) -> Double {
        values.withUnsafeBufferPointer { v in
            var s = 0.0
            let base = i * columns
            for j in 0..<columns { let e = v[base + j] - point[j]; s += e * e }
            return s
        }
    }
}

/// Vector helpers on contiguous doubles.
enum VectorMath {
    /// The dot product of two equal-length vectors.
    @inline(__always)
    static func dot(_ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        let n = a.count
        var j = 0
        while j + 4 <= n {
            s0 += a[j] * b[j]; s1 += a[j + 1] * b[j + 1]; s2 += a[j + 2] * b[j + 2]; s3 += a[j + 3] * b[j + 3]
            j += 4
        }
        while j < n { s0 += a[j] * b[j]; j += 1 }
        return (s0 + s1) + (s2 + s3)
    }

    /// `v` scaled to unit length (unchanged when it is all zeros).
    static func normalized(_ v: [Double]) -> [Double] {
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? v.map { $0 / norm } : v
    }

    /// log(sum(exp(x))) computed without overflow.
    static func logSumExp(_ x: UnsafeBufferPointer<Double>) -> Double {
        var m = -Double.infinity
        for v in x where v > m { m = v }
        guard m.isFinite else { return m }
        var s = 0.0
        for v in x { s += exp(v - m) }
        return m + log(s)
    }
}

