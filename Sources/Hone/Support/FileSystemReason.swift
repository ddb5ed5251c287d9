import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The operating system's reason for a failed file operation, in words a user can act on
/// ("No space left on device (ENOSPC)"), instead of Foundation's `NSCocoaErrorDomain Code=…`.
enum FileSystemReason {
    /// The reason behind `error`: its POSIX errno when Foundation wrapped one, else its text.
    static func describe(_ error: Error) -> String {
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return Self.errno(Int32(ns.code)) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return Self.errno(Int32(underlying.code))
        }
        switch ns.code {
        case NSFileWriteOutOfSpaceError: return Self.errno(ENOSPC)
        case NSFileWriteNoPermissionError, NSFileReadNoPermissionError: return Self.errno(EACCES)
        case NSFileWriteVolumeReadOnlyError: return Self.errno(EROFS)
        case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return Self.errno(ENOENT)
        default: break
        }
        return ns.localizedDescription
    }

    /// `strerror` of `code` with its symbolic name when it is a common one.
    static func errno(_ code: Int32) -> String {
        let names: [Int32: String] = [
            ENOSPC: "ENOSPC", EACCES: "EACCES", EPERM: "EPERM", EROFS: "EROFS", ENOENT: "ENOENT", EDQUOT: "EDQUOT",
            EIO: "EIO", ELOOP: "ELOOP", EISDIR: "EISDIR", ENOTDIR: "ENOTDIR", EEXIST: "EEXIST", EMFILE: "EMFILE",
        ]
        let text = String(cString: strerror(code))
        return names[code].map { "\(text) (\($0))" } ?? "\(text) (errno \(code))"
    }
}
