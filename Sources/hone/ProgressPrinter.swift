import Foundation
import Hone
import Synchronization

/// Prints stage progress on stderr while a run goes, from the runner's ``RunEvent``s.
///
/// On a terminal each stage has one live line, rewritten in place (step, best scores so far,
/// calls used of the budget, cache hits, elapsed time and ETA) and kept when the stage ends;
/// otherwise the same facts are appended as plain lines, one a second at most.
final class ProgressPrinter: Sendable {
    private struct State {
        var last = Date.distantPast
        var lineOpen = false
        var latest: StageProgress?
    }

    private let state = Mutex(State())
    private let interactive = isatty(STDERR_FILENO) != 0

    /// Handles one event of the run.
    func handle(_ event: RunEvent) {
        switch event {
        case .progress(let progress):
            state.withLock { s in
                s.latest = progress
                let now = Date()
                guard now.timeIntervalSince(s.last) >= (interactive ? 0.2 : 1) else { return }
                s.last = now
                write(progress.line, state: &s)
            }
        case .stageEnded(let stage, _, let status, _, _, _, _):
            state.withLock { s in
                if let latest = s.latest, latest.stage == stage {
                    write(latest.line + (status == .done ? "" : " (\(status.rawValue))"), state: &s)
                }
                if s.lineOpen { FileHandle.standardError.write(Data("\n".utf8)) }
                s.lineOpen = false
                s.latest = nil
                s.last = .distantPast
            }
        default:
            break
        }
    }

    /// Ends the live line, if one is open.
    func finish() {
        state.withLock { s in
            if s.lineOpen { FileHandle.standardError.write(Data("\n".utf8)) }
            s.lineOpen = false
        }
    }

    private func write(_ line: String, state s: inout State) {
        if interactive {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + fitted(line)).utf8))
            s.lineOpen = true
        } else {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    /// `line` cut to the terminal's width, so rewriting it in place never wraps.
    private func fitted(_ line: String) -> String {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 1 else { return line }
        let width = Int(size.ws_col) - 1
        return line.count <= width ? line : String(line.prefix(width - 1)) + "…"
    }
}
