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
}
