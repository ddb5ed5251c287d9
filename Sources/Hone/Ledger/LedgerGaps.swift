import Foundation
import HoneSDK
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Ledger writes that failed (a full disk, a permission change), so that a ledger that missed
/// records says so instead of passing for a complete one.
///
/// A run goes on when a ledger write fails (the runner logs it), so the ledger may count fewer
/// calls than the run made, and a resumed stage would then be given budget it already spent.
/// Two traces make that visible: at once, an empty marker file `ledger.sqlite-incomplete`
/// (creating an empty file needs no free data blocks, so it usually succeeds on a full disk);
/// and with the next write that succeeds, a `ledger_gaps` row per session (how many writes
/// failed, the first error). ``RunLedger/accountingGaps()`` reads both; `hone resume` warns
/// that the run's call counts cannot be trusted.
final class LedgerGaps: Sendable {
    private struct Counts {
        var failed = 0
        var recorded = 0
        var firstError: String?
    }
    private let counts = Mutex(Counts())

    /// Notes a failed write of the ledger at `path`.
    func noteFailure(_ error: Error, ledger path: String) {
        counts.withLock { counts in
            counts.failed += 1
            if counts.firstError == nil { counts.firstError = "\(error)" }
        }
        let fd = open(path + LedgerGaps.markerSuffix, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        if fd >= 0 { close(fd) }
    }

    /// The failures not yet written to the ledger, marking them written.
    func pending() -> (failed: Int, firstError: String)? {
        counts.withLock { counts in
            guard counts.failed > counts.recorded, let firstError = counts.firstError else { return nil }
            return (counts.failed, firstError)
        }
    }

    /// Marks `count` failures as recorded (after the transaction that wrote them committed).
    func recorded(_ count: Int) { counts.withLock { $0.recorded = max($0.recorded, count) } }

    /// The marker file's suffix after the ledger's path.
    static let markerSuffix = "-incomplete"

    /// The table, created on first use.
    static let table = """
        CREATE TABLE IF NOT EXISTS ledger_gaps (
            session INTEGER PRIMARY KEY,
            failed_writes INTEGER NOT NULL,
            first_error TEXT NOT NULL,
            time REAL NOT NULL
        )
        """
}

/// Ledger writes a session lost.
public struct LedgerGap: Sendable, Equatable {
    /// The session (nil: known only from the marker file, count unknown).
    public var session: Int?
    /// How many writes failed (nil when unknown).
    public var failedWrites: Int?
    /// The first failure's message, when recorded.
    public var firstError: String?
}

extension RunLedger {
    /// Runs `body` in a transaction; a failure is noted in ``gaps`` (and the marker file) and
    /// rethrown; a success also records earlier failures of this session in `ledger_gaps`.
    func write<R>(_ body: () throws -> R) throws -> R {
        do {
            var recordedNow: Int?
            let result = try database.transaction { () -> R in
                let r = try body()
                if let pending = gaps.pending() {
                    try database.execute(LedgerGaps.table)
                    let s = try database.prepare("""
                        INSERT INTO ledger_gaps (session, failed_writes, first_error, time) VALUES (?, ?, ?, ?)
                        ON CONFLICT (session) DO UPDATE SET failed_writes = excluded.failed_writes, time = excluded.time
                        """)
                    s.bind(1, int: session)
                    s.bind(2, int: pending.failed)
                    s.bind(3, text: pending.firstError)
                    s.bind(4, double: Date().timeIntervalSince1970)
                    _ = try s.step()
                    recordedNow = pending.failed
                }
                return r
            }
            if let recordedNow { gaps.recorded(recordedNow) }
            return result
        } catch {
            gaps.noteFailure(error, ledger: path)
            throw error
        }
    }

    /// The sessions whose ledger writes failed: rows of `ledger_gaps`, and, when the marker
    /// file exists without a row, one gap of unknown size. Empty: the ledger saw every write.
    public func accountingGaps() throws -> [LedgerGap] {
        var found: [LedgerGap] = try database.locked {
            let exists = try database.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'ledger_gaps'")
            guard try exists.step(), exists.int(0) > 0 else { return [] }
            let s = try database.prepare("SELECT session, failed_writes, first_error FROM ledger_gaps ORDER BY session")
            var rows: [LedgerGap] = []
            while try s.step() { rows.append(LedgerGap(session: s.int(0), failedWrites: s.int(1), firstError: s.text(2))) }
            return rows
        }
        if found.isEmpty, FileManager.default.fileExists(atPath: path + LedgerGaps.markerSuffix) {
            found.append(LedgerGap(session: nil, failedWrites: nil, firstError: nil))
        }
        return found
    }
}
