import Foundation
import Persistence
import PostgresNIO
import RuralPostCore

/// Create, read, update and list for any `MasterRecord`, with role and scope checks.
/// Objects outside the caller's scope are reported as not found, so a key never
/// learns whether someone else's object exists.
public struct MasterDataStore<Record: MasterRecord>: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    static var noun: String { String(Record.table.dropLast()).replacingOccurrences(of: "_", with: " ") }
    private static var columnList: String { Record.columns.joined(separator: ", ") }

    /// Creates a record; a taken `code` is a conflict.
    public func create(_ input: Record, caller: Caller) async throws -> Stored<Record> {
        try AccessPolicy.require(caller, .masterData(Record.accessKind, .create))
        let record = try input.normalized()
        try Self.checkScope(record, caller: caller)
        let sql = """
            INSERT INTO \(Record.table) AS x (\(Self.columnList))
            SELECT \(Self.columnList) FROM jsonb_populate_record(NULL::\(Record.table), $1::jsonb)
            RETURNING to_jsonb(x)::text
            """
        let rows = try await database.query(PostgresQuery(unsafeSQL: sql, binds: binds(try Self.json(record))))
        return try await Self.single(rows) ?? { throw DomainError.internalError("insert returned nothing") }()
    }

    /// The record with `id`, if the caller may see it.
    public func get(id: Int64, caller: Caller) async throws -> Stored<Record> {
        try AccessPolicy.require(caller, .masterData(Record.accessKind, .read))
        let sql = "SELECT to_jsonb(x)::text FROM \(Record.table) x WHERE id = $1"
        var bindings = PostgresBindings()
        bindings.append(id)
        let rows = try await database.query(PostgresQuery(unsafeSQL: sql, binds: bindings))
        guard let stored = try await Self.single(rows), Self.visible(stored, to: caller) else {
            throw DomainError.notFound("no \(Self.noun) \(id)")
        }
        return stored
    }

    /// Applies a partial update: fields present in `patch` replace the stored ones.
    public func update(id: Int64, patch: [String: Any], caller: Caller) async throws -> Stored<Record> {
        try AccessPolicy.require(caller, .masterData(Record.accessKind, .update))
        if let unknown = patch.keys.sorted().first(where: { !Record.fieldNames.contains($0) }) {
            throw DomainError.invalid(field: unknown, message: "unknown or read-only field")
        }
        let current = try await get(id: id, caller: caller)
        let record = try RecordDecoding.merge(current.record, patch: patch).normalized()
        try Self.checkScope(record, caller: caller)
        let sql = """
            UPDATE \(Record.table) AS x SET (\(Self.columnList)) =
                (SELECT \(Self.columnList) FROM jsonb_populate_record(NULL::\(Record.table), $1::jsonb)),
                updated_at = now()
            WHERE id = $2 RETURNING to_jsonb(x)::text
            """
        var bindings = PostgresBindings()
        bindings.append(try Self.json(record))
        bindings.append(id)
        let rows = try await database.query(PostgresQuery(unsafeSQL: sql, binds: bindings))
        return try await Self.single(rows) ?? { throw DomainError.notFound("no \(Self.noun) \(id)") }()
    }

    /// A page of records in id order, restricted to the caller's scope.
    public func list(cursor: String?, limit: Int, caller: Caller) async throws -> Page<Stored<Record>> {
        try AccessPolicy.require(caller, .masterData(Record.accessKind, .list))
        let after = try Cursor.decode(cursor)
        var bindings = PostgresBindings()
        bindings.append(after)
        bindings.append(limit + 1)
        var filters = ""
        for (kind, column) in Record.scopeColumns {
            if let ids = caller.restriction(kind) {
                bindings.append(ids)
                filters += " AND \(column) = ANY($\(bindings.count))"
            }
        }
        let sql = "SELECT to_jsonb(x)::text FROM \(Record.table) x WHERE id > $1\(filters) ORDER BY id LIMIT $2"
        let rows = try await database.query(PostgresQuery(unsafeSQL: sql, binds: bindings))
        var items: [Stored<Record>] = []
        for try await text in rows.decode(String.self) {
            items.append(try RowCoding.decoder.decode(Stored<Record>.self, from: Data(text.utf8)))
        }
        return Page(fetched: items, limit: limit, key: \.id)
    }

    // MARK: - helpers

    static func checkScope(_ record: Record, caller: Caller) throws {
        for (kind, column) in Record.scopeColumns where column != "id" {
            if let value = record.scopeValue(column), !caller.allows(kind, value) {
                throw DomainError.forbidden("\(camelCase(column)) \(value) is outside this key's scope")
            }
        }
    }

    static func visible(_ stored: Stored<Record>, to caller: Caller) -> Bool {
        Record.scopeColumns.allSatisfy { kind, column in
            guard let value = column == "id" ? stored.id : stored.record.scopeValue(column) else { return true }
            return caller.allows(kind, value)
        }
    }

    static func json(_ record: Record) throws -> String {
        String(decoding: try RowCoding.encoder.encode(record), as: UTF8.self)
    }

    static func single<Rows: AsyncSequence>(_ rows: Rows) async throws -> Stored<Record>? where Rows.Element == PostgresRow {
        var result: Stored<Record>?
        for try await text in rows.decode(String.self) {
            result = try RowCoding.decoder.decode(Stored<Record>.self, from: Data(text.utf8))
        }
        return result
    }
}
