/// The tables of `ledger.sqlite` (see docs/runs.md). The version is kept in `PRAGMA user_version`.
enum LedgerSchema {
    /// The schema version this host writes and reads.
    static let version = 2

    /// What turns a ledger of version N-1 into version N (the key), run in order on open.
    /// Version 2 (ABI 1.1 prompt artifacts): artifacts are stored once per run in `artifacts`,
    /// referenced by candidates; a stage records the host's keep-the-better-prompt check.
    static let migrations: [Int: String] = [
        2: """
            CREATE TABLE artifacts (
                sha256 TEXT PRIMARY KEY,
                json TEXT NOT NULL
            );
            ALTER TABLE candidates ADD COLUMN artifact_sha256 TEXT REFERENCES artifacts(sha256);
            ALTER TABLE stages ADD COLUMN selection_json TEXT;
            """,
    ]

    /// Creates every table; run once on a new ledger.
    static let create = """
        CREATE TABLE run (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            name TEXT NOT NULL,
            config_json TEXT,
            base_directory TEXT NOT NULL,
            plugin_paths_json TEXT NOT NULL,
            persistent_cache INTEGER NOT NULL,
            backend TEXT NOT NULL,
            status TEXT NOT NULL,
            error TEXT,
            sessions INTEGER NOT NULL,
            started REAL NOT NULL,
            finished REAL,
            wall_seconds REAL NOT NULL DEFAULT 0
        );
        CREATE TABLE stages (
            stage INTEGER PRIMARY KEY,
            plugin TEXT NOT NULL,
            status TEXT NOT NULL,
            budget_calls INTEGER,
            used_calls INTEGER NOT NULL DEFAULT 0,
            evaluated_prompts INTEGER NOT NULL DEFAULT 0,
            attempts INTEGER NOT NULL DEFAULT 0,
            seed_prompt_json TEXT,
            best_prompt_text TEXT,
            best_prompt_json TEXT,
            summary_json TEXT,
            curve_json TEXT,
            error TEXT,
            started REAL,
            finished REAL,
            wall_seconds REAL NOT NULL DEFAULT 0
        );
        CREATE TABLE scores (
            which TEXT PRIMARY KEY,
            prompt_text TEXT NOT NULL,
            prompt_json TEXT NOT NULL,
            train REAL NOT NULL,
            dev REAL NOT NULL,
            test REAL NOT NULL,
            time REAL NOT NULL
        );
        CREATE TABLE backend_calls (
            id INTEGER PRIMARY KEY,
            session INTEGER NOT NULL,
            stage INTEGER,
            op TEXT NOT NULL,
            request_hash TEXT NOT NULL,
            items INTEGER NOT NULL,
            cached INTEGER NOT NULL,
            cache_hits INTEGER NOT NULL,
            items_computed INTEGER NOT NULL,
            model_calls INTEGER NOT NULL,
            prompt_tokens INTEGER NOT NULL,
            completion_tokens INTEGER NOT NULL,
            cost_usd REAL NOT NULL,
            retries INTEGER NOT NULL,
            latency_seconds REAL NOT NULL,
            error TEXT,
            time REAL NOT NULL
        );
        CREATE TABLE candidates (
            id INTEGER PRIMARY KEY,
            stage INTEGER NOT NULL,
            call INTEGER NOT NULL REFERENCES backend_calls(id),
            prompt_text TEXT NOT NULL,
            prompt_data_json TEXT,
            split TEXT NOT NULL,
            score REAL NOT NULL,
            examples INTEGER NOT NULL,
            failed INTEGER NOT NULL,
            time REAL NOT NULL
        );
        CREATE INDEX candidates_by_score ON candidates (stage, score DESC);
        CREATE TABLE checkpoints (
            stage INTEGER PRIMARY KEY,
            json TEXT NOT NULL,
            saves INTEGER NOT NULL,
            time REAL NOT NULL
        );
        """
}
