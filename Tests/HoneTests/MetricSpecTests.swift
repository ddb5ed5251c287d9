import HoneSDK
import XCTest
@testable import Hone

/// Reading `task.metric`: names, objects, and refusals at their JSON path.
final class MetricSpecTests: XCTestCase {
    private func spec(_ json: JSONValue) throws -> MetricSpec {
        try MetricSpec(json: json, path: "$.task.metric", baseDirectory: "/")
    }

    private func refusal(_ json: JSONValue) -> ConfigError? {
        do { _ = try spec(json); return nil } catch { return error as? ConfigError }
    }

    func testReadsEveryNamedMetric() throws {
        for name in MetricSpec.names where name != "ffi" {
            XCTAssertEqual(try spec(.string(name)).name, name)
            XCTAssertEqual(try spec(["type": .string(name)]).name, name)
        }
        XCTAssertTrue(try spec("macro_f1").isClassification)
        XCTAssertFalse(try spec("rougeL").isClassification)
    }

    func testReadsMicroF1WithItsNullLabelAndChecksItAgainstTheLabels() throws {
        let micro = try spec(["type": "micro_f1", "null_label": "Other"])
        guard case .microF1(let null) = micro else { return XCTFail("\(micro)") }
        XCTAssertEqual(null, "Other")
        XCTAssertNoThrow(try micro.check(labels: ["Other", "Cause-Effect(e1,e2)"], path: "$.task.metric"))
        XCTAssertThrowsError(try micro.check(labels: ["A", "B"], path: "$.task.metric")) { error in
            XCTAssertEqual((error as? ConfigError)?.path, "$.task.metric.null_label")
        }
    }

    func testRefusesUnknownNamesKeysAndAnFFIMetricWithoutItsSettings() {
        XCTAssertEqual(refusal("f2")?.path, "$.task.metric")
        XCTAssertTrue(refusal("f2")?.message.contains("unknown metric \"f2\"") ?? false)
        XCTAssertEqual(refusal(["type": "bleu4"])?.path, "$.task.metric.type")
        XCTAssertEqual(refusal(["type": "rougeL", "stemmer": false])?.path, "$.task.metric.stemmer")
        XCTAssertEqual(refusal(["type": "micro_f1", "null": "Other"])?.path, "$.task.metric.null")
        XCTAssertEqual(refusal("ffi")?.path, "$.task.metric")
        XCTAssertEqual(refusal(["type": "ffi", "library": "/nonexistent/lib.so", "symbol": "f", "signature": "double(const char*, const char*)"])?.path, "$.task.metric.library")
        XCTAssertEqual(refusal(["library": "x"])?.path, "$.task.metric.type")
    }
}
