import Foundation
import HoneSDK

/// Classifies with a backend's `score`: for each example, the backend scores every label's
/// verbalizer after the rendered prompt; a softmax gives the label distribution and the
/// most probable label is the prediction. All (prompt, example) items of a request go to the
/// backend in one batch, so the backend can batch, cache and deduplicate.
///
/// An `embedding_head` prompt is applied with the backend's embeddings instead
/// (``EmbeddingHeadScorer``); a `rendered` prompt fills `{prompt}` with each input's own text.
public final class ClassificationEvaluator: Evaluator, Sendable {
    public let metric: String
    /// Classification.
    public var taskType: TaskType { .classification }
    /// `score`, for text and rendered prompts (embedding heads need `embed`, checked when one
    /// is scored).
    public var requiredCapabilities: Set<BackendCapability> { [.score] }
    /// The backend that scores.
    public let backend: Backend
    /// Labels in index order.
    public let labels: [TaskLabel]
    /// The largest fraction of a request's items the backend may fail on before the request
    /// fails; failed items are left out of the metric and counted in `PromptScore.failed`.
    public let maxFailureRate: Double
    /// The label index the metric leaves out (`micro_f1`'s null class), if any.
    public let nullLabel: Int?
    /// Renders `rendered` artifacts that arrive without per-input texts.
    public let rendering: PromptRendering?
    /// The program's metric (a ``MetricSpec/custom(_:)`` task metric): a prompt's score is its
    /// mean over the examples of `score(generated: predicted label name, reference: gold label name)`.
    public let customMetric: (any TextMetric)?
    private let renderer: PromptTemplate
    private let labelIndex: [String: Int]

    /// Creates an evaluator for a task; with `customMetric`, that metric scores the predictions
    /// instead of the one `metric` names.
    public init(backend: Backend, template: String, labels: [TaskLabel], metric: String, maxFailureRate: Double = 0, nullLabel: String? = nil,
                rendering: PromptRendering? = nil, customMetric: (any TextMetric)? = nil) {
        self.customMetric = customMetric
        self.backend = backend
        self.labels = labels
        self.metric = metric
        self.maxFailureRate = maxFailureRate
        self.rendering = rendering
        renderer = PromptTemplate(template: template)
        labelIndex = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1.name, $0) })
        self.nullLabel = nullLabel.flatMap { name in labels.firstIndex { $0.name == name } }
    }

    /// The index of a label name.
    public func index(ofLabel name: String) -> Int? { labelIndex[name] }

    /// The text the backend sees for `prompt` and `input`.
    public func render(prompt: String, input: String) -> String { renderer.render(prompt: prompt, input: input) }

    public func evaluate(_ prompts: [PromptArtifact], on examples: [IndexedExample], options: EvaluationOptions) throws -> [PromptScore] {
        try options.cancellation?.check()
        let inputs = examples.map(\.example.input)
        let slotTexts = try prompts.map {
            try PromptRendering.slotTexts(for: $0, inputs: inputs, using: rendering, context: options.renderContext)
        }
        var rows = [[Result<[Double], BackendError>]](repeating: [], count: prompts.count)
        // Text and rendered prompts: one score batch over every (prompt, example).
        let scored = prompts.indices.filter { prompts[$0].kind != .embeddingHead }
        if !scored.isEmpty {
            let verbalizers = labels.map(\.verbalizer)
            var items: [ScoreItem] = []
            items.reserveCapacity(scored.count * examples.count)
            for p in scored {
                for (e, input) in inputs.enumerated() {
                    items.append(ScoreItem(context: renderer.render(prompt: slotTexts[p][e], input: input), candidates: verbalizers))
                }
            }
            try options.cancellation?.check()
            let scores = try backend.scoreEach(items)
            try options.cancellation?.check()
            try FailureLimit(rate: maxFailureRate).check(scores, expected: items.count, backend: backend, what: "items")
            for (k, p) in scored.enumerated() {
                rows[p] = Array(scores[(k * examples.count)..<((k + 1) * examples.count)])
            }
        }
        // Embedding heads: one embedding batch over every rendered query.
        let headed = prompts.indices.filter { prompts[$0].kind == .embeddingHead }
        if !headed.isEmpty {
            for p in headed { try EmbeddingHeadScorer.check(prompts[p].head!, backend: backend, labelCount: labels.count) }
            let queries = headed.flatMap { p in inputs.indices.map { renderer.render(prompt: slotTexts[p][$0], input: inputs[$0]) } }
            try options.cancellation?.check()
            let vectors = try backend.embed(queries, role: .query)
            try options.cancellation?.check()
            guard vectors.count == queries.count else {
                throw BackendError("backend \(backend.name) returned \(vectors.count) vectors for \(queries.count) texts")
            }
            for (k, p) in headed.enumerated() {
                let mine = Array(vectors[(k * examples.count)..<((k + 1) * examples.count)])
                rows[p] = try EmbeddingHeadScorer.logits(prompts[p].head!, queries: mine, defaultTemperature: backend.classifierTemperature ?? 0.01).map { .success($0) }
            }
        }
        let gold = examples.map { labelIndex[$0.example.label] ?? -1 }
        return try prompts.indices.map { p in
            try score(rows[p], examples: examples, gold: gold, details: options.details)
        }
    }

    /// The metric and outcomes of one prompt from its per-example label scores.
    private func score(_ rows: [Result<[Double], BackendError>], examples: [IndexedExample], gold: [Int], details: Bool) throws -> PromptScore {
        var predicted: [Int] = []
        var scoredGold: [Int] = []
        predicted.reserveCapacity(examples.count)
        var outcomes: [ExampleOutcome] = []
        var failed = 0
        for (e, (index, _)) in examples.enumerated() {
            guard case .success(let row) = rows[e] else {
                failed += 1
                continue
            }
            scoredGold.append(gold[e])
            let probabilities = ClassificationEvaluator.softmax(row)
            var best = 0
            for i in 1..<max(probabilities.count, 1) where probabilities[i] > probabilities[best] { best = i }
            predicted.append(best)
            if details {
                outcomes.append(ExampleOutcome(index: index, label: gold[e], predicted: best, probabilities: probabilities))
            }
        }
        let score: Double
        if let customMetric {
            let each = try zip(predicted, scoredGold).map { try customMetric.score(generated: labels[$0].name, reference: labels[$1].name) }
            score = each.isEmpty ? 0 : each.reduce(0, +) / Double(each.count)
        } else if TaskConfig.metrics.contains(metric) {
            score = ClassificationMetrics.compute(metric, gold: scoredGold, predicted: predicted, labelCount: labels.count, nullLabel: nullLabel)
        } else {
            throw ConfigError(path: "$.task.metric", message: "the metric \"\(metric)\" is not registered with this runner; register it with HoneComponents.register(metric:) before the run")
        }
        return PromptScore(score: score, examples: details ? outcomes : nil, failed: failed > 0 ? failed : nil)
    }

    /// Numerically stable softmax.
    static func softmax(_ x: [Double]) -> [Double] {
        guard let m = x.max() else { return [] }
        let e = x.map { Foundation.exp($0 - m) }
        let s = e.reduce(0, +)
        return e.map { $0 / s }
    }
}
