import CHoneABI
import Foundation
import HoneSDK
import XCTest

@testable import Hone

/// The artifact renderer extension (`"hone.artifact.renderer/1"`, ABI 1.1) end to end: a C plugin
/// and a Swift plugin answer it per descriptor, and the host's ``PluginArtifactRenderer`` opens,
/// renders and closes through it, with budgeted backend calls and clear errors naming the plugin.
final class ArtifactRendererTests: XCTestCase {
    nonisolated(unsafe) static var directory = ""  // set once in class setUp, before any test runs

    override class func setUp() {
        directory = (try? TestEnvironment.temporaryDirectory("renderer")) ?? NSTemporaryDirectory()
    }

    private static let libraries = NSLock()
    nonisolated(unsafe) private static var built: [String: String] = [:]

    /// The C fixture built once per set of defines.
    private func cFixture(_ defines: [String] = []) throws -> [LoadedPlugin] {
        let key = defines.joined(separator: ",")
        let path = try Self.libraries.withLock { () -> String in
            if let path = Self.built[key] { return path }
            let path = try RendererFixture.build(in: Self.directory, name: "librenderer\(Self.built.count)", defines: defines)
            Self.built[key] = path
            return path
        }
        return try PluginLoader.load(file: path)
    }

    private func plugin(_ id: String, in plugins: [LoadedPlugin]) throws -> LoadedPlugin {
        try XCTUnwrap(plugins.first { $0.info.id == id }, "\(id) missing")
    }

    /// The artifact the C renderer plugin's stage returns for `config`.
    private func runStage(_ plugin: LoadedPlugin, config: JSONValue) throws -> PromptArtifact {
        let stage = HashStage(pluginID: plugin.info.id)
        return try PluginOptimizer(plugin: plugin, config: config).optimize(stage.request(), context: stage.context).bestPrompt
    }

    // MARK: C plugin

    func testCPluginAnswersTheRendererExtensionPerDescriptor() throws {
        let plugins = try cFixture()
        XCTAssertNotNil(try plugin(RendererFixture.rendererID, in: plugins).extensionPointer(HONE_EXT_ARTIFACT_RENDERER))
        XCTAssertNil(try plugin(RendererFixture.plainID, in: plugins).extensionPointer(HONE_EXT_ARTIFACT_RENDERER),
                     "the plugin sharing the vtable has no renderer")
        XCTAssertNil(try plugin(RendererFixture.rendererID, in: plugins).extensionPointer("hone.artifact.renderer/2"))
    }

    func testCRendererRendersTheArtifactItsStageReturnedOnePromptPerInput() throws {
        let plugin = try plugin(RendererFixture.rendererID, in: try cFixture())
        let artifact = try runStage(plugin, config: ["prefix": "Review:", "words": 2])
        XCTAssertEqual(artifact.method, RendererFixture.rendererID)
        XCTAssertEqual(artifact.data?["words"], 2)

        let stage = HashStage(pluginID: plugin.info.id, budget: 10)
        let renderer = try PluginArtifactRenderer(plugin: plugin, artifact: artifact, context: stage.context)
        XCTAssertEqual(try renderer.render(["a joy to watch", "dull", "  the plot is a mess"]),
                       ["Review: A JOY", "Review: DULL", "Review: THE PLOT"])
        XCTAssertEqual(try renderer.render([]), [])
        XCTAssertEqual(try renderer.render(["again, and again"]), ["Review: AGAIN, AND"], "a renderer renders any number of times")
        XCTAssertEqual(stage.context.usedCalls, 0, "no backend call without hints")
    }

    func testCRendererBackendCallsAreChargedToTheContextBudget() throws {
        let plugin = try plugin(RendererFixture.rendererID, in: try cFixture())
        let artifact = try runStage(plugin, config: ["prefix": "Hint:", "words": 1, "hints": ["upbeat", "gloomy"]])
        let stage = HashStage(pluginID: plugin.info.id, budget: 3)
        let renderer = try PluginArtifactRenderer(plugin: plugin, artifact: artifact, context: stage.context)
        let inputs = ["sharp and funny", "a dull film"]
        let prompts = try renderer.render(inputs)
        // The hint is the candidate the backend scores highest for the input, as the host would score it.
        let scores = try stage.backend.score(inputs.map { ScoreItem(context: $0, candidates: ["upbeat", "gloomy"]) })
        let expected = zip(inputs, scores).map { input, row in
            "Hint: \(input.split(separator: " ")[0].uppercased()) (\(row[0] >= row[1] ? "upbeat" : "gloomy"))"
        }
        XCTAssertEqual(prompts, expected)
        XCTAssertEqual(stage.context.usedCalls, 2, "one score item per input, charged like a stage's")
        XCTAssertThrowsError(try renderer.render(["one", "two"])) { error in
            let error = error as? ArtifactRendererError
            XCTAssertEqual(error?.reason, .renderFailed)
            XCTAssertTrue(error?.message.contains("budget exhausted") ?? false, "\(String(describing: error))")
        }
    }

    func testRendererHostTableRefusesEvaluate() throws {
        let plugin = try plugin(RendererFixture.rendererID, in: try cFixture())
        let artifact = PromptArtifact(text: "x", method: plugin.info.id, data: ["prefix": "x", "words": 0, "try_evaluate": true])
        let stage = HashStage(pluginID: plugin.info.id)
        XCTAssertNoThrow(try PluginArtifactRenderer(plugin: plugin, artifact: artifact, context: stage.context),
                         "open asks host->evaluate and fails unless it is refused as unsupported")
        XCTAssertEqual(stage.context.usedCalls, 0)
    }

    func testRendererFoundThroughThe1_0DescriptorLookupWhenTheVTableHasNone() throws {
        let plugin = try plugin(RendererFixture.rendererID, in: try cFixture(["RENDERER_VIA_DESCRIPTOR", "RENDERER_DROP_ONE"]))
        XCTAssertNotNil(plugin.extensionPointer(HONE_EXT_ARTIFACT_RENDERER))
        let artifact = PromptArtifact(text: "P:", method: plugin.info.id, data: ["prefix": "P:", "words": 1])
        let renderer = try PluginArtifactRenderer(plugin: plugin, artifact: artifact, context: HashStage(pluginID: plugin.info.id).context)
        // This build drops the last prompt: the host refuses the answer, naming the plugin and both counts.
        XCTAssertThrowsError(try renderer.render(["a", "b", "c"])) { error in
            let error = error as? ArtifactRendererError
            XCTAssertEqual(error?.reason, .malformedAnswer)
            XCTAssertEqual(error?.pluginID, RendererFixture.rendererID)
            XCTAssertTrue(error?.description.contains("org.hone.test.renderer") ?? false)
            XCTAssertTrue(error?.message.contains("returned 2 prompts for 3 inputs") ?? false, "\(String(describing: error))")
        }
    }

    func testAPluginWithoutARendererIsAClearErrorNamingIt() throws {
        let plugin = try plugin(RendererFixture.plainID, in: try cFixture())
        let artifact = PromptArtifact(text: "Review:", method: plugin.info.id)
        XCTAssertThrowsError(try PluginArtifactRenderer(plugin: plugin, artifact: artifact, context: HashStage(pluginID: plugin.info.id).context)) { error in
            let error = error as? ArtifactRendererError
            XCTAssertEqual(error?.reason, .noRenderer)
            XCTAssertEqual(error?.pluginID, RendererFixture.plainID)
            XCTAssertTrue(error?.description.contains("org.hone.test.plain") ?? false)
            XCTAssertTrue(error?.message.contains("hone.artifact.renderer/1") ?? false, "\(String(describing: error))")
        }
    }

    func testRefusalsOfOpenAndOfAnotherPluginsArtifactNameThePlugin() throws {
        let plugin = try plugin(RendererFixture.rendererID, in: try cFixture())
        let context = HashStage(pluginID: plugin.info.id).context
        let refused = PromptArtifact(text: "x", method: plugin.info.id, data: ["prefix": "x", "words": 1, "fail_open": true])
        XCTAssertThrowsError(try PluginArtifactRenderer(plugin: plugin, artifact: refused, context: context)) { error in
            XCTAssertEqual((error as? ArtifactRendererError)?.reason, .openFailed)
            XCTAssertTrue("\(error)".contains("artifact.data.fail_open is set"), "\(error)")
        }
        let foreign = PromptArtifact(text: "x", method: "org.example.other", data: ["prefix": "x", "words": 1])
        XCTAssertThrowsError(try PluginArtifactRenderer(plugin: plugin, artifact: foreign, context: context)) { error in
            XCTAssertEqual((error as? ArtifactRendererError)?.reason, .wrongPlugin)
            XCTAssertTrue("\(error)".contains("org.example.other"), "\(error)")
        }
    }

    // MARK: Swift plugin

    /// Echoes each input after the artifact's text, and counts the renderers alive.
    final class EchoRenderer: HoneArtifactRenderer {
        nonisolated(unsafe) static var open = 0
        private let text: String
        private let host: HostConnection

        init(artifact: PromptArtifact, host: HostConnection) throws {
            guard artifact.data?["echo"] == true else { throw PluginError.invalidArgument("artifact.data.echo must be true") }
            text = artifact.text
            self.host = host
            Self.open += 1
        }

        deinit { Self.open -= 1 }

        func render(_ inputs: [String]) throws -> [String] {
            host.log(.debug, "rendering \(inputs.count)")
            return inputs.map { "\(text) [\($0.count) chars]" }
        }
    }

    /// A Swift optimizer with a renderer.
    final class EchoOptimizer: HoneOptimizer {
        static let descriptor = OptimizerDescriptor(
            id: "org.hone.test.swift-echo", name: "Echo", version: "1.0.0", description: "Renders by echoing.",
            configSchema: ["type": "object"], capabilities: ["score"])
        static var artifactRenderer: (any HoneArtifactRenderer.Type)? { EchoRenderer.self }
        init(config: JSONValue, host: HostConnection) throws {}
        func run(_ request: RunRequest) throws -> RunResult {
            RunResult(bestPrompt: PromptArtifact(text: "Echo:", method: Self.descriptor.id, data: ["echo": true]))
        }
    }

    /// A Swift optimizer without one (the protocol's default).
    final class PlainOptimizer: HoneOptimizer {
        static let descriptor = OptimizerDescriptor(
            id: "org.hone.test.swift-plain", name: "Plain", version: "1.0.0", description: "No renderer.",
            configSchema: ["type": "object"], capabilities: ["score"])
        init(config: JSONValue, host: HostConnection) throws {}
        func run(_ request: RunRequest) throws -> RunResult { RunResult(bestPrompt: PromptArtifact(text: "plain")) }
    }

    func testSwiftPluginAnswersTheRendererExtensionPerDescriptorAndRendersThroughTheHost() throws {
        let table = PluginExport.makeLibrary([PlainOptimizer.self, EchoOptimizer.self]).assumingMemoryBound(to: hone_plugin_library.self)
        XCTAssertEqual(table.pointee.abi_minor, UInt32(HONE_ABI_VERSION_MINOR))
        let plugins = try PluginLoader.plugins(in: table, file: "in-process")
        let echo = try plugin("org.hone.test.swift-echo", in: plugins)
        let plain = try plugin("org.hone.test.swift-plain", in: plugins)
        XCTAssertEqual(echo.vtable, plain.vtable, "the Swift SDK shares one vtable between its optimizers")
        XCTAssertNil(plain.extensionPointer(HONE_EXT_ARTIFACT_RENDERER))
        XCTAssertNil(echo.extensionPointer("hone.artifact.renderer/2"))
        XCTAssertNotNil(echo.extensionPointer(HONE_EXT_ARTIFACT_RENDERER))

        let stage = HashStage(pluginID: echo.info.id)
        let artifact = try PluginOptimizer(plugin: echo, config: [:]).optimize(stage.request(), context: stage.context).bestPrompt
        var renderer: PluginArtifactRenderer? = try PluginArtifactRenderer(plugin: echo, artifact: artifact, context: stage.context)
        XCTAssertEqual(EchoRenderer.open, 1)
        XCTAssertEqual(try renderer?.render(["abc", "hello"]), ["Echo: [3 chars]", "Echo: [5 chars]"])
        renderer = nil
        XCTAssertEqual(EchoRenderer.open, 0, "releasing the host's renderer closes the plugin's")

        XCTAssertThrowsError(try PluginArtifactRenderer(plugin: echo, artifact: PromptArtifact(text: "x", method: echo.info.id), context: stage.context)) { error in
            XCTAssertEqual((error as? ArtifactRendererError)?.reason, .openFailed)
            XCTAssertTrue("\(error)".contains("artifact.data.echo must be true"), "\(error)")
        }
        XCTAssertThrowsError(try PluginArtifactRenderer(plugin: plain, artifact: PromptArtifact(text: "plain"), context: stage.context)) { error in
            XCTAssertEqual((error as? ArtifactRendererError)?.reason, .noRenderer)
            XCTAssertTrue("\(error)".contains("org.hone.test.swift-plain"), "\(error)")
        }
    }
}
