/// Refuses NUL bytes (U+0000) in what becomes a prompt: data rows, the task's prompt and
/// template, labels.
///
/// A C string ends at its first NUL, so text holding one is cut short when it crosses the
/// plugin ABI or reaches the embedding engine: a plugin would see another prompt than the host
/// scores, and the failure would come only after the baseline was scored. Refusing at load
/// time, with the file and line (or the JSON path), makes it a data error the user can fix.
enum NULByteCheck {
    /// The refusal's advice.
    private static let fix = "remove it (a NUL byte ends a C string, so the text would be cut short when a plugin or the model reads it)"

    /// Throws a ``ConfigError`` at the member of `object` whose text holds a NUL.
    static func refuse(in members: [(key: String, text: String)], of object: ConfigObject) throws {
        for (key, text) in members where text.utf8.contains(0) {
            throw ConfigError(path: object.path(of: key), message: "holds a NUL byte (\\u0000); \(fix)")
        }
    }

    /// Reports every record whose input or label holds a NUL, as the bad-row policy says
    /// (by default: a ``DataError`` naming the file and line).
    static func check(_ records: [SourceRecord], problems: inout RowProblems) throws -> [SourceRecord] {
        var kept: [SourceRecord] = []
        kept.reserveCapacity(records.count)
        for record in records {
            if record.input.utf8.contains(0) || record.label?.utf8.contains(0) == true {
                try problems.report(record.error("the \(record.input.utf8.contains(0) ? "input" : "label") holds a NUL byte (\\0); \(fix)"))
                continue
            }
            kept.append(record)
        }
        return kept
    }
}
