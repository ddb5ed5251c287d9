import Foundation
import Hone

/// A library error whose proposed fix (``ErrorRemedy``) the tool spells as the command or flag
/// that does it: the library's message stays in library terms, the user reads what to type.
struct CommandLineRemedy: LocalizedError, CustomStringConvertible {
    /// The library's message.
    let message: String
    /// The command line that applies the fix.
    let hint: String

    /// The error with its fix spelled for the command line, or `error` itself when it proposes none.
    static func spelled(_ error: any Error) -> any Error {
        guard let remediable = error as? any RemediableError, let remedy = remediable.remedy else { return error }
        return CommandLineRemedy(message: "\(error)", hint: hint(for: remedy))
    }

    /// The command or flag that applies `remedy`.
    static func hint(for remedy: ErrorRemedy) -> String {
        switch remedy {
        case .resumeRun(let directory): return "hone resume \(directory)"
        case .startNewRun: return "hone run"
        case .addPluginDirectory: return "hone ... --plugin-path <directory of the plugin library>"
        case .chooseOutputDirectory: return "hone run ... --out <another directory>"
        case .applyArtifact(let directory): return "hone export \(directory) --format artifact -o artifact.json, then hone apply --artifact artifact.json"
        }
    }

    var description: String { "\(message) (on the command line: `\(hint)`)" }
    var errorDescription: String? { description }
}
