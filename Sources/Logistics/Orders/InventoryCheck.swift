import Persistence
import PostgresNIO
import RuralPostCore

/// Reconciles stock: for every (warehouse, SKU) the ledger sums equal `on_hand` and
/// `reserved`, nothing is negative, and every reserved unit belongs to a live
/// (not yet dispatched) shipment.
public struct InventoryCheck: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public struct Problem: Sendable, CustomStringConvertible {
        public let warehouse: String
        public let sku: String
        public let message: String
        public var description: String { "\(warehouse) \(sku): \(message)" }
    }

    /// All problems found (empty when the books balance), and how many rows were checked.
    public func run() async throws -> (problems: [Problem], rows: Int) {
        var problems: [Problem] = []
        let live = ShipmentStatus.reserved.map(\.rawValue).sorted()
        let rows = try await database.query("""
            WITH ledger AS (
                SELECT warehouse_id, sku_id, sum(delta_on_hand)::bigint AS on_hand, sum(delta_reserved)::bigint AS reserved
                FROM inventory_movements GROUP BY warehouse_id, sku_id),
            promised AS (
                SELECT sh.warehouse_id, si.sku_id, sum(si.qty)::bigint AS qty
                FROM shipments sh JOIN shipment_items si ON si.shipment_id = sh.id
                WHERE sh.status = ANY(\(live)) GROUP BY sh.warehouse_id, si.sku_id)
            SELECT coalesce(w.code, '#' || k.warehouse_id), coalesce(s.code, '#' || k.sku_id),
                   i.on_hand, i.reserved, l.on_hand, l.reserved, p.qty
            FROM (SELECT warehouse_id, sku_id FROM inventory UNION SELECT warehouse_id, sku_id FROM ledger
                  UNION SELECT warehouse_id, sku_id FROM promised) k
            LEFT JOIN inventory i USING (warehouse_id, sku_id) LEFT JOIN ledger l USING (warehouse_id, sku_id)
            LEFT JOIN promised p USING (warehouse_id, sku_id)
            LEFT JOIN warehouses w ON w.id = k.warehouse_id LEFT JOIN skus s ON s.id = k.sku_id
            ORDER BY k.warehouse_id, k.sku_id
            """)
        var count = 0
        for try await (warehouse, sku, onHand, reserved, ledgerOnHand, ledgerReserved, promised)
            in rows.decode((String, String, Int64?, Int64?, Int64?, Int64?, Int64?).self)
        {
            count += 1
            func report(_ message: String) { problems.append(Problem(warehouse: warehouse, sku: sku, message: message)) }
            guard let onHand, let reserved else {
                report("ledger or shipments refer to stock that has no inventory row")
                continue
            }
            if onHand < 0 || reserved < 0 { report("negative stock: on_hand \(onHand), reserved \(reserved)") }
            if reserved > onHand { report("reserved \(reserved) exceeds on_hand \(onHand)") }
            if onHand != (ledgerOnHand ?? 0) { report("on_hand \(onHand) but the ledger sums to \(ledgerOnHand ?? 0)") }
            if reserved != (ledgerReserved ?? 0) { report("reserved \(reserved) but the ledger sums to \(ledgerReserved ?? 0)") }
            if reserved != (promised ?? 0) { report("reserved \(reserved) but live shipments hold \(promised ?? 0)") }
        }
        return (problems, count)
    }
}
