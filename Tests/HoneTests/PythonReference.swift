import Foundation
import HoneSDK
import XCTest

/// Runs reference implementations in Python on the same inputs as the Swift metrics.
///
/// The first use installs `rouge-score`, `sacrebleu` and `scikit-learn` from PyPI if they are
/// missing (`python3 -m pip install -q ...`) and starts one python3 process that serves every
/// check of the test run, so each library is imported once. A check sends a script that reads
/// `INPUT` (the JSON input) and sets `OUTPUT` (a JSON-serializable answer). The tests are
/// skipped only if there is no python3.
enum PythonReference {
    /// The PyPI packages the reference checks import.
    static let packages = ["rouge-score", "sacrebleu", "scikit-learn"]

    private static let server = """
        import json, sys, traceback
        for line in sys.stdin:
            request = json.loads(line)
            scope = {"__name__": "reference", "INPUT": request["input"]}
            try:
                exec(request["script"], scope)
                reply = {"output": scope["OUTPUT"]}
            except Exception:
                reply = {"error": traceback.format_exc()}
            sys.stdout.write(json.dumps(reply) + "\\n")
            sys.stdout.flush()
        """

    private final class Session {
        let process = Process()
        let input = Pipe(), output = Pipe()
        var buffer = Data()
        let lock = NSLock()

        init() throws {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-u", "-c", PythonReference.server]
            process.standardInput = input
            process.standardOutput = output
            try process.run()
        }

        func call(_ request: JSONValue) throws -> JSONValue {
            lock.lock()
            defer { lock.unlock() }
            input.fileHandleForWriting.write(Data((request.serialized() + "\n").utf8))
            while true {
                if let newline = buffer.firstIndex(of: 0x0A) {
                    let line = buffer[buffer.startIndex..<newline]
                    buffer.removeSubrange(buffer.startIndex...newline)
                    return try JSONValue(parsingUTF8: Array(line))
                }
                let chunk = output.fileHandleForReading.availableData
                guard !chunk.isEmpty else { throw PythonReferenceError(message: "the python3 reference process exited") }
                buffer.append(chunk)
            }
        }
    }

    // Made once, on first use (a static `let` is initialized exactly once), and used by one test at a time.
    nonisolated(unsafe) private static let session: Result<Session, Error> = {
        guard run(["python3", "-c", "import sys"]).status == 0 else {
            return .failure(XCTSkip("python3 is not installed; the reference-implementation checks need it"))
        }
        let probe = ["python3", "-c", "import rouge_score, sacrebleu, sklearn, nltk"]
        if run(probe).status != 0 {
            let install = run(["python3", "-m", "pip", "install", "-q"] + packages)
            guard install.status == 0, run(probe).status == 0 else {
                return .failure(PythonReferenceError(message: "could not install \(packages.joined(separator: ", ")) with pip: \(install.output)"))
            }
        }
        return Result { try Session() }
    }()

    /// Runs `script` with `INPUT` bound to `input` and returns what it put in `OUTPUT`.
    static func evaluate(_ script: String, input: JSONValue) throws -> JSONValue {
        let reply = try session.get().call(["script": .string(script), "input": input])
        if let error = reply["error"]?.stringValue { throw PythonReferenceError(message: "the reference script failed:\n\(error)") }
        guard let output = reply["output"] else { throw PythonReferenceError(message: "the reference process sent no output") }
        return output
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
