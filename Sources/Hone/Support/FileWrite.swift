import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Writes a run's files (result, best prompt, checkpoints) atomically, and says what failed in
/// words a user can act on: the file, what it is, and the operating system's reason
/// ("No space left on device (ENOSPC)"), never Foundation's `NSCocoaErrorDomain Code=640`.
///
/// Plain POSIX calls, so the `errno` of the step that failed is what the message names: the
/// folder is created level by level, the text written to a temporary file beside the target,
/// which then replaces it with `rename`.
enum FileWrite {
    /// Writes `text` to `path` (creating its folder), replacing the file in one step.
    static func atomically(_ text: String, to path: String, what: String) throws {
        func fail(_ step: String, _ code: Int32) -> FileWriteError {
            FileWriteError("cannot write the \(what) \(path) (\(step)): \(FileSystemReason.errno(code)); free space on that disk or check its permissions, then run again (resuming the run continues it)")
        }
        let folder = (path as NSString).deletingLastPathComponent
        var built = folder.hasPrefix("/") ? "" : "."
        for part in folder.split(separator: "/") {
            built += "/" + part
            if mkdir(built, 0o755) != 0, errno != EEXIST { throw fail("creating \(built)", errno) }
        }
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw fail("creating it", errno) }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(fd)
                unlink(temporary)
                throw fail("writing it", code)
            }
            bytes = bytes.dropFirst(n)
        }
        if close(fd) != 0 {
            let code = errno
            unlink(temporary)
            throw fail("closing it", code)
        }
        if rename(temporary, path) != 0 {
            let code = errno
            unlink(temporary)
            throw fail("replacing it", code)
        }
    }
}

/// A file of the run could not be written; the message names it and the OS reason.
public struct FileWriteError: RemediableError, CustomStringConvertible, Sendable {
    /// What could not be written, where, why, and what to do.
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

extension FileWriteError: LocalizedError {
    /// The same message as `description`, so `localizedDescription` reads as the CLI prints it.
    public var errorDescription: String? { description }
}
