/// The check of a pipeline's `name`, which names its run directory (`runs/<name>` when no
/// `--out` or `output_dir` is given): one folder name, so a run can never write outside the
/// runs folder (`../../../tmp/x` is refused).
enum RunName {
    /// Throws a ``ConfigError`` at `path` unless `name` is a single, ordinary folder name.
    static func check(_ name: String, path: String) throws {
        let fix = "use letters, digits, '-', '_' or '.' (e.g. \"sst2-demo\"); to write elsewhere, set the output directory (output_dir)"
        guard !name.isEmpty else { throw ConfigError(path: path, message: "the name is empty; \(fix)") }
        if name.contains("/") || name.contains("\\") {
            throw ConfigError(path: path, message: "the name \"\(name)\" holds a path separator, so runs/<name> would leave the runs folder; \(fix)")
        }
        if name == "." || name == ".." || name.hasPrefix("~") {
            throw ConfigError(path: path, message: "the name \"\(name)\" is not a folder name; \(fix)")
        }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw ConfigError(path: path, message: "the name holds a control character; \(fix)")
        }
    }
}
