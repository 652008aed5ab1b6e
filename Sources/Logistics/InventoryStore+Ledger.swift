import Persistence
import PostgresNIO
import RuralPostCore

extension InventoryStore {
    /// One (warehouse, SKU) as the books show it: the stock row (nil values when there is
    /// none), the ledger's sums and the units live shipments hold (nil when none).
    struct Books {
        let warehouse, sku: String
        let onHand, reserved: Int64?
        let ledgerOnHand, ledgerReserved: Int64?
        let promised: Int64?
    }

    /// Every (warehouse, SKU) that has a stock row, ledger rows or units in shipments in
    /// one of `liveStatuses`, in (warehouse, SKU) order.
    func books(liveStatuses: [String]) async throws -> [Books] {
        let rows = try await database.query("""
            WITH ledger AS (
                SELECT warehouse_id, sku_id, sum(delta_on_hand)::bigint AS on_hand, sum(delta_reserved)::bigint AS reserved
                FROM inventory_movements GROUP BY warehouse_id, sku_id),
            promised AS (
                SELECT sh.warehouse_id, si.sku_id, sum(si.qty)::bigint AS qty
                FROM shipments sh JOIN shipment_items si ON si.shipment_id = sh.id
                WHERE sh.status = ANY(\(liveStatuses)) GROUP BY sh.warehouse_id, si.sku_id)
            SELECT coalesce(w.code, '#' || k.warehouse_id), coalesce(s.code, '#' || k.sku_id),
                   i.on_hand, i.reserved, l.on_hand, l.reserved, p.qty
            FROM (SELECT warehouse_id, sku_id FROM inventory UNION SELECT warehouse_id, sku_id FROM ledger
                  UNION SELECT warehouse_id, sku_id FROM promised) k
            LEFT JOIN inventory i USING (warehouse_id, sku_id) LEFT JOIN ledger l USING (warehouse_id, sku_id)
            LEFT JOIN promised p USING (warehouse_id, sku_id)
            LEFT JOIN warehouses w ON w.id = k.warehouse_id LEFT JOIN skus s ON s.id = k.sku_id
            ORDER BY k.warehouse_id, k.sku_id
            """)
        var books: [Books] = []
        for try await r in rows.decode((String, String, Int64?, Int64?, Int64?, Int64?, Int64?).self) {
            books.append(Books(warehouse: r.0, sku: r.1, onHand: r.2, reserved: r.3, ledgerOnHand: r.4, ledgerReserved: r.5,
                               promised: r.6))
        }
        return books
    }
}
