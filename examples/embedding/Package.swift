// swift-tools-version:6.0
import Foundation
import PackageDescription

/// A Swift program that embeds Hone: it builds a pipeline in code, brings its own optimizer,
/// follows the run's events and prints the best prompt with its held-out score
/// (docs/embedding.md walks through it). `scripts/test.sh` builds and runs it.

/// SwiftPM names a path dependency by its folder, so Hone's package is named after the folder
/// this repository is checked out in. A program elsewhere depends on Hone by URL and names it
/// after the URL's last component (e.g. `.product(name: "Hone", package: "hone")`).
let hone = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardizedFileURL
let honePackage = hone.lastPathComponent.lowercased()

let package = Package(
    name: "HoneEmbeddingExample",
    dependencies: [
        .package(path: hone.path),
    ],
    targets: [
        .executableTarget(
            name: "hone-embedding-example",
            dependencies: [
                .product(name: "Hone", package: honePackage),
                .product(name: "HoneSDK", package: honePackage),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
