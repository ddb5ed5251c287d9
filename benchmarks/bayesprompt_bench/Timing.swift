// `hone-bench-bayesprompt perf <data-dir>|synthetic [k-shot folder] [covariance] [svgd-iterations] [em-iterations]`: CPU
// seconds of the mixture fit on the SemEval pool (6,507 x 384 e5 query embeddings of
// relation/semeval/train.txt, served by the shared embedding cache) and of SVGD on a k-shot
// folder's examples (default 16-1: 288 particles), for docs/performance.md.
import HonePluginBayesPromptCore
import Foundation
import Hone
import HoneSDK

/// CPU seconds this process spends in `body` (the machine is shared; wall time would mostly
/// measure other people's work).
func cpuSeconds<T>(_ body: () throws -> T) rethrows -> (T, Double, Double) {
    var start = timespec(), end = timespec()
    let wallStart = Date()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &start)
    let value = try body()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &end)
    return (value, Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9, Date().timeIntervalSince(wallStart))
}

func runTiming(_ arguments: [String]) throws {
    let data = URL(fileURLWithPath: arguments[2]).standardizedFileURL.path
    let folder = arguments.count > 3 ? arguments[3] : "16-1"
    let covariance = GaussianMixture.Covariance(rawValue: arguments.count > 4 ? arguments[4] : "diagonal") ?? .diagonal
    let iterations = arguments.count > 5 ? Int(arguments[5]) ?? 300 : 300
    let emIterations = arguments.count > 6 ? Int(arguments[6]) ?? 100 : 100
    let (pool, shots, components) = arguments[2] == "synthetic" ? synthetic(folder) : try semeval(data, folder)
    let config = BayesPromptConfig()
    let scale = pool.meanColumnVariance()
    let (fit, fitCPU, fitWall) = try cpuSeconds {
        try GaussianMixture.fit(pool, components: components, covariance: covariance, ridge: config.covarianceRidge * scale,
                                maxIterations: emIterations, seed: 1)
    }
    let transport = SteinTransport(iterations: iterations, stepSize: config.svgdStepSize * scale.squareRoot())
    let (moved, svgdCPU, svgdWall) = cpuSeconds { transport.transport(shots) { fit.mixture.scores(of: $0, into: &$1) } }
    // The label-anchored domain mixture on the pool, anchored by the shots and the moved
    // particles; the labels only shape the work here (shot i gets label i mod components).
    let shotLabels = (0..<shots.rows).map { $0 % components }
    let anchors = FeatureMatrix(rows: 2 * shots.rows, columns: shots.columns, values: shots.values + moved.values)
    let (_, domainCPU, domainWall) = cpuSeconds {
        DomainPrototypes.fit(pool: pool, anchors: anchors, anchorLabels: shotLabels + shotLabels,
                             fallback: FeatureMatrix(rows: components, columns: shots.columns, values: Array(pool.values.prefix(components * shots.columns))),
                             concentration: 100, iterations: config.domainIterations)
    }
    print(String(format: "domain mixture: %d labels, %d EM iterations over %d pool rows and %d anchors: %.2f s CPU (%.2f s wall)",
                 components, config.domainIterations, pool.rows, anchors.rows, domainCPU, domainWall))
    var shift = 0.0
    for t in 0..<moved.values.count { shift += (moved.values[t] - shots.values[t]) * (moved.values[t] - shots.values[t]) }
    print(String(format: "pool %d x %d, %d components (%@): EM %d iterations, %.2f s CPU (%.2f s wall); SVGD %d particles x %d iterations: %.2f s CPU (%.2f s wall); mean particle displacement %.3f (pool per-dimension sd %.4f)",
                 pool.rows, pool.columns, components, covariance.rawValue, fit.report.iterations, fitCPU, fitWall, shots.rows, iterations,
                 svgdCPU, svgdWall, (shift / Double(max(shots.rows, 1))).squareRoot(), scale.squareRoot()))
}

/// Unit vectors around 19 random centers: 6,507 pool rows and `folder`'s k (1-...) x 18 shots.
func synthetic(_ folder: String) -> (FeatureMatrix, FeatureMatrix, Int) {
    var random = StageRandom(seed: 3)
    let d = 384, k = 19
    let centers = (0..<k).map { _ in (0..<d).map { _ in random.unit() - 0.5 } }
    func point(_ c: Int) -> [Double] { VectorMathShim.unit(centers[c].map { $0 + 0.6 * (random.unit() - 0.5) }) }
    let pool = FeatureMatrix(vectors: (0..<6507).map { point($0 % k) })
    let perClass = Int(folder.split(separator: "-").first ?? "16") ?? 16
    return (pool, FeatureMatrix(vectors: (0..<(perClass * 18)).map { point($0 % 18) }), k)
}

enum VectorMathShim {
    static func unit(_ v: [Double]) -> [Double] {
        let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return v.map { $0 / n }
    }
}

/// The SemEval pool and a k-shot folder's examples, embedded (cached) by the host's e5 backend.
func semeval(_ data: String, _ folder: String) throws -> (FeatureMatrix, FeatureMatrix, Int) {
    let base = "\(data)/relation/semeval"
    let dataset = try DatasetConfig(json: ["format": "semeval", "train": .string("\(base)/k-shot/\(folder)/train.txt"),
                                           "dev": .string("\(base)/val.txt"), "test": .string("\(base)/test.txt"),
                                           "unlabeled": .string("\(base)/train.txt")], baseDirectory: data)
    let ids = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(base)/rel2id.json"))) as! [String: Int]
    let splits = try DatasetLoader.load(dataset, labelNames: ids.keys.sorted(), seed: 1)
    let e5 = try E5Backend(cache: try EmbeddingCache(path: EmbeddingCache.defaultPath()))
    let template = PromptTemplate(template: "{prompt} {input}")
    let pool = FeatureMatrix(vectors: try e5.embed(splits.unlabeled.map { template.render(prompt: "", input: $0) }, role: .query))
    let shots = FeatureMatrix(vectors: try e5.embed(splits.train.map { template.render(prompt: "", input: $0.input) }, role: .query))
    return (pool, shots, ids.count)
}
