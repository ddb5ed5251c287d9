// swift-tools-version:6.0
import PackageDescription

/// Hone's libFuzzer harness: one executable, `hone-fuzz`, whose `--target=NAME` picks the parser
/// it feeds (see Sources/hone-fuzz/FuzzTarget.swift). A package of its own, so the main package's
/// `swift build` never links a binary that needs libFuzzer; `scripts/fuzz.sh` builds it with
/// `-sanitize=fuzzer,address`, which instruments Hone and HoneSDK for coverage as well.
///
/// The harness reaches Hone's internal decoders with `@testable import`, which SwiftPM allows in
/// debug builds (testability is on by default there); the script always builds debug.
let package = Package(
    name: "HoneFuzz",
    dependencies: [
        // `name:` because a path dependency's identity is its folder's name (`main`, `wt-x`, ...).
        .package(name: "Hone", path: ".."),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        .executableTarget(
            name: "hone-fuzz",
            dependencies: [
                .product(name: "Hone", package: "Hone"),
                .product(name: "HoneSDK", package: "Hone"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
    ]
)
