import Foundation
import HonePluginBayesPromptCore
import HoneSDK
import XCTest

/// Heads as the host will apply them, and their leave-one-out selection scores.
final class PrototypeHeadTests: XCTestCase {
    let space = EmbeddingSpace(backend: "e5", model: "multilingual-e5-small")

    func testClassifierAppliesTheHostFormula() {
        let head = EmbeddingHead(space: space, dimension: 2, classVectors: [[2, 0], [0, 3]], queryShift: [0, -1],
                                 logitBias: [0.5, 0], temperature: 0.1)
        let classifier = HeadClassifier(head: head, fallbackTemperature: 0.01)
        let logits = classifier.logits(FeatureMatrix(rows: 1, columns: 2, values: [1, 2]))
        // q + shift = (1, 1), normalized (0.707, 0.707): cos with (1, 0) and (0, 1) is 0.707 each.
        XCTAssertEqual(logits[0], 0.5.squareRoot() / 0.1 + 0.5, accuracy: 1e-12)
        XCTAssertEqual(logits[1], 0.5.squareRoot() / 0.1, accuracy: 1e-12)
        XCTAssertEqual(classifier.predict(FeatureMatrix(rows: 1, columns: 2, values: [1, 2])), [0])
    }

    func testHeadWithoutShiftOrPrototypesIsTheVerbalizerClassifier() {
        let heads = PrototypeHeads(shots: FeatureMatrix(rows: 2, columns: 2, values: [1, 0, 0, 1]), shotLabels: [0, 1],
                                   verbalizers: FeatureMatrix(rows: 2, columns: 2, values: [3, 4, 0, 2]))
        let head = heads.head(shift: [0, 0], weight: 0, space: space, temperature: 0.01)
        XCTAssertNil(head.queryShift)
        XCTAssertEqual(head.classVectors[0], [0.6, 0.8])
        XCTAssertEqual(head.classVectors[1], [0, 1])
        XCTAssertNil(head.problem(labelCount: 2))
    }

    func testShotsAreScoredWithoutTheirOwnPrototype() {
        // One shot per label: leave-one-out leaves each label's own class vector at its verbalizer,
        // so a shot is not credited for matching itself (with its own prototype, both would be
        // right with cosine 1). The verbalizers point away from the shots.
        let heads = PrototypeHeads(shots: FeatureMatrix(rows: 2, columns: 2, values: [1, 0, 0.8, 0.6]), shotLabels: [0, 1],
                                   verbalizers: FeatureMatrix(rows: 2, columns: 2, values: [0, 1, -1, 0]))
        let result = heads.predictions(shift: [0, 0], weight: 1, others: FeatureMatrix(rows: 1, columns: 2, values: [0.9, 0.1]))
        XCTAssertEqual(result.shots, [1, 0], "each shot sees the other shot's prototype and its own label's verbalizer")
        XCTAssertEqual(result.others, [0], "a new query uses the full prototypes")
    }

    func testTransportedPrototypesAreJudgedOnTheRawShotQueries() {
        // Prototypes from moved rows, judged on the original shots: raw shot 0 (1, 0), without its
        // own moved row, is nearer label 0's verbalizer (0.8, -0.6) than label 1's moved row
        // (0.6, 0.8); its moved row (0, 1) would have been nearer label 1.
        let moved = FeatureMatrix(rows: 2, columns: 2, values: [0, 1, 0.6, 0.8])
        let raw = FeatureMatrix(rows: 2, columns: 2, values: [1, 0, 0, 1])
        let heads = PrototypeHeads(shots: moved, shotLabels: [0, 1], verbalizers: FeatureMatrix(rows: 2, columns: 2, values: [0.8, -0.6, -1, 0]))
        XCTAssertEqual(heads.predictions(shift: [0, 0], weight: 1, others: FeatureMatrix(rows: 0, columns: 2), queries: raw).shots, [0, 0])
        XCTAssertEqual(heads.predictions(shift: [0, 0], weight: 1, others: FeatureMatrix(rows: 0, columns: 2)).shots, [1, 0])
    }

    func testLeaveOneOutTakesAShotsOwnParticleOutOfTheShift() {
        // Random shots and SVGD-like particles (particle i started at shot i); a draw of three
        // particles. A shot in the draw must be scored as if its particle had never been in
        // the draw: the head built without the shot, shifted by the other two particles' mean.
        var random = StageRandom(seed: 5)
        let d = 4, labels = [0, 1, 2, 0, 1, 2]
        func matrix(_ rows: Int) -> FeatureMatrix {
            FeatureMatrix(rows: rows, columns: d, values: (0..<(rows * d)).map { _ in random.unit() - 0.5 })
        }
        let shots = matrix(6), particles = matrix(6), verbalizers = matrix(3), dev = matrix(5)
        let heads = PrototypeHeads(shots: shots, shotLabels: labels, verbalizers: verbalizers)
        let draw = [4, 0, 2], scale = -2.0
        let mean = particles.selecting(rows: draw).columnMeans()
        for weight in [0.0, 0.5, 1] {
            let predicted = heads.predictions(shift: mean.map { $0 * scale }, weight: weight, others: dev,
                                              shiftSource: (particles, draw, scale))
            for i in 0..<6 {
                let others = (0..<6).filter { $0 != i }
                let inDraw = draw.contains(i)
                let shift = (inDraw ? particles.selecting(rows: draw.filter { $0 != i }).columnMeans() : mean).map { $0 * scale }
                let without = PrototypeHeads(shots: shots.selecting(rows: others), shotLabels: others.map { labels[$0] }, verbalizers: verbalizers)
                let head = without.head(shift: shift, weight: weight, space: space, temperature: 1)
                var expected = HeadClassifier(head: head, fallbackTemperature: 1).predict(shots.selecting(rows: [i]))[0]
                if !inDraw && weight == 0 {
                    // Without a prototype weight nothing is left out: the full head.
                    expected = HeadClassifier(head: heads.head(shift: shift, weight: 0, space: space, temperature: 1), fallbackTemperature: 1)
                        .predict(shots.selecting(rows: [i]))[0]
                }
                XCTAssertEqual(predicted.shots[i], expected, "shot \(i), weight \(weight)")
            }
        }
    }
}
