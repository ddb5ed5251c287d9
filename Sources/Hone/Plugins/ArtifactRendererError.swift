import Foundation
/// A `rendered` prompt artifact could not be rendered through its plugin: the plugin offers no
/// renderer, refused the artifact, failed, or answered with the wrong number of prompts.
public struct ArtifactRendererError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Why rendering failed, for programs.
    public enum Reason: String, Sendable, Equatable {
        /// The plugin does not offer `"hone.artifact.renderer/1"` (or offers a malformed table).
        case noRenderer
        /// The artifact names another plugin than the one asked to render it.
        case wrongPlugin
        /// The renderer's `open` refused the artifact.
        case openFailed
        /// The renderer's `render` failed.
        case renderFailed
        /// `render` answered, but not with `{"prompts": [string, ...]}`, one per input.
        case malformedAnswer
    }

    /// The plugin asked to render.
    public var pluginID: String
    /// The kind of failure.
    public var reason: Reason
    /// What was wrong and what to do.
    public var message: String

    /// Creates a renderer error.
    public init(pluginID: String, reason: Reason, message: String) {
        self.pluginID = pluginID
        self.reason = reason
        self.message = message
    }

    public var description: String { "artifact renderer of plugin \(pluginID): \(message)" }
}

extension ArtifactRendererError: LocalizedError {
    /// The same message as `description`, so `localizedDescription` reads as the CLI prints it.
    public var errorDescription: String? { description }
}
