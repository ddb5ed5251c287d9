import Foundation
import HoneSDK

/// Judges generated text: for each (prompt, example) the backend generates an output from the
/// rendered prompt (`samples` times, each a call), and the task's metric compares it with the
/// example's reference (ROUGE, BLEU, exact match, embedding similarity, or a C metric through
/// libffi). With several samples, an example's scores are the mean over its samples and the
/// prompt's score is the mean of the per-sample aggregates.
///
/// Per-example outcomes carry the generated text, the reference, the task metric and every
/// cheap text metric (`rouge1`, `rouge2`, `rougeL`, `rougeLsum`, `exact_match`), so optimizers
/// can shape rewards from them.
public final class GenerationEvaluator: Evaluator, Sendable {
    /// The metric as the config gives it.
    public let metricSpec: MetricSpec
    public var metric: String { metricSpec.name }
    /// Generation.
    public var taskType: TaskType { .generation }
    /// `generate`, plus `embed` for `embedding_similarity`.
    public var requiredCapabilities: Set<BackendCapability> {
        if case .embeddingSimilarity = metricSpec { return [.generate, .embed] }
        return [.generate]
    }
    /// The backend that generates.
    public let backend: Backend
    /// Generation settings (tokens, temperature, system message, stops).
    public let settings: GenerationSettings
    /// The largest fraction of a request's generations the backend may fail on; failed
    /// examples are left out of the metric and counted.
    public let maxFailureRate: Double
    /// Renders `rendered` artifacts that arrive without per-input texts.
    public let rendering: PromptRendering?
    private let template: PromptTemplate

    /// The text metrics every detailed outcome carries.
    public static let detailMetrics: [GenerationMetric] = [.rouge1, .rouge2, .rougeL, .rougeLsum, .exactMatch]

    /// Creates an evaluator.
    public init(backend: Backend, template: String, metric: MetricSpec, settings: GenerationSettings = GenerationSettings(), maxFailureRate: Double = 0, rendering: PromptRendering? = nil) {
        precondition(!metric.isClassification, "a generation evaluator needs a generation metric")
        self.backend = backend
        self.template = PromptTemplate(template: template)
        self.metricSpec = metric
        self.settings = settings
        self.maxFailureRate = maxFailureRate
        self.rendering = rendering
    }

    public func evaluate(_ prompts: [PromptArtifact], on examples: [IndexedExample], options: EvaluationOptions) throws -> [PromptScore] {
        if let head = prompts.first(where: { $0.kind == .embeddingHead }) {
            throw ArtifactError("an embedding_head artifact (\(head.method ?? "?")) classifies; this task generates text, so it cannot be applied here")
        }
        let inputs = examples.map(\.example.input)
        let references = examples.map(\.example.label)
        let samples = options.samples
        var requests: [GenerateRequest] = []
        requests.reserveCapacity(prompts.count * examples.count * samples)
        for prompt in prompts {
            let slots = try PromptRendering.slotTexts(for: prompt, inputs: inputs, using: rendering, context: options.renderContext)
            for (e, input) in inputs.enumerated() {
                let text = template.render(prompt: slots[e], input: input)
                for s in 0..<samples {
                    requests.append(GenerateRequest(
                        prompt: text, system: settings.system, maxTokens: settings.maxTokens,
                        temperature: settings.temperature, stop: settings.stop, sampleIndex: s))
                }
            }
        }
        let outputs = try backend.generateEach(requests)
        try FailureLimit(rate: maxFailureRate).check(outputs, expected: requests.count, backend: backend, what: "generations")
        return try prompts.indices.map { p in
            // Per example: its samples' texts; an example with any failed sample is left out.
            var kept: [Int] = []
            var texts: [[String]] = []
            for e in examples.indices {
                let base = (p * examples.count + e) * samples
                let mine = outputs[base..<(base + samples)].compactMap { try? $0.get() }
                if mine.count == samples {
                    kept.append(e)
                    texts.append(mine)
                }
            }
            return try score(kept: kept, texts: texts, examples: examples, inputs: inputs, references: references, details: options.details)
        }
    }

    /// The score of one prompt from its examples' generated texts (`texts[k]`: the samples of example `kept[k]`).
    private func score(kept: [Int], texts: [[String]], examples: [IndexedExample], inputs: [String], references: [String], details: Bool) throws -> PromptScore {
        let failed = examples.count - kept.count
        guard !kept.isEmpty else { return PromptScore(score: 0, examples: details ? [] : nil, failed: failed > 0 ? failed : nil) }
        let samples = texts[0].count
        let keptReferences = kept.map { references[$0] }
        let keptInputs = kept.map { inputs[$0] }
        var aggregate = 0.0
        var perExample = [Double](repeating: 0, count: kept.count)
        var extra: [String: [Double]] = [:]
        for s in 0..<samples {
            let predictions = texts.map { $0[s] }
            let (score, each) = try metricScores(predictions: predictions, references: keptReferences, inputs: keptInputs)
            aggregate += score / Double(samples)
            for k in each.indices { perExample[k] += each[k] / Double(samples) }
            if details {
                for m in GenerationEvaluator.detailMetrics where m.rawValue != metric {
                    let values = m.evaluate(predictions: predictions, references: keptReferences).perExample
                    var sums = extra[m.rawValue] ?? [Double](repeating: 0, count: kept.count)
                    for k in values.indices { sums[k] += values[k] / Double(samples) }
                    extra[m.rawValue] = sums
                }
            }
        }
        var outcomes: [ExampleOutcome]?
        if details {
            outcomes = kept.indices.map { k in
                var scores = extra.mapValues { $0[k] }
                scores[metric] = perExample[k]
                return ExampleOutcome(index: examples[kept[k]].index, generated: texts[k][0], reference: keptReferences[k], score: perExample[k], scores: scores)
            }
        }
        return PromptScore(score: aggregate, examples: outcomes, failed: failed > 0 ? failed : nil)
    }

    /// The task metric's aggregate and per-example values for one set of predictions.
    private func metricScores(predictions: [String], references: [String], inputs: [String]) throws -> (Double, [Double]) {
        switch metricSpec {
        case .generation(let m):
            return m.evaluate(predictions: predictions, references: references)
        case .embeddingSimilarity:
            let vectors = try backend.embed(predictions + references, role: .passage)
            let n = predictions.count
            let each = (0..<n).map { EmbeddingSimilarity.cosine(vectors[$0], vectors[n + $0]) }
            return (each.reduce(0, +) / Double(max(n, 1)), each)
        case .ffi(let f):
            let each = try f.scores(inputs: f.usesInput ? inputs : [], predictions: predictions, references: references)
            return (each.reduce(0, +) / Double(max(each.count, 1)), each)
        case .accuracy, .macroF1, .microF1:
            throw ConfigError(path: "$.task.metric", message: "\(metric) is a classification metric")
        }
    }
}
