import Foundation
import HoneSDK
import Synchronization

/// A renderer opened for one `rendered` artifact: it writes the `{prompt}` text of each input.
///
/// It sees inputs only, never labels or references.
public protocol ArtifactRendering: AnyObject, Sendable {
    /// One `{prompt}` text per input, in order.
    func render(_ inputs: [String]) throws -> [String]
}

/// Opens renderers for `rendered` artifacts: the plugin search path's plugins through their
/// `hone.artifact.renderer/1` extension (``PluginRendererSource``), or any other source a
/// program brings.
public protocol ArtifactRendererSource: Sendable {
    /// Opens a renderer for `artifact`, whose backend calls go through `context` (budgeted,
    /// cached and recorded there). Throws when the artifact's plugin, or that plugin at the
    /// artifact's version, is not available.
    func openRenderer(for artifact: PromptArtifact, context: StageContext) throws -> any ArtifactRendering
}

/// The error of a prompt artifact that cannot be applied: its plugin is missing, has another
/// version, has no renderer, or its head belongs to another embedding space.
public struct ArtifactError: Error, CustomStringConvertible, Sendable {
    /// What is wrong and what to do.
    public let message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// Turns `rendered` artifacts into per-input texts before they are scored, so the renderer's
/// own backend calls are made (and recorded) apart from the scoring call.
///
/// Renderers stay open for the life of this object, one per (artifact, context); the texts
/// they wrote are remembered per (artifact, input), so an artifact scored on train, dev and
/// test renders each input once.
public final class PromptRendering: Sendable {
    /// Where renderers come from (nil: rendered artifacts without per-input texts are refused).
    public let source: (any ArtifactRendererSource)?
    /// The context renderers use when the caller gives none (the host's own scorings).
    public let hostContext: @Sendable () -> StageContext?

    /// The renderers opened and the texts they wrote.
    private struct Memory {
        var open: [String: any ArtifactRendering] = [:]
        var texts: [String: String] = [:]
    }
    private let memory = Mutex(Memory())
    private static let rememberedTexts = 200_000

    /// Creates a rendering step over `source`; `hostContext` makes the context of the host's
    /// own scorings when no caller gives one.
    public init(source: (any ArtifactRendererSource)?, hostContext: @escaping @Sendable () -> StageContext? = { nil }) {
        self.source = source
        self.hostContext = hostContext
    }

    /// `prompts` with every `rendered` artifact's `PromptArtifact.perInput` filled for
    /// `inputs` (given ones are checked for their count); other kinds are returned as they are.
    public func materialize(_ prompts: [PromptArtifact], inputs: [String], context: StageContext?) throws -> [PromptArtifact] {
        try prompts.map { prompt in
            guard prompt.kind == .rendered else { return prompt }
            var copy = prompt
            copy.perInput = try texts(for: prompt, inputs: inputs, context: context)
            return copy
        }
    }

    /// The `{prompt}` text of each input under `prompt`.
    public func texts(for prompt: PromptArtifact, inputs: [String], context: StageContext?) throws -> [String] {
        if let known = try PromptRendering.knownTexts(of: prompt, count: inputs.count) { return known }
        let identity = prompt.identity
        var result = [String?](repeating: nil, count: inputs.count)
        var missing: [Int] = []
        memory.withLock { memory in
            for (k, input) in inputs.enumerated() {
                if let t = memory.texts[identity + "\u{1F}" + input] { result[k] = t } else { missing.append(k) }
            }
        }
        if !missing.isEmpty {
            let unique = Array(Set(missing.map { inputs[$0] }))
            let renderer = try self.renderer(for: prompt, context: context)
            let rendered = try renderer.render(unique)
            guard rendered.count == unique.count else {
                throw ArtifactError("the renderer of \(prompt.method ?? "?") returned \(rendered.count) prompts for \(unique.count) inputs; it must return one per input")
            }
            let byInput = Dictionary(uniqueKeysWithValues: zip(unique, rendered))
            memory.withLock { memory in
                if memory.texts.count + unique.count > PromptRendering.rememberedTexts { memory.texts.removeAll(keepingCapacity: true) }
                for (input, text) in byInput { memory.texts[identity + "\u{1F}" + input] = text }
            }
            for k in missing { result[k] = byInput[inputs[k]] }
        }
        return result.map { $0! }
    }

    /// The `{prompt}` text of each input under `prompt`: its per-input texts, its one text, or
    /// (a rendered artifact without per-input texts) what `rendering` renders; refused when a
    /// rendered artifact needs rendering and there is no `rendering`.
    public static func slotTexts(for prompt: PromptArtifact, inputs: [String], using rendering: PromptRendering?, context: StageContext?) throws -> [String] {
        if prompt.kind == .rendered, prompt.perInput == nil, rendering == nil {
            throw ArtifactError("the prompt is a rendered artifact of \(prompt.method ?? "an unknown plugin") without per-input texts, and this evaluator has no renderer")
        }
        if let known = try knownTexts(of: prompt, count: inputs.count) { return known }
        return try rendering!.texts(for: prompt, inputs: inputs, context: context)
    }

    /// The texts a prompt carries without rendering: its per-input texts (checked against
    /// `count`), or its one text repeated; nil for a rendered artifact that needs its renderer.
    static func knownTexts(of prompt: PromptArtifact, count: Int) throws -> [String]? {
        if let given = prompt.perInput {
            guard given.count == count else {
                throw ArtifactError("the prompt carries \(given.count) per-input texts for \(count) examples; send one per requested example, in request order")
            }
            return given
        }
        return prompt.kind == .rendered ? nil : Array(repeating: prompt.text, count: count)
    }

    private func renderer(for prompt: PromptArtifact, context: StageContext?) throws -> any ArtifactRendering {
        guard let source else {
            throw ArtifactError("the prompt is a rendered artifact of \(prompt.method ?? "an unknown plugin") but this host has no renderer source; run it through the hone CLI or give the runner a plugin search path")
        }
        guard let context = context ?? hostContext() else {
            throw ArtifactError("no host context to render \(prompt.method ?? "?")'s artifact in")
        }
        let key = prompt.identity + "\u{1F}\(ObjectIdentifier(context).hashValue)"
        if let r = memory.withLock({ $0.open[key] }) { return r }
        let r = try source.openRenderer(for: prompt, context: context)
        memory.withLock { $0.open[key] = r }
        return r
    }
}

extension ArtifactError: LocalizedError {
    /// The same message as `description`, so `localizedDescription` reads as the CLI prints it.
    public var errorDescription: String? { description }
}
