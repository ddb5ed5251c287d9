import Foundation

extension PipelineRunner {
    /// Takes the output directory's ``RunDirectoryLock`` for the run (nil without an output
    /// directory); throws when another process is writing there. A stale lock left by a
    /// process that ended without releasing it is taken over and logged.
    func lockRunDirectory() throws -> RunDirectoryLock? {
        guard let outputDirectory else { return nil }
        let lock = try RunDirectoryLock.acquire(outputDirectory)
        if let stale = lock.staleHolder {
            logger.info("\(outputDirectory): taking over the run lock left by process \(stale), which is no longer running")
        }
        return lock
    }

    /// Warns when the ledger missed writes in an earlier session: its call counts, and so the
    /// budget a resumed stage is given, may then be lower than what the run really spent.
    func warnOfAccountingGaps(_ ledger: RunLedger) {
        guard let gaps = try? ledger.accountingGaps(), !gaps.isEmpty else { return }
        let what = gaps.map { gap in
            gap.session.map { "session \($0): \(gap.failedWrites ?? 0) failed write(s), the first: \(gap.firstError ?? "?")" }
                ?? "an earlier session (\(ledger.path)\(LedgerGaps.markerSuffix) exists)"
        }.joined(separator: "; ")
        logger.warning("the run ledger \(ledger.path) missed writes in \(what); its counts of calls and candidates may be lower than what the run really made, so this run's accounting cannot be trusted")
    }
}
