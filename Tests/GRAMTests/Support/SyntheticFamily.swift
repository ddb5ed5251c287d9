import Foundation
import HoneSDK
@testable import HonePluginGRAMCore

/// A family of classification tasks in a small embedding space with one transferable flaw:
/// every query carries a common offset b, and class vectors lean on b by different amounts, so
/// zero-shot cosine scoring favours the classes that lean most. A query shift near −b (or a
/// residual that evens the lean) helps every task of the family, which is what meta-learning
/// should find.
struct SyntheticFamily {
    let dimension: Int
    let bias: [Double]
    var generator: SeededGenerator

    init(dimension: Int = 12, seed: UInt64 = 11) {
        self.dimension = dimension
        generator = SeededGenerator(seed: seed)
        var b = (0..<dimension).map { _ in 0.0 }
        b[0] = 1.2
        bias = b
    }

    static func normalized(_ v: [Double]) -> [Double] {
        let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return v.map { $0 / n }
    }

    mutating func gaussian() -> [Double] { (0..<dimension).map { _ in generator.nextGaussian() } }

    /// One task: `classes` classes, `perClass` queries each.
    mutating func task(classes: Int, perClass: Int) -> LabeledEmbeddings {
        var centers: [[Double]] = [], bases: [[Double]] = []
        for _ in 0..<classes {
            var c = gaussian()
            c[0] = 0
            let center = Self.normalized(c)
            centers.append(center)
            let lean = 2 * generator.nextUnit()
            bases.append(Self.normalized(zip(center, bias).map { $0 + lean * $1 / 1.2 }))
        }
        var queries: [[Double]] = [], labels: [Int] = []
        for (label, center) in centers.enumerated() {
            for _ in 0..<perClass {
                let noise = gaussian()
                queries.append(Self.normalized((0..<dimension).map { center[$0] + bias[$0] + 0.35 * noise[$0] }))
                labels.append(label)
            }
        }
        return LabeledEmbeddings(classBase: bases, queries: queries, labels: labels)
    }
}
