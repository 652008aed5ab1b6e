import Persistence
import PostgresNIO
import RuralPostCore

extension ShipmentLifecycle {
    /// Side effects of `return_received`, inside the transition's transaction.
    ///
    /// A return shipment (kind `return`, created when a parcel's hold ends) carries
    /// the original's units: receiving it puts them back on hand at its warehouse with
    /// `return` ledger rows, and moves the original from `returned` to
    /// `return_received` too. Receiving an original directly while a return shipment
    /// exists for it is refused, so units can never come back twice; an original
    /// without one (a refused home delivery) keeps the old behaviour: no stock change.
    func receiveReturn(shipmentId id: Int64, caller: Caller, conn: PostgresConnection) async throws {
        let logger = database.logger
        var shipment: (String, Int64?, Int64?)?
        for try await row in try await conn.query(
            "SELECT kind, warehouse_id, returns_shipment_id FROM shipments WHERE id = \(id)", logger: logger
        ).decode((String, Int64?, Int64?).self) { shipment = row }
        guard let (kind, warehouseId, originalId) = shipment else { return }
        guard kind == "return" else {
            for try await returnId in try await conn.query(
                "SELECT id FROM shipments WHERE returns_shipment_id = \(id) AND kind = 'return' LIMIT 1", logger: logger
            ).decode(Int64.self) {
                throw DomainError.conflict(field: "status", message: "receive the return shipment \(returnId) instead; it carries these units back")
            }
            return
        }
        if let warehouseId {
            // Same lock order as intake and dispatch: (warehouse, SKU).
            for try await _ in try await conn.query("""
                SELECT 1 FROM inventory WHERE warehouse_id = \(warehouseId)
                  AND sku_id IN (SELECT sku_id FROM shipment_items WHERE shipment_id = \(id))
                ORDER BY sku_id FOR UPDATE
                """, logger: logger) {}
            try await conn.query("""
                INSERT INTO inventory AS i (warehouse_id, sku_id, on_hand)
                SELECT \(warehouseId), sku_id, qty FROM shipment_items WHERE shipment_id = \(id) ORDER BY sku_id
                ON CONFLICT (warehouse_id, sku_id) DO UPDATE SET on_hand = i.on_hand + EXCLUDED.on_hand, updated_at = now()
                """, logger: logger)
            try await conn.query("""
                INSERT INTO inventory_movements (warehouse_id, sku_id, kind, delta_on_hand, delta_reserved, reason, order_id, shipment_id, api_key_id)
                SELECT \(warehouseId), si.sku_id, 'return', si.qty, 0, 'return received', s.order_id, s.id, \(caller.keyId)
                FROM shipment_items si JOIN shipments s ON s.id = si.shipment_id WHERE si.shipment_id = \(id)
                """, logger: logger)
        }
        if let originalId {
            var moved = false
            for try await _ in try await conn.query("""
                UPDATE shipments SET status = 'return_received', updated_at = now() WHERE id = \(originalId) AND status = 'returned'
                RETURNING id
                """, logger: logger) { moved = true }
            if moved {
                try await conn.query("""
                    INSERT INTO shipment_events (shipment_id, from_status, to_status, note, api_key_id)
                    VALUES (\(originalId), 'returned', 'return_received', \("return shipment \(id) received"), \(caller.keyId))
                    """, logger: logger)
            }
        }
    }
}
