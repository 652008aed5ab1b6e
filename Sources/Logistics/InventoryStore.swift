import Foundation
import Persistence
import PostgresNIO
import RuralPostCore

/// Stock levels per warehouse and SKU. Every change writes one ledger row in the
/// same transaction, so the ledger always sums to the levels.
public struct InventoryStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// One (warehouse, SKU) level.
    public struct Level: Codable, Sendable, Equatable {
        public let warehouseId: Int64
        public let skuId: Int64
        public let sku: String
        public let onHand: Int64
        public let reserved: Int64
        public var available: Int64 { onHand - reserved }

        enum CodingKeys: String, CodingKey { case warehouseId, skuId, sku, onHand, reserved, available }

        public init(warehouseId: Int64, skuId: Int64, sku: String, onHand: Int64, reserved: Int64) {
            self.warehouseId = warehouseId
            self.skuId = skuId
            self.sku = sku
            self.onHand = onHand
            self.reserved = reserved
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(warehouseId: try c.decode(Int64.self, forKey: .warehouseId), skuId: try c.decode(Int64.self, forKey: .skuId),
                      sku: try c.decode(String.self, forKey: .sku), onHand: try c.decode(Int64.self, forKey: .onHand),
                      reserved: try c.decode(Int64.self, forKey: .reserved))
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(warehouseId, forKey: .warehouseId)
            try c.encode(skuId, forKey: .skuId)
            try c.encode(sku, forKey: .sku)
            try c.encode(onHand, forKey: .onHand)
            try c.encode(reserved, forKey: .reserved)
            try c.encode(available, forKey: .available)
        }
    }

    /// A stock movement request: receive `qty` > 0, or adjust by `delta` (either sign).
    public struct Movement: Codable, Sendable {
        public var sku: String
        public var qty: Int64?
        public var delta: Int64?
        public var reason: String

        public init(sku: String, qty: Int64? = nil, delta: Int64? = nil, reason: String) {
            self.sku = sku
            self.qty = qty
            self.delta = delta
            self.reason = reason
        }
    }

    /// Adds received units to on-hand stock.
    public func receive(warehouseId: Int64, _ movement: Movement, caller: Caller) async throws -> Level {
        guard let qty = movement.qty else { throw DomainError.invalid(field: "qty", message: "is required") }
        try Check.within(qty, 1...1_000_000_000, "qty")
        return try await apply(warehouseId: warehouseId, sku: movement.sku, delta: qty, kind: "receive", reason: movement.reason, caller: caller)
    }

    /// Corrects on-hand stock after a count (damage, loss, found units). On-hand can
    /// never drop below the reserved quantity.
    public func adjust(warehouseId: Int64, _ movement: Movement, caller: Caller) async throws -> Level {
        guard let delta = movement.delta else { throw DomainError.invalid(field: "delta", message: "is required") }
        guard delta != 0 else { throw DomainError.invalid(field: "delta", message: "must not be 0") }
        try Check.within(delta, -1_000_000_000...1_000_000_000, "delta")
        return try await apply(warehouseId: warehouseId, sku: movement.sku, delta: delta, kind: "adjust", reason: movement.reason, caller: caller)
    }

    private func apply(warehouseId: Int64, sku: String, delta: Int64, kind: String, reason: String, caller: Caller) async throws -> Level {
        try requireWrite(caller, warehouseId: warehouseId)
        try Check.nonEmpty(reason, "reason")
        return try await database.transaction { conn in
            guard try await exists(conn, "SELECT 1 FROM warehouses WHERE id = \(warehouseId)") else {
                throw DomainError.notFound("no warehouse \(warehouseId)")
            }
            var skuId: Int64?
            for try await id in try await conn.query("SELECT id FROM skus WHERE code = \(sku)", logger: database.logger).decode(Int64.self) {
                skuId = id
            }
            guard let skuId else { throw DomainError.invalid(field: "sku", message: "unknown SKU \(sku)") }
            // Receipts may create the row; reductions must find it, and never take
            // on-hand below zero or below what is reserved.
            let rows: PostgresRowSequence
            if delta > 0 {
                rows = try await conn.query("""
                    INSERT INTO inventory AS i (warehouse_id, sku_id, on_hand) VALUES (\(warehouseId), \(skuId), \(delta))
                    ON CONFLICT (warehouse_id, sku_id) DO UPDATE SET on_hand = i.on_hand + \(delta), updated_at = now()
                    RETURNING on_hand, reserved
                    """, logger: database.logger)
            } else {
                rows = try await conn.query("""
                    UPDATE inventory SET on_hand = on_hand + \(delta), updated_at = now()
                    WHERE warehouse_id = \(warehouseId) AND sku_id = \(skuId) AND on_hand + \(delta) >= reserved
                    RETURNING on_hand, reserved
                    """, logger: database.logger)
            }
            var level: Level?
            for try await (onHand, reserved) in rows.decode((Int64, Int64).self) {
                level = Level(warehouseId: warehouseId, skuId: skuId, sku: sku, onHand: onHand, reserved: reserved)
            }
            guard let level, level.onHand >= 0 else {
                throw DomainError.conflict(field: "delta", message: "on-hand stock would drop below the reserved quantity or zero")
            }
            try await conn.query("""
                INSERT INTO inventory_movements (warehouse_id, sku_id, kind, delta_on_hand, delta_reserved, reason, api_key_id)
                VALUES (\(warehouseId), \(skuId), \(kind), \(delta), 0, \(reason), \(caller.keyId))
                """, logger: database.logger)
            return level
        }
    }

    /// Levels of one warehouse, by SKU id, paginated.
    public func levels(warehouseId: Int64, cursor: String?, limit: Int, caller: Caller) async throws -> Page<Level> {
        try AccessPolicy.require(caller, .readInventory)
        guard caller.allows(.warehouse, warehouseId),
              try await exists(nil, "SELECT 1 FROM warehouses WHERE id = \(warehouseId)")
        else { throw DomainError.notFound("no warehouse \(warehouseId)") }
        let after = try Cursor.decode(cursor)
        let rows = try await database.query("""
            SELECT i.sku_id, s.code, i.on_hand, i.reserved FROM inventory i JOIN skus s ON s.id = i.sku_id
            WHERE i.warehouse_id = \(warehouseId) AND i.sku_id > \(after) ORDER BY i.sku_id LIMIT \(limit + 1)
            """)
        var items: [Level] = []
        for try await (skuId, code, onHand, reserved) in rows.decode((Int64, String, Int64, Int64).self) {
            items.append(Level(warehouseId: warehouseId, skuId: skuId, sku: code, onHand: onHand, reserved: reserved))
        }
        return Page(fetched: items, limit: limit, key: \.skuId)
    }

    private func requireWrite(_ caller: Caller, warehouseId: Int64) throws {
        try AccessPolicy.require(caller, .changeStock)
        guard caller.allows(.warehouse, warehouseId) else { throw DomainError.notFound("no warehouse \(warehouseId)") }
    }

    private func exists(_ conn: PostgresConnection?, _ query: PostgresQuery) async throws -> Bool {
        let rows: QueryRows
        if let conn {
            rows = try await QueryRows(collecting: conn.query(query, logger: database.logger))
        } else {
            rows = try await database.query(query)
        }
        for try await _ in rows { return true }
        return false
    }
}
