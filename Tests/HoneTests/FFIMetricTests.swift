import Foundation
import HoneSDK
import Synchronization
import XCTest
@testable import Hone

/// The `ffi` evaluator against a small C metric library compiled for the test.
final class FFIMetricTests: XCTestCase {
    private static let source = """
        #include <string.h>
        double length_ratio(const char *prediction, const char *reference) {
            size_t r = strlen(reference);
            return (double)strlen(prediction) / (double)(r ? r : 1);
        }
        int exact(const char *p, const char *r) { return strcmp(p, r) == 0; }
        long same_length(const char *p, long pn, const char *r, int rn) { return pn == (long)rn ? 1 : 0; }
        float weighted(const char *input, const char *p, const char *r) { return (float)(strlen(input) + 2 * strlen(p) + 3 * strlen(r)); }
        long shout(char *p) { long n = 0; for (; *p; p++) if (*p >= 'a' && *p <= 'z') { *p -= 32; n++; } return n; }
        double count_bytes(void *p, long n, const char *r) { const unsigned char *b = p; double s = 0; for (long i = 0; i < n; i++) s += b[i] == 0; return s; }
        double not_a_number(const char *p, const char *r) { return 0.0 / 0.0 * (p[0] != 1); }
        """

    nonisolated(unsafe) private static var library: String?

    /// Compiles the C library once per test run (`cc -shared -fPIC`).
    private func compiledLibrary() throws -> String {
        if let library = FFIMetricTests.library { return library }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hone-ffi-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let c = dir.appendingPathComponent("metric.c").path, so = dir.appendingPathComponent("libmetric.so").path
        try FFIMetricTests.source.write(toFile: c, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["cc", "-shared", "-fPIC", "-O1", "-o", so, c]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw XCTSkip("no C compiler (cc) to build the test metric library") }
        FFIMetricTests.library = so
        return so
    }

    func testCallsDoubleOfPredictionAndReference() throws {
        let metric = try FFIMetric(library: try compiledLibrary(), symbol: "length_ratio", signature: "double(const char*, const char*)")
        XCTAssertEqual(try metric.score(input: "ignored", prediction: "abcdef", reference: "abc"), 2)
        XCTAssertEqual(try metric.score(input: "", prediction: "é", reference: "ab"), 1, "lengths are UTF-8 bytes")
        XCTAssertFalse(metric.usesInput)
        XCTAssertEqual(try metric.scores(inputs: [], predictions: ["a", "aaaa"], references: ["aa", "aa"]), [0.5, 2])
    }

    func testCallsIntLongAndFloatFunctionsWithInputAndLengths() throws {
        let lib = try compiledLibrary()
        let exact = try FFIMetric(library: lib, symbol: "exact", signature: "int (const char *prediction, const char *reference)")
        XCTAssertEqual(try exact.score(input: "", prediction: "same", reference: "same"), 1)
        XCTAssertEqual(try exact.score(input: "", prediction: "same", reference: "other"), 0)

        let lengths = try FFIMetric(library: lib, symbol: "same_length", signature: "long(const char*, long, const char*, int)")
        XCTAssertEqual(try lengths.score(input: "", prediction: "abc", reference: "xyz"), 1)
        XCTAssertEqual(try lengths.score(input: "", prediction: "abc", reference: "xy"), 0)

        let weighted = try FFIMetric(library: lib, symbol: "weighted", signature: "float(const char*, const char*, const char*)")
        XCTAssertTrue(weighted.usesInput)
        XCTAssertEqual(try weighted.score(input: "i", prediction: "pp", reference: "rrr"), 1 + 4 + 9)

        let shout = try FFIMetric(library: lib, symbol: "shout", signature: "long(char*)")
        XCTAssertEqual(try shout.score(input: "", prediction: "Hello", reference: "unused"), 4)
        XCTAssertEqual(try shout.score(input: "", prediction: "Hello", reference: "unused"), 4, "each call gets a fresh writable copy")

        let bytes = try FFIMetric(library: lib, symbol: "count_bytes", signature: "double(void*, long, const char*)")
        XCTAssertEqual(try bytes.score(input: "", prediction: "a\u{0}b\u{0}", reference: "r"), 2, "with a length, a text may contain NUL bytes")
    }

    func testOnePreparedCallServesManyThreadsAtOnce() throws {
        let metric = try FFIMetric(library: try compiledLibrary(), symbol: "length_ratio", signature: "double(const char*, const char*)")
        let results = Mutex([Double](repeating: -2, count: 2000))
        DispatchQueue.concurrentPerform(iterations: 2000) { k in
            let score = (try? metric.score(input: "", prediction: String(repeating: "x", count: k % 7), reference: "xx")) ?? -1
            results.withLock { $0[k] = score }
        }
        let scores = results.withLock { $0 }
        for k in 0..<2000 { XCTAssertEqual(scores[k], Double(k % 7) / 2) }
    }

    func testRefusesMissingLibraryNamingIt() {
        XCTAssertThrowsError(try FFIMetric(library: "/nonexistent/libnothing.so", symbol: "f", signature: "double(const char*, const char*)")) { error in
            let e = error as! FFIMetricError
            XCTAssertEqual(e.code, .libraryNotFound)
            XCTAssertTrue(e.message.contains("/nonexistent/libnothing.so"), e.message)
        }
    }

    func testRefusesMissingSymbolNamingIt() throws {
        let lib = try compiledLibrary()
        XCTAssertThrowsError(try FFIMetric(library: lib, symbol: "no_such_metric", signature: "double(const char*, const char*)")) { error in
            let e = error as! FFIMetricError
            XCTAssertEqual(e.code, .symbolNotFound)
            XCTAssertTrue(e.message.contains("no_such_metric") && e.message.contains(lib), e.message)
        }
    }

    func testRefusesSignaturesItCannotCall() throws {
        let lib = try compiledLibrary()
        let cases: [(String, String)] = [
            ("void(const char*, const char*)", "return type \"void\""),
            ("const char*(const char*, const char*)", "return type \"const char*\""),
            ("double(struct pair*, const char*)", "parameter 1 has type \"struct pair*\""),
            ("double(unsigned int, const char*)", "parameter 1 has type \"unsigned int\""),
            ("double(double, const char*)", "parameter 1 (double) has no value to receive"),
            ("double(int, const char*, const char*)", "parameter 1 (int) has no value to receive"),
            ("double(const char*, const char*, const char*, const char*)", "4 text parameters"),
            ("double()", "0 text parameters"),
            ("double const char*", "expected the form"),
            ("double(const char[], const char*)", "unexpected \"[\""),
        ]
        for (signature, expected) in cases {
            XCTAssertThrowsError(try FFIMetric(library: lib, symbol: "length_ratio", signature: signature), signature) { error in
                let e = error as! FFIMetricError
                XCTAssertEqual(e.code, .unsupportedSignature, signature)
                XCTAssertTrue(e.message.contains(expected), "\(signature): \(e.message)")
            }
        }
    }

    func testRefusesTextWithNULWithoutLengthAndNonFiniteResults() throws {
        let lib = try compiledLibrary()
        let ratio = try FFIMetric(library: lib, symbol: "length_ratio", signature: "double(const char*, const char*)")
        XCTAssertThrowsError(try ratio.score(input: "", prediction: "a\u{0}b", reference: "x")) { error in
            XCTAssertEqual((error as! FFIMetricError).code, .unusableText)
            XCTAssertTrue("\(error)".contains("prediction"), "\(error)")
        }
        let nan = try FFIMetric(library: lib, symbol: "not_a_number", signature: "double(const char*, const char*)")
        XCTAssertThrowsError(try nan.score(input: "", prediction: "a", reference: "b")) { error in
            XCTAssertEqual((error as! FFIMetricError).code, .invalidResult)
        }
    }

    func testReadsConfigAndReportsProblemsAtTheirJSONPath() throws {
        let lib = try compiledLibrary()
        let dir = URL(fileURLWithPath: lib).deletingLastPathComponent().path
        let ok = try FFIMetric(config: try ConfigObject(["type": "ffi", "library": "./libmetric.so", "symbol": "length_ratio", "signature": "double(const char*, const char*)"], path: "$.task.metric"), baseDirectory: dir)
        XCTAssertEqual(ok.library, lib)
        XCTAssertEqual(try ok.score(input: "", prediction: "ab", reference: "ab"), 1)

        func refusal(_ json: JSONValue) -> ConfigError? {
            do { _ = try FFIMetric(config: try ConfigObject(json, path: "$.task.metric"), baseDirectory: dir); return nil } catch { return error as? ConfigError }
        }
        XCTAssertEqual(refusal(["library": "./libnothing.so", "symbol": "length_ratio", "signature": "double(const char*, const char*)"])?.path, "$.task.metric.library")
        XCTAssertEqual(refusal(["library": "./libmetric.so", "symbol": "nope", "signature": "double(const char*, const char*)"])?.path, "$.task.metric.symbol")
        XCTAssertEqual(refusal(["library": "./libmetric.so", "symbol": "length_ratio", "signature": "double(float, const char*)"])?.path, "$.task.metric.signature")
        XCTAssertEqual(refusal(["library": "./libmetric.so", "symbol": "length_ratio"])?.path, "$.task.metric.signature")
        XCTAssertEqual(refusal(["library": "./libmetric.so", "symbol": "length_ratio", "signature": "double(const char*, const char*)", "sigature": "x"])?.path, "$.task.metric.sigature")
    }
}
