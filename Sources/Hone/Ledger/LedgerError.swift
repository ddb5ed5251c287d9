import Foundation

/// A run directory's ledger is missing, unreadable or does not describe a run that can be
/// resumed or reported. The message says what is missing and what to do.
public struct LedgerError: Error, CustomStringConvertible, Sendable {
    /// What went wrong and what to do.
    public var message: String

    /// Creates a ledger error.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }

    /// The run directory itself does not exist.
    static func noRunDirectory(_ directory: String) -> LedgerError {
        LedgerError("\(directory) is not a directory; give the run directory `hone run` wrote (its --out, or runs/<name>)")
    }

    /// The directory exists but holds no ledger.
    static func noLedger(_ directory: String) -> LedgerError {
        LedgerError("\(directory) has no run ledger (\(RunLedger.fileName) is missing); it was not written by `hone run` of this version, so it cannot be resumed or reported")
    }

    /// The ledger file exists but records no run.
    static func noRun(_ path: String) -> LedgerError {
        let walGone = !FileManager.default.fileExists(atPath: path + "-wal")
        return LedgerError("\(path) records no run (its run table is empty\(walGone ? "; if the run was killed, its records may have been in \(path)-wal, which is gone" : "")); start the run again with `hone run`")
    }

    /// The ledger was written with another schema.
    static func schema(_ path: String, found: Int) -> LedgerError {
        LedgerError("\(path) has ledger schema version \(found), but this hone reads version \(LedgerSchema.version); use the hone that wrote it")
    }

    /// A file named `ledger.sqlite` is there but is not a Hone ledger; Hone leaves it alone.
    static func foreign(_ path: String, reason: String) -> LedgerError {
        LedgerError("\(path) is not a Hone run ledger (\(reason)); hone does not overwrite or write into it: give another run directory (--out), or move the file away")
    }
}
