/// A classification problem in embedding space: one base vector per class (e5 passage of the
/// class text) and labelled query embeddings (e5 query of the rendered input).
///
/// Meta-training episodes (pseudo-classes of the unlabeled pool) and the target task's splits
/// take this one shape, so the inner loop and the downstream tuning run the same code.
public struct LabeledEmbeddings: Sendable {
    /// The class base vectors t_c, one per class, each of the layout's dimension.
    public var classBase: [[Double]]
    /// The query embeddings q_i.
    public var queries: [[Double]]
    /// The gold class of each query, an index into ``classBase``.
    public var labels: [Int]

    /// Creates a problem; every label must index a class.
    public init(classBase: [[Double]], queries: [[Double]], labels: [Int]) {
        precondition(queries.count == labels.count, "LabeledEmbeddings: one label per query")
        precondition(labels.allSatisfy { $0 >= 0 && $0 < classBase.count }, "LabeledEmbeddings: a label does not index a class")
        self.classBase = classBase
        self.queries = queries
        self.labels = labels
    }

    /// The same problem restricted to some classes (re-indexed in the order given) and to the
    /// queries whose gold class is one of them.
    public func restricted(to classes: [Int]) -> LabeledEmbeddings {
        var position: [Int: Int] = [:]
        for (i, c) in classes.enumerated() { position[c] = i }
        var q: [[Double]] = [], y: [Int] = []
        for (query, label) in zip(queries, labels) {
            if let p = position[label] { q.append(query); y.append(p) }
        }
        return LabeledEmbeddings(classBase: classes.map { classBase[$0] }, queries: q, labels: y)
    }
}
