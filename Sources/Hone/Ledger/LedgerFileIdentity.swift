import Foundation

/// Whether a file named `ledger.sqlite` is a Hone run ledger, told without writing to it.
///
/// Hone ledgers carry SQLite's `PRAGMA application_id` ``honeApplicationID`` ("Hone" in
/// ASCII). Ledgers written before the id existed (schema 1) have application id 0 and are
/// recognized by their tables. Anything else (another program's SQLite file, a file that is not
/// SQLite at all) is foreign: Hone neither replaces it nor writes a schema into it.
enum LedgerFileIdentity: Equatable {
    /// No file at the path.
    case absent
    /// A Hone ledger, with its schema version (`PRAGMA user_version`).
    case hone(version: Int)
    /// Not a Hone ledger; the reason says what it is.
    case foreign(reason: String)

    /// `PRAGMA application_id` of every Hone ledger: the bytes "Hone".
    static let honeApplicationID: Int32 = 0x486F_6E65

    /// The tables of a schema-1 ledger, which predates the application id.
    private static let legacyTables: Set<String> = ["run", "stages", "scores", "backend_calls", "candidates", "checkpoints"]

    /// What the file at `path` is. Opens it read-only, so nothing is created or changed.
    static func of(path: String) -> LedgerFileIdentity {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .absent }
        if isDirectory.boolValue { return .foreign(reason: "it is a directory") }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        if size == 0 { return .foreign(reason: "it is an empty file") }
        guard let handle = FileHandle(forReadingAtPath: path) else { return .foreign(reason: "it cannot be read") }
        let header = handle.readData(ofLength: 16)
        try? handle.close()
        guard header == Data("SQLite format 3\0".utf8) else { return .foreign(reason: "it is not an SQLite database") }
        do {
            let db = try SQLiteDatabase(path: path, purpose: "file", readOnly: true)
            let pragmas = try db.prepare("SELECT (SELECT application_id FROM pragma_application_id), (SELECT user_version FROM pragma_user_version)")
            guard try pragmas.step() else { return .foreign(reason: "its header cannot be read") }
            let applicationID = Int32(truncatingIfNeeded: pragmas.int(0))
            let version = pragmas.int(1)
            if applicationID == honeApplicationID { return .hone(version: version) }
            if applicationID != 0 {
                return .foreign(reason: String(format: "its SQLite application_id is 0x%08X, not Hone's 0x%08X", applicationID, honeApplicationID))
            }
            let tables = try db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
            var names = Set<String>()
            while try tables.step() { names.insert(tables.text(0)) }
            if version == 1, legacyTables.isSubset(of: names) { return .hone(version: 1) }
            return .foreign(reason: names.isEmpty ? "it is an SQLite database with no Hone tables" : "it is an SQLite database of another program (tables \(names.sorted().joined(separator: ", ")))")
        } catch {
            return .foreign(reason: "it cannot be read as SQLite: \(error)")
        }
    }
}
