import Foundation
import HoneSDK

/// Applies an `embedding_head` artifact: the host's embedding classifier with the head's class
/// vectors in place of the verbalizers' embeddings.
///
/// For each rendered query q (embedded with the `query` role): q' = normalize(q + query_shift),
/// logit_c = cos(q', normalize(class_vectors[c])) / temperature + logit_bias[c]. The head is
/// refused unless it was trained in the backend's embedding space and fits the task's labels.
public enum EmbeddingHeadScorer {
    /// Throws an ``ArtifactError`` naming both spaces (or the head's defect) when `head` cannot
    /// classify `labelCount` labels on `backend`.
    public static func check(_ head: EmbeddingHead, backend: Backend, labelCount: Int) throws {
        guard backend.capabilities.contains(.embed), let space = backend.embeddingSpace else {
            throw ArtifactError("the prompt is an embedding_head artifact, which needs a backend that embeds; backend \(backend.name) does not")
        }
        guard head.space == space else {
            throw ArtifactError("the embedding_head artifact was trained in embedding space \(head.space) but backend \(backend.name) embeds in \(space); its class vectors mean nothing there: retrain it on this backend or use a backend of \(head.space)")
        }
        if let problem = head.problem(labelCount: labelCount) {
            throw ArtifactError("the embedding_head artifact is malformed: \(problem)")
        }
    }

    /// The logits of each query under `head` (temperature: the head's, else `defaultTemperature`).
    public static func logits(_ head: EmbeddingHead, queries: [[Float]], defaultTemperature: Double) throws -> [[Double]] {
        let temperature = head.temperature ?? defaultTemperature
        let classes = head.classVectors.map(normalized)
        let bias = head.logitBias ?? Array(repeating: 0, count: classes.count)
        return try queries.map { q in
            guard q.count == head.dimension else {
                throw ArtifactError("the backend returned a \(q.count)-dimensional query vector, but the embedding_head has dimension \(head.dimension)")
            }
            var v = q.map(Double.init)
            if let shift = head.queryShift { for i in v.indices { v[i] += shift[i] } }
            v = normalized(v)
            return classes.indices.map { c in
                var dot = 0.0
                let w = classes[c]
                for i in v.indices { dot += v[i] * w[i] }
                return dot / temperature + bias[c]
            }
        }
    }

    /// `v` scaled to unit length (unchanged when it is all zeros).
    static func normalized(_ v: [Double]) -> [Double] {
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? v.map { $0 / norm } : v
    }
}
