/// The Swift toolchain a library was compiled with, as recorded in plugin descriptors.
///
/// Toolchain rule (stated identically in hone.h and docs/plugins.md):
/// A descriptor's `toolchain` names the language runtime the library depends
/// on. "c" means none of its own (C, or C++ or Rust with nothing but C crossing
/// the boundary): the library loads into every host. "swift-MAJOR.MINOR" (e.g.
/// "swift-6.3") names the Swift compiler that built it, filled in by the Swift
/// SDK: the host loads it only if the host was built by the same Swift major.minor,
/// because Swift has no stable ABI on Linux. The host refuses any other value.
public enum SwiftToolchain {
    /// "swift-MAJOR.MINOR" of the compiler that built this code. A compiler newer than the
    /// list below records "swift-7+"; extend the list when a new Swift is released.
    public static let identifier: String = {
        #if compiler(>=7.0)
        return "swift-7+"
        #elseif compiler(>=6.5)
        return "swift-6.5"
        #elseif compiler(>=6.4)
        return "swift-6.4"
        #elseif compiler(>=6.3)
        return "swift-6.3"
        #elseif compiler(>=6.2)
        return "swift-6.2"
        #elseif compiler(>=6.1)
        return "swift-6.1"
        #elseif compiler(>=6.0)
        return "swift-6.0"
        #else
        return "swift-5"
        #endif
    }()
}
