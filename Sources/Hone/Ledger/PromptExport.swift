import Foundation
import HoneSDK

/// What `hone export` writes: a finished run's optimized prompt, the task template with that
/// prompt filled in, and where the prompt came from (run, config, backend, stages, scores).
///
/// Read from the run directory's ledger, with `result.json` as the fallback for the scores.
/// Only a prompt the host scored on test is exported, so every exported prompt carries its
/// held-out score: a finished run's, or a cancelled run's (Ctrl-C and budgets still end with the
/// final scoring; its status says so in the provenance).
public struct PromptExport: Sendable {
    /// The output formats.
    public enum Format: String, CaseIterable, Sendable {
        /// The prompt text alone, as the optimizer returned it.
        case text
        /// The task template with the prompt filled in and the `{input}` slot kept, exactly as
        /// the evaluator renders it (spaces collapsed).
        case template
        /// The prompt, the filled template and the provenance, as one JSON object.
        case json
        /// The prompt artifact alone (kind, text, method and version, data, head): what
        /// `hone eval --artifact` and `hone apply --artifact` read.
        case artifact
    }

    /// The run directory.
    public var directory: String
    /// The best prompt of the run, as the last stage returned it (text, method, data).
    public var prompt: PromptArtifact
    /// The task template of the run's config, when the ledger recorded the config.
    public var template: String?
    /// Where the prompt came from: run, config and its SHA-256, backend, metric, stages,
    /// baseline and best scores on train, dev and test.
    public var provenance: JSONValue
    /// Why the ledger could not be read, when the export comes from `result.json` alone
    /// (``RunDirectoryReport/ledgerProblem``); nil when it was read from the ledger.
    public var ledgerProblem: String?

    /// Reads the export of the run in `directory`.
    ///
    /// - Throws: ``LedgerError`` when the directory holds no ledger, or when the run has no
    ///   scored best prompt yet (still running, killed or failed), naming its status and what to do.
    public init(directory: String) throws {
        let report = try RunDirectoryReport(directory: directory, top: 0)
        let run = report.run
        guard let best = report.bestScores else {
            let state = run.status == .running ? "is running (or was killed)" : "is \(run.status.rawValue)"
            let fix = run.status == .running ? "wait for it to finish or, if it was killed, resume it to continue"
                : "resume it to finish"
            throw LedgerError("\(directory): the run \(state) and has no best prompt scored on test yet; \(fix), then export",
                              remedy: .resumeRun(directory: directory))
        }
        self.directory = directory
        prompt = best.prompt
        let config = run.configJSON.flatMap { try? JSONValue(parsing: $0) }
        template = config?["task"]?["template"]?.stringValue ?? (config == nil ? nil : "{prompt} {input}")
        var runObject: [String: JSONValue] = [
            "name": .string(run.name), "directory": .string(directory), "status": .string(report.statusName),
            "started": .string(RunDirectoryReport.timestamp(run.started)), "sessions": .number(Double(run.sessions)),
            "wall_seconds": .number(run.wallSeconds),
        ]
        runObject["finished"] = run.finished.map { .string(RunDirectoryReport.timestamp($0)) } ?? .null
        runObject["ledger_problem"] = report.ledgerProblem.map(JSONValue.string) ?? .null
        ledgerProblem = report.ledgerProblem
        var object: [String: JSONValue] = [
            "run": .object(runObject),
            "backend": .string(run.backend),
            "metric": report.result?["metric"] ?? .null,
            "stages": .array(run.stages.map { stage in
                ["plugin": .string(stage.plugin), "status": .string(stage.status.rawValue), "used_calls": .number(Double(stage.usedCalls)),
                 "best_prompt": stage.bestPrompt.map { .string($0.text) } ?? .null]
            }),
            "scores": ["baseline": report.baselineScores.map(RunDirectoryReport.scoresJSON) ?? .null, "best": RunDirectoryReport.scoresJSON(best)],
            "test_rows": report.result?["split_sizes"]?["test"] ?? .null,
        ]
        if let text = run.configJSON {
            object["config"] = config ?? .string(text)
            object["config_sha256"] = .string(SHA256.hex(Array(text.utf8)))
        } else {
            object["config"] = .null
        }
        provenance = .object(object)
    }

    /// The template with the prompt filled in and `{input}` kept, when the template is known
    /// and the prompt is one text for every input (a `text` artifact).
    public var filledTemplate: String? {
        guard prompt.kind == .text else { return nil }
        return template.map { TemplateRenderer(template: $0).render(prompt: prompt.text, input: "{input}") }
    }

    /// The export in `format`, ending with a newline.
    ///
    /// - Throws: ``LedgerError`` for `template` when the run recorded no config (a program
    ///   embedding Hone ran it without one), so the template is unknown.
    public func rendered(_ format: Format) throws -> String {
        switch format {
        case .text:
            return prompt.text + "\n"
        case .template:
            if prompt.kind != .text {
                let why = prompt.kind == .rendered
                    ? "its {prompt} text is written for each input by \(prompt.method ?? "its plugin")'s renderer, so no one filled template exists"
                    : "it classifies with learned class vectors (an embedding head) that a filled template cannot carry"
                throw LedgerError("\(directory): the optimized prompt is a \(prompt.kind.rawValue) artifact: \(why); export it in the artifact format and apply that artifact, or export it as json", remedy: .applyArtifact(runDirectory: directory))
            }
            guard let filledTemplate else {
                let why = ledgerProblem == nil ? "the run recorded no config" : "the config was recorded only in the ledger, which cannot be read"
                throw LedgerError("\(directory): \(why), so its template is unknown; export it as text, artifact or json instead")
            }
            return filledTemplate + "\n"
        case .json:
            var object: [String: JSONValue] = [
                "prompt": .string(prompt.text),
                "artifact": (try? JSONValue(parsing: Wire.encode(prompt.stored))) ?? .null,
                "provenance": provenance,
            ]
            object["template"] = template.map(JSONValue.string) ?? .null
            object["filled_template"] = filledTemplate.map(JSONValue.string) ?? .null
            return JSONValue.object(object).prettyPrinted() + "\n"
        case .artifact:
            return ((try? JSONValue(parsing: Wire.encode(prompt.stored))) ?? .null).prettyPrinted() + "\n"
        }
    }
}
