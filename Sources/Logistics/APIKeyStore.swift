import Crypto
import Foundation
import NIOCore
import Persistence
import PostgresNIO
import RuralPostCore

/// Creates and checks API keys. Only the SHA-256 of a key is stored; the key itself
/// is shown once at creation.
public struct APIKeyStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// A new random key: `rp_` + 40 base-32 characters (200 bits from the system CSPRNG).
    static func generateSecret() -> String {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyz23456789")  // no look-alikes
        var generator = SystemRandomNumberGenerator()
        return "rp_" + String((0..<40).map { _ in alphabet[Int(generator.next(upperBound: UInt32(alphabet.count)))] })
    }

    /// SHA-256 of a key, as a buffer (binds as bytea).
    static func hash(_ secret: String) -> ByteBuffer {
        ByteBuffer(bytes: SHA256.hash(data: Data(secret.utf8)))
    }

    /// Creates a key with `role`, limited to the objects named by `scopes`
    /// (`kind` + code). Returns the caller and the secret to print once.
    public func create(role: Role, name: String, scopes: [(ScopeKind, String)]) async throws -> (Caller, String) {
        let secret = Self.generateSecret()
        let hash = Self.hash(secret)
        let prefix = String(secret.prefix(10))
        let caller = try await database.transaction { conn -> Caller in
            let rows = try await conn.query("""
                INSERT INTO api_keys (prefix, key_hash, role, name)
                VALUES (\(prefix), \(hash), \(role.rawValue), \(name)) RETURNING id
                """, logger: database.logger)
            var keyId: Int64 = 0
            for try await id in rows.decode(Int64.self) { keyId = id }
            var resolved: [ScopeKind: Set<Int64>] = [:]
            for (kind, code) in scopes {
                let found = try await conn.query(
                    PostgresQuery(unsafeSQL: "SELECT id FROM \(kind.table) WHERE code = $1", binds: binds(code)),
                    logger: database.logger)
                var objectId: Int64?
                for try await id in found.decode(Int64.self) { objectId = id }
                guard let objectId else {
                    throw DomainError.invalid(field: "scope", message: "no \(kind.rawValue) with code \(code)")
                }
                try await conn.query("""
                    INSERT INTO api_key_scopes (api_key_id, kind, object_id)
                    VALUES (\(keyId), \(kind.rawValue), \(objectId)) ON CONFLICT DO NOTHING
                    """, logger: database.logger)
                resolved[kind, default: []].insert(objectId)
            }
            return Caller(keyId: keyId, role: role, scopes: resolved)
        }
        return (caller, secret)
    }

    /// The caller for `secret`, or nil when the key is unknown or revoked.
    public func authenticate(_ secret: String) async throws -> Caller? {
        let rows = try await database.query("""
            SELECT k.id, k.role, s.kind, s.object_id
            FROM api_keys k LEFT JOIN api_key_scopes s ON s.api_key_id = k.id
            WHERE k.key_hash = \(Self.hash(secret)) AND k.revoked_at IS NULL
            """)
        var keyId: Int64?
        var role: Role?
        var scopes: [ScopeKind: Set<Int64>] = [:]
        for try await (id, roleName, kind, objectId) in rows.decode((Int64, String, String?, Int64?).self) {
            keyId = id
            role = Role(rawValue: roleName)
            if let kind = kind.flatMap(ScopeKind.init(rawValue:)), let objectId {
                scopes[kind, default: []].insert(objectId)
            }
        }
        guard let keyId, let role else { return nil }
        return Caller(keyId: keyId, role: role, scopes: scopes)
    }

    /// The caller the CLI acts as (imports, demo): an admin key row whose hash is 32
    /// zero bytes, which no presented key can hash to, so it can never authenticate.
    public func systemCaller() async throws -> Caller {
        let zero = ByteBuffer(repeating: 0, count: 32)
        let rows = try await database.query("""
            INSERT INTO api_keys (prefix, key_hash, role, name) VALUES ('system', \(zero), 'admin', 'command line')
            ON CONFLICT (prefix) DO UPDATE SET name = api_keys.name RETURNING id
            """)
        for try await id in rows.decode(Int64.self) { return Caller(keyId: id, role: .admin, scopes: [:]) }
        throw DomainError.internalError("could not create the system caller")
    }

    /// Revokes the key whose prefix is `prefix`; returns whether one was found.
    public func revoke(prefix: String) async throws -> Bool {
        let rows = try await database.query(
            "UPDATE api_keys SET revoked_at = now() WHERE prefix = \(prefix) AND revoked_at IS NULL RETURNING id")
        var found = false
        for try await _ in rows { found = true }
        return found
    }
}

/// Binds for a query whose SQL must name a table (identifiers cannot be parameters).
func binds(_ values: String...) -> PostgresBindings {
    var bindings = PostgresBindings()
    for value in values { bindings.append(value) }
    return bindings
}
