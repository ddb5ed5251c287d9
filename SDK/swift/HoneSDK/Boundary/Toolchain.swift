/// The Swift toolchain a library was compiled with, as recorded in plugin descriptors.
///
/// Swift has no stable ABI on Linux, so a Swift plugin must be built with the same Swift
/// (major.minor) as the host that loads it. C plugins record `"c"` instead and load anywhere.
public enum SwiftToolchain {
    /// "swift-MAJOR.MINOR" of the compiler that built this code.
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
