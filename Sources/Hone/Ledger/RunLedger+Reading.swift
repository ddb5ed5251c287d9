import Foundation
import HoneSDK

extension RunLedger {
    /// The run as recorded: config, status, stages, and the baseline and best scores.
    public func recordedRun() throws -> RecordedRun {
        try database.locked {
            let r = try database.prepare("""
                SELECT name, config_json, base_directory, plugin_paths_json, persistent_cache, backend, status, error,
                    sessions, started, finished, wall_seconds FROM run WHERE id = 1
                """)
            guard try r.step() else { throw LedgerError.noRun(path) }
            let pluginPaths = (try? JSONValue(parsing: r.text(3)))?.arrayValue?.compactMap(\.stringValue) ?? []
            var run = RecordedRun(
                name: r.text(0), configJSON: r.optionalText(1), baseDirectory: r.text(2), pluginPaths: pluginPaths,
                persistentCache: r.int(4) != 0, backend: r.text(5), status: RunStatus(rawValue: r.text(6)) ?? .running,
                error: r.optionalText(7), sessions: r.int(8), started: Date(timeIntervalSince1970: r.double(9)),
                finished: r.optionalDouble(10).map(Date.init(timeIntervalSince1970:)), wallSeconds: r.double(11),
                stages: [], baseline: nil, best: nil)
            let s = try database.prepare("""
                SELECT stage, plugin, status, budget_calls, used_calls, evaluated_prompts, attempts, seed_prompt_json,
                    best_prompt_json, summary_json, curve_json, error, wall_seconds, \(schemaVersion >= 2 ? "selection_json" : "NULL") FROM stages ORDER BY stage
                """)
            while try s.step() {
                run.stages.append(RecordedStage(
                    index: s.int(0), plugin: s.text(1), status: StageStatus(rawValue: s.text(2)) ?? .pending,
                    budgetCalls: s.optionalInt(3), usedCalls: s.int(4), evaluatedPrompts: s.int(5), attempts: s.int(6),
                    seedPrompt: s.optionalText(7).flatMap { try? Wire.decode(PromptArtifact.self, from: $0) },
                    bestPrompt: s.optionalText(8).flatMap { try? Wire.decode(PromptArtifact.self, from: $0) },
                    summary: s.optionalText(9).flatMap { try? JSONValue(parsing: $0) },
                    curve: s.optionalText(10).flatMap { try? JSONValue(parsing: $0) }?.arrayValue,
                    error: s.optionalText(11), wallSeconds: s.double(12),
                    selection: s.optionalText(13).flatMap { try? JSONValue(parsing: $0) }.flatMap(StageSelection.init(json:))))
            }
            let scores = try database.prepare("SELECT which, prompt_json, train, dev, test FROM scores")
            while try scores.step() {
                guard let prompt = try? Wire.decode(PromptArtifact.self, from: scores.text(1)) else { continue }
                let recorded = RecordedScores(prompt: prompt, scores: SplitScores(train: scores.double(2), dev: scores.double(3), test: scores.double(4)))
                switch scores.text(0) {
                case "baseline": run.baseline = recorded
                case "best": run.best = recorded
                default: break
                }
            }
            return run
        }
    }

    /// Stage `index`'s last checkpoint, or nil when it saved none.
    public func checkpoint(stage index: Int) throws -> String? {
        try database.locked {
            let s = try database.prepare("SELECT json FROM checkpoints WHERE stage = ?")
            s.bind(1, int: index)
            return try s.step() ? s.text(0) : nil
        }
    }

    /// Stage `index`'s candidates with the highest scores, best first (ties: earliest first).
    public func topCandidates(stage index: Int, limit: Int) throws -> [RecordedCandidate] {
        try database.locked {
            let s = try database.prepare("""
                SELECT prompt_text, split, score, examples, failed, time FROM candidates
                WHERE stage = ? ORDER BY score DESC, id LIMIT ?
                """)
            s.bind(1, int: index)
            s.bind(2, int: max(0, limit))
            return try Self.candidateRows(s, stage: index)
        }
    }

    /// The rows of a statement selecting `prompt_text, split, score, examples, failed, time` from `candidates`.
    private static func candidateRows(_ s: SQLiteDatabase.Statement, stage index: Int) throws -> [RecordedCandidate] {
        var found: [RecordedCandidate] = []
        while try s.step() {
            found.append(RecordedCandidate(
                stage: index, promptText: s.text(0), split: s.text(1), score: s.double(2), examples: s.int(3),
                failed: s.int(4), time: Date(timeIntervalSince1970: s.double(5))))
        }
        return found
    }

    /// How many candidates stage `index` scored (a prompt scored on train and on dev counts twice).
    public func candidateCount(stage index: Int) throws -> Int {
        try database.locked {
            let s = try database.prepare("SELECT COUNT(*) FROM candidates WHERE stage = ?")
            s.bind(1, int: index)
            return try s.step() ? s.int(0) : 0
        }
    }

    /// Every candidate stage `index` scored, in the order scored.
    public func candidates(stage index: Int) throws -> [RecordedCandidate] {
        try database.locked {
            let s = try database.prepare("SELECT prompt_text, split, score, examples, failed, time FROM candidates WHERE stage = ? ORDER BY id")
            s.bind(1, int: index)
            return try Self.candidateRows(s, stage: index)
        }
    }

    /// Totals over the recorded backend calls: of one stage, of the host's own scorings
    /// (`stage: .some(nil)`), or of all (`stage: nil`); only sessions before `session` when given.
    public func callTotals(stage: Int?? = nil, beforeSession session: Int? = nil) throws -> BackendCallTotals {
        var conditions: [String] = []
        switch stage {
        case .none: break
        case .some(.none): conditions.append("stage IS NULL")
        case .some(.some(let i)): conditions.append("stage = \(i)")
        }
        if let session { conditions.append("session < \(session)") }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try database.locked {
            let s = try database.prepare("""
                SELECT COUNT(*), TOTAL(items), TOTAL(cache_hits), TOTAL(items_computed),
                    TOTAL(cached),
                    TOTAL(model_calls), TOTAL(CASE WHEN error IS NULL THEN 0 ELSE 1 END), TOTAL(prompt_tokens),
                    TOTAL(completion_tokens), TOTAL(cost_usd), TOTAL(latency_seconds), TOTAL(retries)
                FROM backend_calls \(whereClause)
                """)
            var t = BackendCallTotals()
            guard try s.step() else { return t }
            t.calls = s.int(0)
            t.items = Int(s.double(1))
            t.cacheHits = Int(s.double(2))
            t.itemsComputed = Int(s.double(3))
            t.cachedCalls = Int(s.double(4))
            t.modelCalls = Int(s.double(5))
            t.failures = Int(s.double(6))
            t.promptTokens = Int(s.double(7))
            t.completionTokens = Int(s.double(8))
            t.costUSD = s.double(9)
            t.latencySeconds = s.double(10)
            return t
        }
    }

    /// The backend work recorded by sessions before `session`, as usage counters (what a
    /// resumed run adds to its own backend's counters in `result.json`).
    func usage(beforeSession session: Int) throws -> BackendUsage {
        try database.locked {
            let s = try database.prepare("""
                SELECT TOTAL(model_calls), TOTAL(cache_hits), TOTAL(items_computed), TOTAL(prompt_tokens),
                    TOTAL(completion_tokens), TOTAL(cost_usd), TOTAL(retries) FROM backend_calls WHERE session < ?
                """)
            s.bind(1, int: session)
            var u = BackendUsage()
            guard try s.step() else { return u }
            u.modelCalls = Int(s.double(0))
            u.cacheHits = Int(s.double(1))
            u.itemsComputed = Int(s.double(2))
            u.promptTokens = Int(s.double(3))
            u.completionTokens = Int(s.double(4))
            u.costUSD = s.double(5)
            u.retries = Int(s.double(6))
            return u
        }
    }
}
