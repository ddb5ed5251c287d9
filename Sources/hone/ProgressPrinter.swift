import Foundation

/// Prints stage progress on stderr while a run goes: one line per second at most, rewritten in
/// place on a terminal, appended otherwise.
final class ProgressPrinter: @unchecked Sendable {
    private let lock = NSLock()
    private var last = Date.distantPast
    private let interactive = isatty(STDERR_FILENO) != 0
    private let stageNames: [String]

    init(stageNames: [String]) { self.stageNames = stageNames }

    func report(stage: Int, fraction: Double, message: String?) {
        lock.withLock {
            let now = Date()
            guard now.timeIntervalSince(last) >= 1 || fraction >= 1 else { return }
            last = now
            let name = stage < stageNames.count ? stageNames[stage] : "stage"
            let pct = fraction >= 0 ? String(format: "%3.0f%%", min(fraction, 1) * 100) : "  ?%"
            let line = "[\(stage + 1)/\(stageNames.count) \(name)] \(pct) \(message ?? "")"
            FileHandle.standardError.write(Data(((interactive ? "\r\u{1B}[K" : "") + line + (interactive ? "" : "\n")).utf8))
        }
    }

    func finish() {
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
