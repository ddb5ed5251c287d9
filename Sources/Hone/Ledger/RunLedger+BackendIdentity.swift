import Foundation
import HoneSDK

extension RunLedger {
    /// The table of what produced a run's answers, one row per session (created on first use,
    /// so ledgers written before it existed stay readable).
    static let backendIdentityTable = """
        CREATE TABLE IF NOT EXISTS backend_identity (
            session INTEGER PRIMARY KEY,
            backend TEXT NOT NULL,
            identity_json TEXT NOT NULL,
            cache_namespace TEXT NOT NULL,
            time REAL NOT NULL
        )
        """

    /// Records what produces this session's answers (``BackendIdentifying/cacheIdentity``): the
    /// engine build, weights, libm and token limit of e5, or a server's address, so a run states
    /// what produced its numbers and the cache namespace its answers were stored under.
    func recordBackendIdentity(backend: String, identity: JSONValue, namespace: String) throws {
        try database.execute(RunLedger.backendIdentityTable)
        try write {
            let s = try database.prepare("INSERT OR REPLACE INTO backend_identity (session, backend, identity_json, cache_namespace, time) VALUES (?, ?, ?, ?, ?)")
            s.bind(1, int: session)
            s.bind(2, text: backend)
            s.bind(3, text: identity.serialized(sortedKeys: true))
            s.bind(4, text: namespace)
            s.bind(5, double: Date().timeIntervalSince1970)
            _ = try s.step()
        }
    }

    /// What produced each session's answers, in session order (empty for a ledger written
    /// before this was recorded, or a backend that does not say).
    public func backendIdentities() throws -> [(session: Int, backend: String, identity: JSONValue, cacheNamespace: String)] {
        try database.locked {
            let exists = try database.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'backend_identity'")
            guard try exists.step(), exists.int(0) > 0 else { return [] }
            let s = try database.prepare("SELECT session, backend, identity_json, cache_namespace FROM backend_identity ORDER BY session")
            var rows: [(session: Int, backend: String, identity: JSONValue, cacheNamespace: String)] = []
            while try s.step() {
                rows.append((s.int(0), s.text(1), (try? JSONValue(parsing: s.text(2))) ?? .null, s.text(3)))
            }
            return rows
        }
    }
}
