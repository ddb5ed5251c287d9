/// The fix a library error proposes, as a fact a front end can spell in its own terms.
///
/// Library messages describe the fix in library words ("resume the run in runs/x"); a program
/// that embeds Hone reads ``RemediableError/remedy`` to offer the fix its own way, and the `hone`
/// command-line tool adds the command that does it (`hone resume runs/x`, `--plugin-path`).
public enum ErrorRemedy: Sendable, Equatable {
    /// Continue the run recorded in this run directory (a runner prepared with `resume`).
    case resumeRun(directory: String)
    /// Start a new run: the recorded one cannot be continued.
    case startNewRun
    /// Add the directory that holds the plugin with this id to the plugin search path.
    case addPluginDirectory(pluginID: String)
    /// Write the run into another output directory.
    case chooseOutputDirectory
    /// Export the run's optimized prompt as an artifact file and apply that artifact to each
    /// input (``ArtifactApplication``): the prompt has no single text form.
    case applyArtifact(runDirectory: String)
}

/// An error that names the fix it proposes (see ``ErrorRemedy``).
public protocol RemediableError: Error {
    /// The fix, when the error proposes one.
    var remedy: ErrorRemedy? { get }
}
