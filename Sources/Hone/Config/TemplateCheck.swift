/// The check of a task template at load time: every slot it names is one the task fills, and
/// each slot appears exactly once.
///
/// A slot is `{name}` with `name` an identifier (letters, digits, `_`, not starting with a
/// digit); other braces (`{"a": 1}`, `{ }`) are literal text. `{unknown}` would be sent to the
/// model as it is, and a doubled `{input}` would show every input twice: both are mistakes a
/// run would never report, so both are refused here with the template's JSON path.
///
/// Classification templates use ``classification`` (`{prompt}` and `{input}`); a task kind
/// with other slots passes its own list to ``check(_:slots:path:)``.
enum TemplateCheck {
    /// The slots of a classification (and generation) template.
    static let classification = ["prompt", "input"]

    /// Throws a ``ConfigError`` at `path` when `template` names a slot not in `slots`, lacks one
    /// of them, or names one more than once.
    static func check(_ template: String, slots: [String] = classification, path: String) throws {
        var counts: [String: Int] = [:]
        for name in slotNames(in: template) { counts[name, default: 0] += 1 }
        let expected = slots.map { "{\($0)}" }.joined(separator: " and ")
        for name in counts.keys.sorted() where !slots.contains(name) {
            throw ConfigError(path: path, message: "the template names the slot {\(name)}, which this task does not fill; its slots are \(expected) (remove {\(name)} or spell it as one of them)")
        }
        for slot in slots {
            let n = counts[slot] ?? 0
            if n == 0 {
                let role = slot == "prompt" ? ", where optimizers put the prompt" : slot == "input" ? ", where each example's text goes" : ""
                throw ConfigError(path: path, message: "the template must contain the {\(slot)} slot\(role), e.g. \"{prompt} {input}\"")
            }
            if n > 1 {
                throw ConfigError(path: path, message: "the template names {\(slot)} \(n) times; a template holds each slot once, e.g. \"{prompt} {input}\"")
            }
        }
    }

    /// The names of the `{identifier}` slots in `template`, in order.
    static func slotNames(in template: String) -> [String] {
        var names: [String] = []
        var current: String?
        for c in template {
            if c == "{" {
                current = ""
            } else if c == "}" {
                if let name = current, let first = name.first, !first.isNumber { names.append(name) }
                current = nil
            } else if current != nil {
                if c.isASCII && (c.isLetter || c.isNumber || c == "_") { current!.append(c) } else { current = nil }
            }
        }
        return names
    }
}
