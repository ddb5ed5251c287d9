import Foundation

/// A run directory's ledger is missing, unreadable or does not describe a run that can be
/// resumed or reported. The message says what is missing and what to do.
public struct LedgerError: RemediableError, CustomStringConvertible, Sendable {
    /// What went wrong and what to do.
    public var message: String

    /// The fix the error proposes, for a front end to spell in its own terms.
    public var remedy: ErrorRemedy?

    /// Creates a ledger error.
    public init(_ message: String, remedy: ErrorRemedy? = nil) {
        self.message = message
        self.remedy = remedy
    }

    /// The message.
    public var description: String { message }

    /// The run directory itself does not exist.
    static func noRunDirectory(_ directory: String) -> LedgerError {
        LedgerError("\(directory) is not a directory; give the run directory a run wrote (its output directory, runs/<name> by default)")
    }

    /// The directory exists but holds no ledger.
    static func noLedger(_ directory: String) -> LedgerError {
        LedgerError("\(directory) has no run ledger (\(RunLedger.fileName) is missing); it was not written by a run of this version of Hone, so it cannot be resumed or reported")
    }

    /// The ledger file exists but records no run.
    static func noRun(_ path: String) -> LedgerError {
        let walGone = !FileManager.default.fileExists(atPath: path + "-wal")
        return LedgerError("\(path) records no run (its run table is empty\(walGone ? "; if the run was killed, its records may have been in \(path)-wal, which is gone" : "")); start the run again", remedy: .startNewRun)
    }

    /// The ledger was written with another schema.
    static func schema(_ path: String, found: Int) -> LedgerError {
        LedgerError("\(path) has ledger schema version \(found), but this hone reads version \(LedgerSchema.version); use the hone that wrote it")
    }

    /// A file named `ledger.sqlite` is there but is not a Hone ledger; Hone leaves it alone.
    static func foreign(_ path: String, reason: String) -> LedgerError {
        LedgerError("\(path) is not a Hone run ledger (\(reason)); Hone does not overwrite or write into it: give the run another output directory, or move the file away", remedy: .chooseOutputDirectory)
    }
}

extension LedgerError: LocalizedError {
    /// The same message as `description`, so `localizedDescription` reads as the CLI prints it.
    public var errorDescription: String? { description }
}
