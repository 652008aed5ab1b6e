import Crypto
import Foundation
import Logging
import PostgresNIO
import RuralPostCore

/// Applies `sql/NNNN_name.sql` files in order, each in its own transaction, and
/// records them in `schema_migrations`. Re-running is a no-op; an applied file whose
/// content changed is refused (never edit an applied migration).
public struct MigrationRunner: Sendable {
    public struct Migration: Sendable {
        public let version: Int
        public let name: String
        public let sql: String
        public var checksum: String {
            Hex.string(SHA256.hash(data: Data(sql.utf8)))
        }
    }

    let database: Database
    let directory: URL

    public init(database: Database, directory: URL? = nil) throws {
        self.database = database
        self.directory = try directory ?? ProjectFiles.directory("sql")
    }

    /// The migration files, sorted by version.
    public func migrations() throws -> [Migration] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sql") }
        var result: [Migration] = []
        for file in files {
            guard let underscore = file.firstIndex(of: "_"), let version = Int(file[..<underscore]) else {
                throw DomainError.internalError("migration file \(file) must be named NNNN_name.sql")
            }
            let sql = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            result.append(Migration(version: version, name: String(file.dropLast(4)), sql: sql))
        }
        result.sort { $0.version < $1.version }
        for (a, b) in zip(result, result.dropFirst()) where a.version == b.version {
            throw DomainError.internalError("two migrations share version \(a.version)")
        }
        return result
    }

    /// Applies pending migrations; returns the names applied now.
    @discardableResult
    public func migrate() async throws -> [String] {
        let logger = database.logger
        // A fixed advisory lock key serialises concurrent migrators (two servers starting).
        let lockKey: Int64 = 0x52_50_4D_49_47  // "RPMIG"
        var applied: [String] = []
        for migration in try migrations() {
            let didApply = try await database.transaction { conn in
                try await conn.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
                try await conn.query("""
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
                        applied_at timestamptz NOT NULL DEFAULT now())
                    """, logger: logger)
                let rows = try await conn.query(
                    "SELECT checksum FROM schema_migrations WHERE version = \(migration.version)", logger: logger)
                for try await (checksum) in rows.decode(String.self) {
                    guard checksum == migration.checksum else {
                        throw DomainError.internalError(
                            "migration \(migration.name) was changed after it was applied; add a new migration instead")
                    }
                    return false
                }
                for statement in SQLScript.statements(migration.sql) {
                    try await conn.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await conn.query("""
                    INSERT INTO schema_migrations (version, name, checksum)
                    VALUES (\(migration.version), \(migration.name), \(migration.checksum))
                    """, logger: logger)
                return true
            }
            if didApply {
                logger.info("applied migration", metadata: ["migration": "\(migration.name)"])
                applied.append(migration.name)
            }
        }
        return applied
    }
}
