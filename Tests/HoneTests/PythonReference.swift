import Foundation
import HoneSDK
import XCTest

/// Runs a reference implementation in Python on the same inputs as a Swift metric.
///
/// The first use installs `rouge-score`, `sacrebleu` and `scikit-learn` from PyPI if they are
/// missing (`python3 -m pip install -q ...`). The test is skipped only if there is no python3.
enum PythonReference {
    /// The PyPI packages the reference checks import.
    static let packages = ["rouge-score", "sacrebleu", "scikit-learn"]

    private static let setUp: Result<Void, Error> = {
        guard run(["python3", "-c", "import sys"]).status == 0 else {
            return .failure(XCTSkip("python3 is not installed; the reference-implementation checks need it"))
        }
        if run(["python3", "-c", "import rouge_score, sacrebleu, sklearn, nltk"]).status == 0 { return .success(()) }
        let install = run(["python3", "-m", "pip", "install", "-q"] + packages)
        guard install.status == 0, run(["python3", "-c", "import rouge_score, sacrebleu, sklearn, nltk"]).status == 0 else {
            return .failure(PythonReferenceError(message: "could not install \(packages.joined(separator: ", ")) with pip: \(install.output)"))
        }
        return .success(())
    }()

    /// Ensures the packages are importable.
    static func require() throws { try setUp.get() }

    /// Runs `script` with the path of a JSON file holding `input` as `sys.argv[1]`; the script
    /// writes its answer as JSON to `sys.argv[2]`.
    static func evaluate(_ script: String, input: JSONValue) throws -> JSONValue {
        try require()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hone-python-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let inputPath = dir.appendingPathComponent("in.json").path, outputPath = dir.appendingPathComponent("out.json").path
        let scriptPath = dir.appendingPathComponent("reference.py").path
        try input.serialized().write(toFile: inputPath, atomically: true, encoding: .utf8)
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        let result = run(["python3", scriptPath, inputPath, outputPath])
        guard result.status == 0 else { throw PythonReferenceError(message: "the reference script failed: \(result.output)") }
        return try JSONValue(parsingUTF8: Array(try Data(contentsOf: URL(fileURLWithPath: outputPath))))
    }

    @discardableResult
    static func run(_ arguments: [String]) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return (-1, "\(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// The Python side of a reference check failed.
struct PythonReferenceError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
