import Foundation
import Persistence
import PostgresNIO
import RuralPostCore

/// Tariffs and their zones (a parent row plus one row per zone). Every role may
/// read tariffs; only admins change them.
public struct TariffStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    private static let select = """
        SELECT t.id, to_jsonb(t)::text,
               COALESCE((SELECT jsonb_agg(jsonb_build_object('maxKm', z.max_km, 'firstKgFen', z.first_kg_fen,
                                 'additionalKgFen', z.additional_kg_fen) ORDER BY z.zone_no)
                         FROM tariff_zones z WHERE z.tariff_id = t.id), '[]')::text
        FROM tariffs t
        """

    public func create(_ input: TariffRecord, caller: Caller) async throws -> StoredTariff {
        try requireAdmin(caller)
        let record = try input.normalized()
        let id = try await database.transaction { conn -> Int64 in
            if record.isDefault == true {
                try await conn.query("UPDATE tariffs SET is_default = false WHERE is_default", logger: database.logger)
            }
            let rows = try await conn.query("""
                INSERT INTO tariffs (code, name, handling_fen, parcel_max_grams, heavy_threshold_grams, heavy_surcharge_fen, is_default)
                VALUES (\(record.code), \(record.name), \(record.handlingFen), \(record.parcelMaxGrams),
                        \(record.heavyThresholdGrams), \(record.heavySurchargeFen ?? 0), \(record.isDefault ?? false))
                RETURNING id
                """, logger: database.logger)
            var id: Int64 = 0
            for try await value in rows.decode(Int64.self) { id = value }
            try await writeZones(record.zones, tariffId: id, conn: conn)
            return id
        }
        return try await get(id: id, caller: caller)
    }

    public func get(id: Int64, caller: Caller) async throws -> StoredTariff {
        let rows = try await database.query(PostgresQuery(unsafeSQL: Self.select + " WHERE t.id = $1", binds: {
            var b = PostgresBindings(); b.append(id); return b
        }()))
        guard let tariff = try await Self.decode(rows).first else { throw DomainError.notFound("no tariff \(id)") }
        return tariff
    }

    /// The default tariff (or the oldest one when none is marked default).
    public func current() async throws -> StoredTariff? {
        let rows = try await database.query(PostgresQuery(unsafeSQL: Self.currentSQL))
        return try await Self.decode(rows).first
    }

    /// The pricing tariff, read inside a transaction.
    static func current(conn: PostgresConnection, logger: Logger) async throws -> Tariff? {
        let rows = try await QueryRows(collecting: conn.query(PostgresQuery(unsafeSQL: Self.currentSQL), logger: logger))
        return try await Self.decode(rows).first?.tariff.tariff
    }

    private static let currentSQL = select + " ORDER BY t.is_default DESC, t.id LIMIT 1"

    public func update(id: Int64, patch: [String: Any], caller: Caller) async throws -> StoredTariff {
        try requireAdmin(caller)
        let known: Set<String> = ["code", "name", "handlingFen", "parcelMaxGrams", "heavyThresholdGrams", "heavySurchargeFen", "isDefault",
                                  "zones"]
        if let unknown = patch.keys.sorted().first(where: { !known.contains($0) }) {
            throw DomainError.invalid(field: unknown, message: "unknown or read-only field")
        }
        let current = try await get(id: id, caller: caller)
        let record = try RecordDecoding.merge(current.tariff, patch: patch).normalized()
        try await database.transaction { conn in
            if record.isDefault == true {
                try await conn.query("UPDATE tariffs SET is_default = false WHERE is_default AND id <> \(id)", logger: database.logger)
            }
            try await conn.query("""
                UPDATE tariffs SET code = \(record.code), name = \(record.name), handling_fen = \(record.handlingFen),
                    parcel_max_grams = \(record.parcelMaxGrams), heavy_threshold_grams = \(record.heavyThresholdGrams),
                    heavy_surcharge_fen = \(record.heavySurchargeFen ?? 0),
                    is_default = \(record.isDefault ?? false), updated_at = now()
                WHERE id = \(id)
                """, logger: database.logger)
            try await conn.query("DELETE FROM tariff_zones WHERE tariff_id = \(id)", logger: database.logger)
            try await writeZones(record.zones, tariffId: id, conn: conn)
        }
        return try await get(id: id, caller: caller)
    }

    public func list(cursor: String?, limit: Int, caller: Caller) async throws -> Page<StoredTariff> {
        var bindings = PostgresBindings()
        bindings.append(try Cursor.decode(cursor))
        bindings.append(limit + 1)
        let rows = try await database.query(PostgresQuery(unsafeSQL: Self.select + " WHERE t.id > $1 ORDER BY t.id LIMIT $2", binds: bindings))
        let items = try await Self.decode(rows)
        return Page(fetched: items, limit: limit, key: \.id)
    }

    private func writeZones(_ zones: [Tariff.Zone], tariffId: Int64, conn: PostgresConnection) async throws {
        for (index, zone) in zones.enumerated() {
            try await conn.query("""
                INSERT INTO tariff_zones (tariff_id, zone_no, max_km, first_kg_fen, additional_kg_fen)
                VALUES (\(tariffId), \(index), \(zone.maxKm), \(zone.firstKgFen), \(zone.additionalKgFen))
                """, logger: database.logger)
        }
    }

    private func requireAdmin(_ caller: Caller) throws {
        try AccessPolicy.require(caller, .changeTariffs)
    }

    static func decode(_ rows: QueryRows) async throws -> [StoredTariff] {
        var result: [StoredTariff] = []
        for try await (id, row, zones) in rows.decode((Int64, String, String).self) {
            struct Row: Decodable { let code, name: String; let handlingFen, parcelMaxGrams: Int64
                let heavyThresholdGrams: Int64?; let heavySurchargeFen: Int64; let isDefault: Bool; let createdAt, updatedAt: String }
            let r = try RowCoding.decoder.decode(Row.self, from: Data(row.utf8))
            let z = try JSONDecoder().decode([Tariff.Zone].self, from: Data(zones.utf8))
            let tariff = Tariff(handlingFen: r.handlingFen, parcelMaxGrams: r.parcelMaxGrams, heavyThresholdGrams: r.heavyThresholdGrams,
                                heavySurchargeFen: r.heavySurchargeFen, zones: z)
            result.append(StoredTariff(id: id, tariff: TariffRecord(code: r.code, name: r.name, tariff: tariff, isDefault: r.isDefault),
                                       createdAt: r.createdAt, updatedAt: r.updatedAt))
        }
        return result
    }
}
