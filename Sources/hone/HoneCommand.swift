import ArgumentParser
import Hone

/// The `hone` command-line tool.
@main
struct HoneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hone",
        abstract: "Automatic prompt optimization with optimizer plugins.",
        discussion: "Runs pipelines described in JSON files: a task, a backend and optimizer stages. See docs/config.md.",
        version: "0.1.0",
        subcommands: [RunCommand.self, ResumeCommand.self, ReportCommand.self, CompareCommand.self, RunsCommand.self, ExportCommand.self, ApplyCommand.self, ValidateCommand.self, EvalCommand.self, PluginsCommand.self, CacheCommand.self, NewPluginCommand.self])

    /// Parses and runs the command; a library error that proposes a fix is printed with the
    /// command line that applies it (see ``CommandLineRemedy``).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: CommandLineRemedy.spelled(error))
        }
    }
}
