import Foundation
import Persistence
import PostgresNIO
import RuralPostCore

/// Reads of the order tables (`orders`, `order_lines`, `shipments`, `parcels`): stored
/// orders with the codes they refer to, filtered by what a caller may see. SQL and row
/// decoding only; `OrderQueries` holds the rules and builds the views.
struct OrderStore: Sendable {
    let database: Database

    /// Which orders a read returns.
    struct Filter {
        /// Orders with an id above this (keyset pagination), or exactly `id`.
        var afterId: Int64 = 0
        var id: Int64?
        var merchantCode: String?
        var status: String?
        var limit = 1
    }

    /// Orders matching `filter` that `caller` may see, in id order.
    func orders(_ filter: Filter, visibleTo caller: Caller) async throws -> [StoredOrder] {
        try await database.withConnection { conn in
            try await orders(filter, visibleTo: caller, conn: conn)
        }
    }

    func orders(_ filter: Filter, visibleTo caller: Caller, conn: PostgresConnection) async throws -> [StoredOrder] {
        var bindings = PostgresBindings()
        var sql = """
            SELECT o.id, m.code, o.external_ref, o.channel, o.status, o.delivery_mode, p.code, o.priority, o.quota_status,
                   o.promised_date::text, o.cost_fen, o.explain::text,
                   to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
            FROM orders o JOIN merchants m ON m.id = o.merchant_id LEFT JOIN pickup_points p ON p.id = o.pickup_point_id
            """
        if let id = filter.id {
            bindings.append(id)
            sql += " WHERE o.id = $1"
        } else {
            bindings.append(filter.afterId)
            sql += " WHERE o.id > $1"
        }
        sql += Self.visibilityFilter(caller, bindings: &bindings)
        if let merchant = filter.merchantCode {
            bindings.append(merchant)
            sql += " AND m.code = $\(bindings.count)"
        }
        if let status = filter.status {
            bindings.append(status)
            sql += " AND o.status = $\(bindings.count)"
        }
        bindings.append(filter.limit)
        sql += " ORDER BY o.id LIMIT $\(bindings.count)"

        typealias Header = (Int64, String, String?, String, String, String, String?, Int, String, String?, Int64, String, String)
        var headers: [Header] = []
        for try await row in try await conn.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: database.logger)
            .decode(Header.self)
        {
            headers.append(row)
        }
        if headers.isEmpty { return [] }
        let ids = headers.map(\.0)

        var lines: [Int64: [StoredOrder.Line]] = [:]
        for try await (order, sku, qty, allocated) in try await conn.query("""
            SELECT l.order_id, s.code, l.qty, l.allocated_qty FROM order_lines l JOIN skus s ON s.id = l.sku_id
            WHERE l.order_id = ANY(\(ids)) ORDER BY l.order_id, l.line_no
            """, logger: database.logger).decode((Int64, String, Int64, Int64).self)
        {
            lines[order, default: []].append(StoredOrder.Line(sku: sku, qty: qty, allocatedQty: allocated))
        }

        var parcels: [Int64: [OrderView.Parcel]] = [:]
        for try await (shipment, parcelNo, grams, cost, items) in try await conn.query("""
            SELECT pa.shipment_id, pa.parcel_no, pa.grams, pa.cost_fen, pa.items::text
            FROM parcels pa JOIN shipments sh ON sh.id = pa.shipment_id
            WHERE sh.order_id = ANY(\(ids)) ORDER BY pa.shipment_id, pa.parcel_no
            """, logger: database.logger).decode((Int64, Int, Int64, Int64, String).self)
        {
            let contents = try JSONDecoder().decode([String: Int64].self, from: Data(items.utf8))
            parcels[shipment, default: []].append(OrderView.Parcel(parcelNo: parcelNo, grams: grams, costFen: cost, items: contents))
        }

        var shipments: [Int64: [StoredOrder.Shipment]] = [:]
        for try await (order, id, tracking, warehouse, status, zone, grams, cost, due, arrival) in try await conn.query("""
            SELECT sh.order_id, sh.id, sh.tracking_no, w.code, sh.status, sh.zone, sh.grams, sh.cost_fen, sh.due_date::text,
                   to_char(sh.depot_arrival_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
            FROM shipments sh JOIN warehouses w ON w.id = sh.warehouse_id
            WHERE sh.order_id = ANY(\(ids)) ORDER BY sh.id
            """, logger: database.logger).decode((Int64, Int64, String, String, String, Int?, Int64, Int64, String?, String?).self)
        {
            shipments[order, default: []].append(StoredOrder.Shipment(
                id: id, trackingNo: tracking, warehouse: warehouse, status: status, zone: zone, grams: grams, costFen: cost,
                dueDate: due, depotArrival: arrival, parcels: parcels[id] ?? []))
        }

        return try headers.map { h in
            StoredOrder(
                id: h.0, merchant: h.1, externalRef: h.2, channel: h.3, status: h.4, deliveryMode: h.5, pickupPoint: h.6,
                priority: h.7, quotaStatus: h.8, promisedDate: h.9, costFen: h.10,
                explain: try JSONDecoder().decode([String].self, from: Data(h.11.utf8)), createdAt: h.12,
                lines: lines[h.0] ?? [], shipments: shipments[h.0] ?? [])
        }
    }

    /// The SQL condition (` AND ...` on orders `o`) for the orders `caller` may see:
    /// merchant scope, and for warehouse-scoped keys, at least one shipment from one of
    /// their warehouses.
    static func visibilityFilter(_ caller: Caller, bindings: inout PostgresBindings) -> String {
        var sql = ""
        if let merchants = caller.restriction(.merchant) {
            bindings.append(merchants)
            sql += " AND o.merchant_id = ANY($\(bindings.count))"
        }
        if let warehouses = caller.restriction(.warehouse) {
            bindings.append(warehouses)
            sql += " AND EXISTS (SELECT 1 FROM shipments x WHERE x.order_id = o.id AND x.warehouse_id = ANY($\(bindings.count)))"
        }
        return sql
    }
}
