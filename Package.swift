// swift-tools-version:6.0
import PackageDescription

/// Whether the plugins' dense loops are compiled with `-O` even in debug builds.
///
/// Their loops are ~50x slower at `-Onone`, which matters for this repository's test suite and
/// the plugins' "< 5% of a step" performance contracts. `-O` is an unsafe flag, and SwiftPM
/// refuses a versioned dependency whose products carry unsafe flags, so the flag is applied only
/// when this package is built by itself (the root package, or a local path dependency), never
/// from a checkout of a versioned dependency. `HONE_PLUGINS_OPTIMIZED_DEBUG=0` (or `=1`)
/// overrides the choice. Release builds are optimized either way.
let pluginsOptimizedInDebug: Bool = {
    if let forced = Context.environment["HONE_PLUGINS_OPTIMIZED_DEBUG"] { return forced != "0" }
    // SwiftPM (and Xcode) check versioned dependencies out under a `checkouts` folder.
    return !Context.packageDirectory.contains("/checkouts/")
}()

/// Swift settings of the plugin targets whose loops must be fast in debug builds.
let optimizedInDebug: [SwiftSetting] = pluginsOptimizedInDebug ? [.unsafeFlags(["-O"])] : []

/// Hone: automatic prompt optimization with optimizer plugins loaded at run time.
///
/// Rooms (see docs/architecture.md):
/// - `Hone`: the embeddable host library.
/// - `hone`: the command-line tool.
/// - `HoneSDK` (+ `CHoneABI`, `HoneJansson`): what a plugin author builds against.
/// - `HonePlugin*`: the built-in optimizer plugins, each a dynamic library that the
///   host finds on its plugin search path and never links against.
let package = Package(
    name: "Hone",
    // Synchronization.Mutex (Swift 6) needs macOS 15; Linux has it with the toolchain.
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Hone", targets: ["Hone"]),
        .library(name: "HoneSDK", targets: ["HoneSDK"]),
        .executable(name: "hone", targets: ["hone"]),
        .executable(name: "hone-plugin-host", targets: ["hone-plugin-host"]),
        .library(name: "HonePluginRandomSearch", type: .dynamic, targets: ["HonePluginRandomSearch"]),
        .library(name: "HonePluginRLPrompt", type: .dynamic, targets: ["HonePluginRLPrompt"]),
        .library(name: "HonePluginGRAM", type: .dynamic, targets: ["HonePluginGRAM"]),
        .library(name: "HonePluginBayesPrompt", type: .dynamic, targets: ["HonePluginBayesPrompt"]),
        .library(name: "HonePluginDirectionalStimulus", type: .dynamic, targets: ["HonePluginDirectionalStimulus", "HonePluginDirectionalStimulusEntry"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        // The C ABI: SDK/include/hone.h is the one source of truth for host and plugins.
        .systemLibrary(name: "CHoneABI", path: "SDK/include"),
        // The Swift SDK: protocol, C boundary, JSON and wire types. Shared by host and plugins.
        .target(
            name: "HoneSDK",
            dependencies: ["CHoneABI"],
            path: "SDK/swift/HoneSDK"
        ),
        // C helpers on libjansson for C plugin authors (SDK/c/hone_jansson.h); compiled into each C plugin.
        .target(
            name: "HoneJansson",
            dependencies: ["CHoneABI"],
            path: "SDK/c",
            publicHeadersPath: ".",
            cSettings: [.headerSearchPath("../include")],
            linkerSettings: [.linkedLibrary("jansson")]
        ),
        // Built-in random search: the out-of-tree C example, compiled again by SwiftPM (one source).
        .target(
            name: "HonePluginRandomSearch",
            dependencies: ["CHoneABI", "HoneJansson"],
            path: "Plugins/RandomSearch",
            publicHeadersPath: ".",
            cSettings: [.headerSearchPath("../../SDK/include")],
            linkerSettings: [.linkedLibrary("jansson")]
        ),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        // libffi, for the `ffi` evaluator that calls a C metric named in the pipeline config.
        .systemLibrary(name: "CFFI", path: "Sources/CFFI"),
        // libcurl, for the OpenAI-compatible HTTP backends (typed wrappers for its variadic calls).
        .systemLibrary(name: "CCurl", path: "Sources/CCurl"),
        .target(
            name: "Hone",
            dependencies: [
                "CHoneABI", "HoneSDK", "HoneFrames", "CSQLite", "CFFI", "CCurl",
                .product(name: "Logging", package: "swift-log"),
            ],
            linkerSettings: [.linkedLibrary("dl")]
        ),
        .executableTarget(
            name: "hone",
            dependencies: [
                "Hone",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The process a crash-isolated plugin runs in (docs/plugins.md, "Process isolation"):
        // `hone` starts it next to itself; it loads one plugin and talks to `hone` over a socket.
        .executableTarget(
            name: "hone-plugin-host",
            dependencies: ["CHoneABI", "HoneSDK", "HoneFrames"],
            linkerSettings: [.linkedLibrary("dl")]
        ),
        // The frame format between `hone` and `hone-plugin-host` (`package` access: not public API).
        .target(name: "HoneFrames", dependencies: ["HoneSDK"]),
        // Test support: the in-process FixtureHTTPServer that replays OpenAI, vLLM and llama.cpp
        // answers, and InProcessHost, a hone_host table on Swift closures for plugin tests.
        // Shared by the tests and the HTTP benchmark; never linked into `hone`.
        .target(
            name: "HoneTestSupport",
            dependencies: ["HoneSDK", "CHoneABI"],
            path: "Tests/HoneTestSupport"
        ),
        // The HTTP backend benchmark (benchmarks/http_bench.sh builds it in release mode).
        .executableTarget(
            name: "hone-http-bench",
            dependencies: ["Hone", "HoneSDK", "HoneTestSupport"],
            path: "benchmarks/http_bench"
        ),
        // Benchmarks (not in the test suite): see benchmarks/run_foundation.sh.
        .executableTarget(
            name: "hone-bench",
            dependencies: ["Hone"],
            path: "benchmarks/hone-bench"
        ),
        // Metric and loader timings for benchmarks/metrics_bench.sh (not part of the test suite).
        .executableTarget(
            name: "hone-bench-metrics",
            dependencies: ["Hone", "HoneSDK"],
            path: "benchmarks/HoneBenchMetrics"
        ),
        // RLPrompt (Deng et al., 2022): soft Q-learning of a discrete prompt policy.
        .target(
            name: "HonePluginRLPrompt",
            dependencies: ["HoneSDK"],
            path: "Plugins/RLPrompt",
            // Optimized even in debug builds: the policy's dense loops are ~50x slower at -Onone,
            // which would break the plugin's "< 5% of a step" performance contract.
            swiftSettings: optimizedInDebug
        ),
        .testTarget(
            name: "RLPromptTests",
            dependencies: ["HonePluginRLPrompt", "Hone", "HoneSDK", "HoneTestSupport", "CHoneABI"]
        ),
        // GRAM (Li et al., 2023): meta-learned soft-prompt initialization and gradient regulation
        // in the embedding space of the dual encoder.
        // The method (Plugins/GRAM/Core) is a module of its own so that tests and the benchmark
        // link it without the library's entry symbol, which RLPrompt's tests also define.
        .target(
            name: "HonePluginGRAMCore",
            dependencies: ["HoneSDK"],
            path: "Plugins/GRAM/Core",
            // Optimized even in debug builds: meta-learning is dense arithmetic over a few thousand
            // parameters, ~50x slower at -Onone.
            swiftSettings: optimizedInDebug
        ),
        .target(
            name: "HonePluginGRAM",
            dependencies: ["HonePluginGRAMCore", "HoneSDK"],
            path: "Plugins/GRAM/Entry"
        ),
        .testTarget(
            name: "GRAMTests",
            dependencies: ["HonePluginGRAMCore", "Hone", "HoneSDK", "HoneTestSupport", "CHoneABI"]
        ),
        // GRAM's acceptance measurement harness (benchmarks/gram_acceptance.sh; not in the test suite).
        .executableTarget(
            name: "hone-bench-gram",
            dependencies: ["Hone", "HoneSDK", "HonePluginGRAMCore"],
            path: "benchmarks/gram-bench",
            swiftSettings: optimizedInDebug
        ),
        // The BayesPrompt acceptance harness (benchmarks/bayesprompt_acceptance.sh; not in the suite).
        .executableTarget(
            name: "hone-bench-bayesprompt",
            dependencies: ["Hone", "HoneSDK", "HonePluginBayesPromptCore"],
            path: "benchmarks/bayesprompt_bench"
        ),
        // BayesPrompt (Li et al., 2024): a Gaussian mixture over unlabeled in-domain features,
        // k-shot features moved toward it by SVGD, sampled into the prompt or an embedding head.
        .target(
            name: "HonePluginBayesPromptCore",
            dependencies: ["HoneSDK"],
            path: "Plugins/BayesPrompt/Core",
            // Optimized even in debug builds: EM over the 6,507 x 384 SemEval pool and SVGD's
            // kernel sums are far slower at -Onone (docs/performance.md).
            swiftSettings: optimizedInDebug
        ),
        // The plugin library: only the entry point, so tests can link the core beside other plugins.
        .target(
            name: "HonePluginBayesPrompt",
            dependencies: ["HonePluginBayesPromptCore", "HoneSDK"],
            path: "Plugins/BayesPrompt/Entry"
        ),
        .testTarget(
            name: "BayesPromptTests",
            dependencies: ["HonePluginBayesPromptCore", "Hone", "HoneSDK", "CHoneABI"]
        ),
        // Oracle-hint inputs and lead-3 outputs for benchmarks/dsp_acceptance.sh (not part of the test suite).
        .executableTarget(
            name: "dsp-bench",
            dependencies: ["Hone", "HonePluginDirectionalStimulus"],
            path: "benchmarks/DSPBench"
        ),
        // Directional Stimulus Prompting (Li et al., 2023): a trained keyword-hint policy.
        .target(
            name: "HonePluginDirectionalStimulus",
            dependencies: ["HoneSDK"],
            path: "Plugins/DirectionalStimulus",
            exclude: ["Entry"],
            // Optimized even in debug builds: the policy's feature loops are far slower at -Onone,
            // which would break the plugin's "< 5% of an RL step" performance contract.
            swiftSettings: optimizedInDebug
        ),
        // Its `hone_plugin_entry_v1`, apart so the tests can link the plugin beside RLPrompt's
        // (all test targets share one executable on Linux, and each plugin exports that symbol).
        .target(
            name: "HonePluginDirectionalStimulusEntry",
            dependencies: ["HonePluginDirectionalStimulus", "HoneSDK"],
            path: "Plugins/DirectionalStimulus/Entry"
        ),
        .testTarget(
            name: "DSPTests",
            dependencies: ["HonePluginDirectionalStimulus", "Hone", "HoneSDK", "HoneTestSupport"]
        ),
        .testTarget(
            name: "HoneTests",
            dependencies: ["Hone", "HoneSDK", "HoneTestSupport"],
            exclude: ["Fixtures"]
        ),
    ]
)
