import Foundation
import HoneSDK
import Synchronization

/// The run's event stream, `events.jsonl` in the run directory: one JSON object a line,
/// appended and flushed as the run goes, so another program can follow it (`tail -f`).
///
/// A new `hone run` into a directory starts the file afresh (as it does the ledger); `hone
/// resume` appends to it, so the file tells every session in order. The format is in
/// docs/runs.md.
final class RunEventLog: Sendable {
    /// The file's name inside a run directory.
    static let fileName = "events.jsonl"

    /// The file.
    let path: String
    private let handle: Mutex<FileHandle>

    /// Opens `directory/events.jsonl` for appending (creating the directory and file), or
    /// starts it empty when `fresh`.
    init(directory: String, fresh: Bool) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        path = directory + "/" + Self.fileName
        if fresh || !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw LedgerError("\(path): the event stream could not be created; check that the run directory is writable")
            }
        }
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try file.seekToEnd()
        handle = Mutex(file)
    }

    deinit { handle.withLock { try? $0.close() } }

    /// Appends `event` as one line, stamped with `time`. A failed write is thrown (the runner
    /// logs it; the run goes on).
    func append(_ event: RunEvent, time: Date = Date()) throws {
        let data = Data((event.line(time: time) + "\n").utf8)
        try handle.withLock { try $0.write(contentsOf: data) }
    }

    /// The events recorded in `directory/events.jsonl`, each as its JSON object, in order. A
    /// line that does not parse (a run killed in the middle of writing one) is skipped.
    static func events(in directory: String) throws -> [JSONValue] {
        let file = directory + "/" + fileName
        guard let data = FileManager.default.contents(atPath: file) else {
            throw LedgerError("\(file) is missing: the run directory holds no event stream (runs made before Hone wrote one have none)")
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { try? JSONValue(parsing: String($0)) }
    }
}
