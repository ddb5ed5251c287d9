import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The one-writer lock of a run directory, `<run dir>/run.lock`: `hone run` and `hone resume`
/// hold it for the whole life of the run, so a second writer into the same directory is
/// refused before it touches the ledger, the checkpoints or the result.
///
/// The lock is an advisory `flock(2)` on the file, which the kernel releases when the holder's
/// process ends in any way (exit, crash, `kill -9`): a lock file left behind by a dead process
/// is therefore never mistaken for a live writer. The file holds the holder's PID, which a
/// refusal names; a lock file found unlocked with another PID in it is a stale lock and is
/// reported through ``staleHolder``.
///
/// > Warning: `flock` locks belong to an open file description, so two runners in one
/// > process exclude each other too. On network file systems without `flock` support the
/// > refusal may not happen; keep run directories on local disks.
final class RunDirectoryLock: Sendable {
    /// The lock file's name inside a run directory.
    static let fileName = "run.lock"

    /// The lock file.
    let path: String
    /// The PID recorded by an earlier holder that ended without releasing (a stale lock taken
    /// over), or nil.
    let staleHolder: Int32?
    /// The lock file's descriptor while held, -1 once released.
    private let descriptor: Mutex<Int32>

    private init(path: String, descriptor: Int32, staleHolder: Int32?) {
        self.path = path
        self.descriptor = Mutex(descriptor)
        self.staleHolder = staleHolder
    }

    deinit { release() }

    /// Takes the lock of `directory` (created if missing) without waiting. Throws a
    /// ``RunDirectoryLockError`` naming the holder's PID when another writer holds it, or the
    /// path and the OS reason when the lock file cannot be created.
    static func acquire(_ directory: String) throws -> RunDirectoryLock {
        let path = directory + "/" + fileName
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw RunDirectoryLockError("cannot create the run directory \(directory): \(FileSystemReason.describe(error)); choose another output directory", remedy: .chooseOutputDirectory)
        }
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o644)
        guard fd >= 0 else {
            throw RunDirectoryLockError("cannot open the run lock \(path): \(FileSystemReason.errno(errno)); check the directory is writable")
        }
        let previous = readPID(fd)
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let reason = errno
            Glibc.close(fd)
            if reason == EWOULDBLOCK {
                throw RunDirectoryLockError(
                    "\(directory) is in use by another Hone run (pid \(previous.map(String.init) ?? "unknown"), lock \(path)); wait for it to end, stop it, or choose another output directory",
                    remedy: .chooseOutputDirectory)
            }
            throw RunDirectoryLockError("cannot lock \(path): \(FileSystemReason.errno(reason))")
        }
        // Locked: whoever wrote the PID before us has ended (or is us, in an earlier session).
        let own = getpid()
        let text = "\(own)\n"
        _ = ftruncate(fd, 0)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
        let stale = previous.flatMap { $0 != own && $0 > 0 ? $0 : nil }
        return RunDirectoryLock(path: path, descriptor: fd, staleHolder: stale)
    }

    /// The PID a lock file names, when it holds one.
    static func holder(of directory: String) -> Int32? {
        let fd = Glibc.open(directory + "/" + fileName, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { Glibc.close(fd) }
        return readPID(fd)
    }

    /// Whether another process holds the lock of `directory` now (a run is writing there).
    static func isHeld(_ directory: String) -> Bool {
        let fd = Glibc.open(directory + "/" + fileName, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else { return false }
        defer { Glibc.close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            _ = flock(fd, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK
    }

    /// Releases the lock (also done when the lock is deallocated or the process ends). The
    /// file stays, with the PID of its last holder.
    func release() {
        descriptor.withLock { descriptor in
            guard descriptor >= 0 else { return }
            _ = flock(descriptor, LOCK_UN)
            Glibc.close(descriptor)
            descriptor = -1
        }
    }

    private static func readPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 31, 0) }
        guard n > 0 else { return nil }
        return Int32(String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// A run directory is in use by another writer, or its lock cannot be taken.
public struct RunDirectoryLockError: RemediableError, CustomStringConvertible, Sendable {
    /// What went wrong and what to do.
    public var message: String
    /// The fix the error proposes, for a front end to spell in its own terms.
    public var remedy: ErrorRemedy?

    /// Creates the error.
    public init(_ message: String, remedy: ErrorRemedy? = nil) {
        self.message = message
        self.remedy = remedy
    }
    /// The message.
    public var description: String { message }
}

extension RunDirectoryLockError: LocalizedError {
    /// The same message as `description`, so `localizedDescription` reads as the CLI prints it.
    public var errorDescription: String? { description }
}
