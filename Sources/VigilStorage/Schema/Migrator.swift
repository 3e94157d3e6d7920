import Foundation
import Logging
import VigilSchemas

/// Applies the ordered SQL migrations shipped in `schemas/` and records them in `schema_migrations`.
public struct Migrator: Sendable {
    /// One migration file: `NNNN_name.sql`.
    public struct Migration: Sendable {
        public var version: Int
        public var name: String
        public var sql: String
    }

    public let migrations: [Migration]

    public init(migrations: [Migration]) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// The migrations bundled with Vigil.
    public static func bundled() throws(StorageError) -> Migrator {
        guard let directory = VigilSchemas.migrationsDirectory else {
            throw StorageError(code: .migrationFailed, message: "the bundled schema migrations are missing")
        }
        return try Migrator(directory: directory)
    }

    /// Reads every `NNNN_name.sql` file of a directory.
    public init(directory: URL) throws(StorageError) {
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
        } catch {
            throw StorageError(code: .migrationFailed, message: "cannot list \(directory.path): \(error)")
        }
        var migrations: [Migration] = []
        for file in files where file.pathExtension == "sql" {
            let base = file.deletingPathExtension().lastPathComponent
            let parts = base.split(separator: "_", maxSplits: 1)
            guard parts.count == 2, let version = Int(parts[0]) else {
                throw StorageError(code: .migrationFailed, message: "migration file \(file.lastPathComponent) is not named NNNN_name.sql")
            }
            let sql: String
            do {
                sql = try String(contentsOf: file, encoding: .utf8)
            } catch {
                throw StorageError(code: .migrationFailed, message: "cannot read \(file.lastPathComponent): \(error)")
            }
            migrations.append(Migration(version: version, name: String(parts[1]), sql: sql))
        }
        self.init(migrations: migrations)
    }

    /// Applies every migration not yet recorded, each in its own transaction, under an advisory
    /// lock so that concurrent starts do not race. Returns the versions applied.
    @discardableResult
    public func migrate(_ connection: PostgresConnection, logger: Logger) throws(StorageError) -> [Int] {
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            );
            COMMENT ON TABLE schema_migrations IS 'Schema migrations applied to this database, one row per file in schemas/.';
            COMMENT ON COLUMN schema_migrations.version IS 'Migration number, the NNNN of schemas/NNNN_name.sql.';
            COMMENT ON COLUMN schema_migrations.name IS 'Migration name, the name of schemas/NNNN_name.sql.';
            COMMENT ON COLUMN schema_migrations.applied_at IS 'When the migration was applied.';
            """)
        try connection.execute("SELECT pg_advisory_lock(\(Self.advisoryLockKey))")
        defer { _ = try? connection.execute("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))") }
        let applied = Set(try connection.execute("SELECT version FROM schema_migrations").rows.compactMap { $0[0].flatMap { Int($0) } })
        var done: [Int] = []
        for migration in migrations where !applied.contains(migration.version) {
            do throws(StorageError) {
                try connection.execute("BEGIN")
                try connection.execute(migration.sql)
                try connection.execute("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [String(migration.version), migration.name])
                try connection.execute("COMMIT")
            } catch {
                _ = try? connection.execute("ROLLBACK")
                throw StorageError(code: .migrationFailed, message: "migration \(migration.version)_\(migration.name) failed: \(error.message)", sqlState: error.sqlState)
            }
            logger.info("applied schema migration", metadata: ["db.migration": "\(migration.version)_\(migration.name)"])
            done.append(migration.version)
        }
        return done
    }

    /// The latest version recorded in the database, or `nil` before the first migration.
    public static func currentVersion(_ connection: PostgresConnection) throws(StorageError) -> Int? {
        let exists = try connection.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").scalar == "t"
        guard exists else { return nil }
        return try connection.execute("SELECT max(version) FROM schema_migrations").scalar.flatMap { Int($0) }
    }

    static let advisoryLockKey: Int64 = 0x5669_6769_6C4D_6967 // "VigilMig"
}
