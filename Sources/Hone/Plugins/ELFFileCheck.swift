import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Checks a plugin file before `dlopen` sees it, so discovery never crashes or hangs on what it
/// finds on a plugin path.
///
/// The file is looked at with `stat` first and opened only when it is a regular file, with
/// `O_NONBLOCK` (a FIFO named `x.so` is refused, never waited on). Its ELF header must be a
/// 64-bit little-endian shared object for this machine, and its program headers, every
/// loadable segment and the section header table must lie inside the file: the system loader
/// maps segments with `mmap`, and touching a page past the end of a truncated file raises
/// SIGBUS inside `dlopen`. Every refusal is a sentence naming what is wrong.
enum ELFFileCheck {
    /// `ET_DYN`: a shared object (or position-independent executable).
    static let sharedObjectType: UInt16 = 3
    /// `PT_LOAD`, `PT_DYNAMIC`: the program headers whose file bytes the loader reads.
    private static let loadedSegmentTypes: Set<UInt32> = [1, 2]
    /// This machine's `e_machine`.
    static let hostMachine: UInt16 = {
        #if arch(x86_64)
        return 62  // EM_X86_64
        #elseif arch(arm64)
        return 183  // EM_AARCH64
        #else
        return 0
        #endif
    }()

    /// Why the file at `path` must not be given to `dlopen`, or nil when it may be.
    static func problem(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            if code == ELOOP { return "it is a symbolic link loop (\(FileSystemReason.errno(code)))" }
            if code == ENOENT, lstat(path, &info) == 0 { return "it is a symbolic link to a file that does not exist" }
            return "it cannot be examined: \(FileSystemReason.errno(code))"
        }
        if let kind = nonRegularKind(info.st_mode) { return "it is \(kind), not a regular file" }
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { return "it cannot be opened: \(FileSystemReason.errno(errno))" }
        defer { close(fd) }
        // What was opened may differ from what was examined (the path changed in between).
        guard fstat(fd, &info) == 0 else { return "it cannot be examined: \(FileSystemReason.errno(errno))" }
        if let kind = nonRegularKind(info.st_mode) { return "it is \(kind), not a regular file" }
        return headerProblem(fd: fd, size: UInt64(info.st_size))
    }

    private static func nonRegularKind(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFSOCK: return "a socket"
        case S_IFCHR, S_IFBLK: return "a device"
        default: return "not a file"
        }
    }

    /// Reads `count` bytes at `offset`, or nil when the file is shorter.
    private static func read(_ fd: Int32, offset: UInt64, count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
        return n == count ? bytes : nil
    }

    private static func u16(_ b: [UInt8], _ o: Int) -> UInt16 { UInt16(b[o]) | UInt16(b[o + 1]) << 8 }
    private static func u32(_ b: [UInt8], _ o: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(b[o + $1]) << (8 * $1) } }
    private static func u64(_ b: [UInt8], _ o: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(b[o + $1]) << (8 * $1) } }

    /// Whether `[offset, offset + length)` lies inside a file of `size` bytes (no overflow).
    private static func inside(_ offset: UInt64, _ length: UInt64, _ size: UInt64) -> Bool {
        offset <= size && length <= size - offset
    }

    private static func headerProblem(fd: Int32, size: UInt64) -> String? {
        guard let h = read(fd, offset: 0, count: 64) else {
            return size < 4 ? "it has no ELF header (\(size) bytes)" : (read(fd, offset: 0, count: 4) == [0x7F, 0x45, 0x4C, 0x46] ? "it is truncated inside its ELF header (\(size) bytes)" : "it has no ELF header")
        }
        guard h[0..<4].elementsEqual([0x7F, 0x45, 0x4C, 0x46]) else { return "it has no ELF header" }
        guard h[4] == 2, h[5] == 1 else { return "it is not a 64-bit little-endian ELF file (class \(h[4]), data \(h[5])); build it for this platform" }
        guard u16(h, 16) == sharedObjectType else { return "it is an ELF file of type \(u16(h, 16)), not a shared object; build it with `cc -shared -fPIC`" }
        let machine = u16(h, 18)
        guard hostMachine == 0 || machine == hostMachine else { return "it is built for machine \(machine), this host is machine \(hostMachine); build it for this platform" }
        let phoff = u64(h, 32), shoff = u64(h, 40)
        let phentsize = UInt64(u16(h, 54)), phnum = UInt64(u16(h, 56))
        let shentsize = UInt64(u16(h, 58)), shnum = UInt64(u16(h, 60))
        guard phnum > 0, phentsize >= 56 else { return "its ELF header declares no usable program headers" }
        guard inside(phoff, phentsize * phnum, size) else {
            return "it is truncated or corrupt: its program headers (bytes \(phoff)..<\(phoff + phentsize * phnum)) lie outside the file (\(size) bytes)"
        }
        if shnum > 0, !inside(shoff, shentsize * shnum, size) {
            return "it is truncated or corrupt: its section headers (bytes \(shoff)..<\(shoff &+ shentsize &* shnum)) lie outside the file (\(size) bytes)"
        }
        for i in 0..<phnum {
            guard let p = read(fd, offset: phoff + i * phentsize, count: 56) else { return "its program header \(i) cannot be read" }
            let type = u32(p, 0)
            guard loadedSegmentTypes.contains(type) else { continue }
            let offset = u64(p, 8), fileSize = u64(p, 32)
            guard inside(offset, fileSize, size) else {
                return "it is truncated or corrupt: segment \(i) (bytes \(offset)..<\(offset &+ fileSize)) lies outside the file (\(size) bytes)"
            }
        }
        return nil
    }
}
