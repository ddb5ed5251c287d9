// swift-tools-version:6.0
import PackageDescription

/// An optimizer plugin written in Swift, built outside the Hone tree.
///
/// It depends on the Hone SDK by path (from a copy elsewhere, point the path at your Hone
/// checkout) and builds one dynamic library, `libHoneSwiftGreedy.so`, that the host loads
/// through `HONE_PLUGIN_PATH` or `--plugin-path` without being rebuilt. Build it with the same
/// Swift toolchain as the `hone` that will load it: the host refuses a mismatch.
let package = Package(
    name: "HoneSwiftGreedy",
    products: [
        .library(name: "HoneSwiftGreedy", type: .dynamic, targets: ["HoneSwiftGreedy"]),
    ],
    dependencies: [
        // The Hone package (the folder holding Hone's Package.swift).
        .package(name: "Hone", path: "../../.."),
    ],
    targets: [
        .target(
            name: "HoneSwiftGreedy",
            dependencies: [.product(name: "HoneSDK", package: "Hone")],
            swiftSettings: [.swiftLanguageMode(.v5)],
            // Export only the entry symbol: everything else, the SDK's copy included, stays local.
            linkerSettings: [.unsafeFlags(["-Xlinker", "--version-script=\(Context.packageDirectory)/exports.map"])]
        ),
    ]
)
