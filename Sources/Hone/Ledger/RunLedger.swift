import Foundation
import HoneSDK

/// The SQLite ledger of one run, `<run dir>/ledger.sqlite`: the run (its config as given,
/// times, status), its stages, every candidate prompt a stage scored, every backend call, the
/// baseline and best scores, and each stage's last checkpoint. `hone resume` continues a run
/// from it and `hone report` reads it; the tables are described in docs/runs.md.
///
/// Writes are cheap: WAL mode with `synchronous=NORMAL` (no fsync per commit), prepared
/// statements, and one transaction per evaluate request or backend call. Once the run has
/// started, a write that fails is logged by the caller and never fails the run.
///
/// A ledger carries SQLite's `application_id` "Hone" (`LedgerFileIdentity`): a file named
/// `ledger.sqlite` that is not a Hone ledger is never replaced and never written into.
///
/// > Warning: a ledger records; it is not a lock. Writers hold the run directory's
/// > `RunDirectoryLock` for the life of the run, so two never write one ledger.
///
/// `@unchecked Sendable`: it owns SQLite statements prepared once (C handles), which run only
/// inside the database's lock (`SQLiteDatabase`); `session` is set while the ledger is opened
/// for a resume, before it is shared.
public final class RunLedger: @unchecked Sendable {
    /// The ledger's file name inside a run directory.
    public static let fileName = "ledger.sqlite"

    /// The ledger file.
    public var path: String { database.path }
    /// The current session: 1 for `hone run`, one more for each `hone resume`.
    public private(set) var session = 1

    let database: SQLiteDatabase
    /// Writes that failed in this session (see ``LedgerGaps``).
    let gaps = LedgerGaps()
    /// The schema version of the file (a read-only ledger of schema 1 is read as it is).
    let schemaVersion: Int
    /// The writing statements, prepared once; nil in a ledger opened read-only.
    private let writers: Writers?

    /// The statements every recorded call runs, prepared once.
    private struct Writers {
        let insertCall: SQLiteDatabase.Statement
        let insertCandidate: SQLiteDatabase.Statement
        let updateStageUsage: SQLiteDatabase.Statement
        let insertArtifact: SQLiteDatabase.Statement
    }

    private init(path: String, create: Bool, readOnly: Bool = false) throws {
        let db = try SQLiteDatabase(path: path, purpose: "run ledger", readOnly: readOnly)
        let statement = try db.prepare("PRAGMA user_version")
        let version = try db.locked { () -> Int in
            defer { statement.reset() }
            return try statement.step() ? statement.int(0) : 0
        }
        if create {
            try db.transaction {
                try db.execute(LedgerSchema.create)
                for v in 2...LedgerSchema.version { try db.execute(LedgerSchema.migrations[v]!) }
                try db.execute("PRAGMA application_id = \(LedgerFileIdentity.honeApplicationID)")
                try db.execute("PRAGMA user_version = \(LedgerSchema.version)")
            }
        } else if version < LedgerSchema.version, version >= 1, !readOnly {
            try db.transaction {
                for v in (version + 1)...LedgerSchema.version { try db.execute(LedgerSchema.migrations[v]!) }
                try db.execute("PRAGMA application_id = \(LedgerFileIdentity.honeApplicationID)")
                try db.execute("PRAGMA user_version = \(LedgerSchema.version)")
            }
        } else if version != LedgerSchema.version, !(readOnly && (1..<LedgerSchema.version).contains(version)) {
            throw LedgerError.schema(path, found: version)
        }
        database = db
        schemaVersion = create ? LedgerSchema.version : (readOnly ? version : LedgerSchema.version)
        guard !readOnly else {
            writers = nil
            return
        }
        writers = Writers(insertCall: try database.prepare("""
            INSERT INTO backend_calls (session, stage, op, request_hash, items, cached, cache_hits, items_computed, model_calls,
                prompt_tokens, completion_tokens, cost_usd, retries, latency_seconds, error, time)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """),
        insertCandidate: try database.prepare("""
            INSERT INTO candidates (stage, call, prompt_text, artifact_sha256, split, score, examples, failed, time)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """),
        updateStageUsage: try database.prepare("UPDATE stages SET used_calls = ?, evaluated_prompts = ? WHERE stage = ?"),
        insertArtifact: try database.prepare("INSERT OR IGNORE INTO artifacts (sha256, json) VALUES (?, ?)"))
    }

    /// Creates a fresh ledger in `directory` (created if missing), replacing an earlier Hone
    /// ledger: a new `hone run` into a run directory starts a new record, as it writes a new
    /// result. A `ledger.sqlite` that is not a Hone ledger is refused with a ``LedgerError``
    /// and left as it is. The caller holds the directory's `RunDirectoryLock`.
    public static func create(in directory: String) throws -> RunLedger {
        let path = directory + "/" + fileName
        if case .foreign(let reason) = LedgerFileIdentity.of(path: path) { throw LedgerError.foreign(path, reason: reason) }
        for suffix in ["", "-wal", "-shm", LedgerGaps.markerSuffix] where FileManager.default.fileExists(atPath: path + suffix) {
            try FileManager.default.removeItem(atPath: path + suffix)
        }
        return try RunLedger(path: path, create: true)
    }

    /// Opens the ledger of the run in `directory` for reading only (`hone report`, `hone
    /// export`): nothing in the directory is created or changed, and it works on a read-only
    /// mount. Throws a ``LedgerError`` naming what is missing when the directory or its ledger
    /// does not exist, the file is not a Hone ledger, or it records no run.
    public static func open(directory: String) throws -> RunLedger {
        try open(directory: directory, readOnly: true)
    }

    /// Opens the ledger of the run in `directory` to continue writing it (`hone resume`); the
    /// caller holds the directory's `RunDirectoryLock`. Throws as ``open(directory:)``.
    public static func openForWriting(directory: String) throws -> RunLedger {
        try open(directory: directory, readOnly: false)
    }

    private static func open(directory: String, readOnly: Bool) throws -> RunLedger {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw LedgerError.noRunDirectory(directory)
        }
        let path = directory + "/" + fileName
        switch LedgerFileIdentity.of(path: path) {
        case .absent: throw LedgerError.noLedger(directory)
        case .foreign(let reason): throw LedgerError.foreign(path, reason: reason)
        case .hone: break
        }
        let ledger = try RunLedger(path: path, create: false, readOnly: readOnly)
        let statement = try ledger.database.prepare("SELECT sessions FROM run WHERE id = 1")
        guard let sessions = try ledger.database.locked({ try statement.step() ? statement.int(0) : nil }) else {
            throw LedgerError.noRun(path)
        }
        ledger.session = sessions
        return ledger
    }

    // MARK: - The run

    /// Records the start of a run: its config as given, and every stage as pending.
    func startRun(
        name: String, configJSON: String?, baseDirectory: String, pluginPaths: [String], persistentCache: Bool,
        backend: String, stages: [(plugin: String, budgetCalls: Int?)]
    ) throws {
        let now = Date().timeIntervalSince1970
        try write {
            let run = try database.prepare("""
                INSERT INTO run (id, name, config_json, base_directory, plugin_paths_json, persistent_cache, backend, status, sessions, started)
                VALUES (1, ?, ?, ?, ?, ?, ?, ?, 1, ?)
                """)
            run.bind(1, text: name)
            run.bind(2, text: configJSON)
            run.bind(3, text: baseDirectory)
            run.bind(4, text: JSONValue.array(pluginPaths.map { .string($0) }).serialized())
            run.bind(5, int: persistentCache ? 1 : 0)
            run.bind(6, text: backend)
            run.bind(7, text: RunStatus.running.rawValue)
            run.bind(8, double: now)
            _ = try run.step()
            let stage = try database.prepare("INSERT INTO stages (stage, plugin, status, budget_calls) VALUES (?, ?, ?, ?)")
            for (i, s) in stages.enumerated() {
                stage.reset()
                stage.bind(1, int: i)
                stage.bind(2, text: s.plugin)
                stage.bind(3, text: StageStatus.pending.rawValue)
                stage.bind(4, int: s.budgetCalls)
                _ = try stage.step()
            }
        }
        session = 1
        // Move the run's first records from the WAL into the main file now, so a run killed
        // and later found without its `-wal` file is still a run (with what it had recorded).
        try? database.execute("PRAGMA wal_checkpoint(PASSIVE)")
    }

    /// Starts another session of a recorded run (`hone resume`): the run is running again.
    func beginSession(backend: String) throws {
        try write {
            let s = try database.prepare("UPDATE run SET sessions = sessions + 1, status = ?, error = NULL, finished = NULL, backend = ? WHERE id = 1")
            s.bind(1, text: RunStatus.running.rawValue)
            s.bind(2, text: backend)
            _ = try s.step()
        }
        session += 1
    }

    /// Records how the run ended and adds this session's seconds.
    func finishRun(_ status: RunStatus, error: String? = nil, sessionSeconds: Double) throws {
        try write {
            let s = try database.prepare("UPDATE run SET status = ?, error = ?, finished = ?, wall_seconds = wall_seconds + ? WHERE id = 1")
            s.bind(1, text: status.rawValue)
            s.bind(2, text: error)
            s.bind(3, double: Date().timeIntervalSince1970)
            s.bind(4, double: sessionSeconds)
            _ = try s.step()
        }
    }

    /// Records the scores of the baseline ("baseline") or final ("best") prompt.
    func recordScores(_ which: String, prompt: PromptArtifact, scores: SplitScores) throws {
        try write {
            let s = try database.prepare("INSERT OR REPLACE INTO scores (which, prompt_text, prompt_json, train, dev, test, time) VALUES (?, ?, ?, ?, ?, ?, ?)")
            s.bind(1, text: which)
            s.bind(2, text: prompt.text)
            s.bind(3, text: try Wire.encode(prompt.stored))
            s.bind(4, double: scores.train)
            s.bind(5, double: scores.dev)
            s.bind(6, double: scores.test)
            s.bind(7, double: Date().timeIntervalSince1970)
            _ = try s.step()
        }
    }

    // MARK: - Stages

    /// Records that stage `index` (re)started from `seed`.
    func stageStarted(_ index: Int, seed: PromptArtifact) throws {
        try write {
            let s = try database.prepare("""
                UPDATE stages SET status = ?, attempts = attempts + 1, seed_prompt_json = ?, error = NULL,
                    started = COALESCE(started, ?), finished = NULL WHERE stage = ?
                """)
            s.bind(1, text: StageStatus.running.rawValue)
            s.bind(2, text: try Wire.encode(seed))
            s.bind(3, double: Date().timeIntervalSince1970)
            s.bind(4, int: index)
            _ = try s.step()
        }
    }

    /// Records a stage that returned (done, or cancelled with its best prompt so far).
    func stageFinished(_ index: Int, status: StageStatus, result: RunResult, usedCalls: Int, evaluatedPrompts: Int, wallSeconds: Double) throws {
        try write {
            let s = try database.prepare("""
                UPDATE stages SET status = ?, used_calls = ?, evaluated_prompts = ?, best_prompt_text = ?, best_prompt_json = ?,
                    summary_json = ?, curve_json = ?, finished = ?, wall_seconds = ? WHERE stage = ?
                """)
            s.bind(1, text: status.rawValue)
            s.bind(2, int: usedCalls)
            s.bind(3, int: evaluatedPrompts)
            s.bind(4, text: result.bestPrompt.text)
            s.bind(5, text: try Wire.encode(result.bestPrompt.stored))
            s.bind(6, text: result.summary?.serialized())
            s.bind(7, text: result.curve.map { JSONValue.array($0).serialized() })
            s.bind(8, double: Date().timeIntervalSince1970)
            s.bind(9, double: wallSeconds)
            s.bind(10, int: index)
            _ = try s.step()
        }
    }

    /// Stores `prompt` once in `artifacts` (unless it is a bare text) and returns its key, the
    /// SHA-256 of its identity; nil for a text artifact without data. Call inside a transaction.
    private func storeArtifact(_ prompt: PromptArtifact) throws -> String? {
        let stored = prompt.stored
        guard stored.kind != .text || stored.data != nil || stored.parts != nil else { return nil }
        let identity = stored.identity
        let key = SHA256.hex(Array(identity.utf8))
        let insert = try writing().insertArtifact
        insert.reset()
        insert.bind(1, text: key)
        insert.bind(2, text: identity)
        _ = try insert.step()
        insert.reset()
        return key
    }

    /// The writing statements, or an error saying the ledger was opened read-only.
    private func writing() throws -> Writers {
        guard let writers else { throw LedgerError("\(path) was opened read-only; open it with RunLedger.openForWriting to record") }
        return writers
    }

    /// Records the host's check of a stage's pick against its starting prompt on train+dev.
    func recordSelection(_ index: Int, _ selection: StageSelection) throws {
        try database.transaction {
            let s = try database.prepare("UPDATE stages SET selection_json = ? WHERE stage = ?")
            s.bind(1, text: selection.json.serialized())
            s.bind(2, int: index)
            _ = try s.step()
        }
    }

    /// Records a stage whose plugin failed.
    func stageFailed(_ index: Int, error: String, usedCalls: Int, evaluatedPrompts: Int, wallSeconds: Double) throws {
        try write {
            let s = try database.prepare("""
                UPDATE stages SET status = ?, error = ?, used_calls = ?, evaluated_prompts = ?, finished = ?, wall_seconds = ? WHERE stage = ?
                """)
            s.bind(1, text: StageStatus.failed.rawValue)
            s.bind(2, text: error)
            s.bind(3, int: usedCalls)
            s.bind(4, int: evaluatedPrompts)
            s.bind(5, double: Date().timeIntervalSince1970)
            s.bind(6, double: wallSeconds)
            s.bind(7, int: index)
            _ = try s.step()
        }
    }

    /// Stores stage `index`'s checkpoint, replacing the previous one.
    func saveCheckpoint(_ index: Int, json: String) throws {
        try write {
            let s = try database.prepare("""
                INSERT INTO checkpoints (stage, json, saves, time) VALUES (?, ?, 1, ?)
                ON CONFLICT (stage) DO UPDATE SET json = excluded.json, saves = saves + 1, time = excluded.time
                """)
            s.bind(1, int: index)
            s.bind(2, text: json)
            s.bind(3, double: Date().timeIntervalSince1970)
            _ = try s.step()
        }
    }

    // MARK: - Calls and candidates

    /// Records one backend call and, for an evaluate request, the candidates it scored, with
    /// the stage's running counts, all in one transaction.
    func record(
        _ call: BackendCallRecord, candidates: [(prompt: PromptArtifact, split: String, score: PromptScore, examples: Int)] = [],
        stageUsage: (usedCalls: Int, evaluatedPrompts: Int)? = nil
    ) throws {
        let now = Date().timeIntervalSince1970
        try write {
            let c = try writing().insertCall
            c.reset()
            c.bind(1, int: session)
            c.bind(2, int: call.stage)
            c.bind(3, text: call.op)
            c.bind(4, text: call.requestHash)
            c.bind(5, int: call.items)
            c.bind(6, int: call.isCached ? 1 : 0)
            c.bind(7, int: call.usage.cacheHits)
            c.bind(8, int: call.usage.itemsComputed)
            c.bind(9, int: call.usage.modelCalls)
            c.bind(10, int: call.usage.promptTokens)
            c.bind(11, int: call.usage.completionTokens)
            c.bind(12, double: call.usage.costUSD)
            c.bind(13, int: call.usage.retries)
            c.bind(14, double: call.latencySeconds)
            c.bind(15, text: call.error)
            c.bind(16, double: now)
            _ = try c.step()
            c.reset()
            let callID = database.lastInsertRowID
            if let stage = call.stage {
                let k = try writing().insertCandidate
                for candidate in candidates {
                    k.reset()
                    k.bind(1, int: stage)
                    k.bind(2, int: callID)
                    k.bind(3, text: candidate.prompt.text)
                    k.bind(4, text: try storeArtifact(candidate.prompt))
                    k.bind(5, text: candidate.split)
                    k.bind(6, double: candidate.score.score)
                    k.bind(7, int: candidate.examples)
                    k.bind(8, int: candidate.score.failed ?? 0)
                    k.bind(9, double: now)
                    _ = try k.step()
                }
                k.reset()
                if let stageUsage {
                    let u = try writing().updateStageUsage
                    u.reset()
                    u.bind(1, int: stageUsage.usedCalls)
                    u.bind(2, int: stageUsage.evaluatedPrompts)
                    u.bind(3, int: stage)
                    _ = try u.step()
                    u.reset()
                }
            }
        }
    }
}
