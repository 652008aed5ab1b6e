import Foundation
import OrderSplitting
import PostgresNIO
import RuralPostCore

extension OrderService {
    /// Splits, reserves and writes one order inside the caller's transaction; returns its id.
    func place(_ request: OrderRequest, caller: Caller, conn: PostgresConnection) async throws -> Int64 {
        let logger = database.logger
        let context = try await OrderContext.load(request, caller: caller, conn: conn, logger: logger)
        let (plan, snapshot) = try await split(request, context: context, caller: caller, lock: true, conn: conn)
        guard plan.fillable else {
            throw StoreError.conflict(field: "lines", message: "insufficient stock to ship the whole order (allowPartial is false)")
        }

        // Conditional reservation of what the plan ships; rows are already locked in
        // (warehouse, SKU) order, the condition guards the invariant regardless.
        var reserveW: [Int64] = [], reserveS: [Int64] = [], reserveQ: [Int64] = []
        for (warehouse, units) in plan.shippedUnits {
            for (sku, qty) in units where qty > 0 {
                reserveW.append(snapshot.info[warehouse]!.id)
                reserveS.append(context.skus[sku]!.id)
                reserveQ.append(qty)
            }
        }
        if !reserveW.isEmpty {
            var reserved = 0
            for try await _ in try await conn.query("""
                UPDATE inventory i SET reserved = i.reserved + v.q, updated_at = now()
                FROM unnest(\(reserveW)::bigint[], \(reserveS)::bigint[], \(reserveQ)::bigint[]) AS v(w, s, q)
                WHERE i.warehouse_id = v.w AND i.sku_id = v.s AND i.on_hand - i.reserved >= v.q
                RETURNING 1
                """, logger: logger) { reserved += 1 }
            guard reserved == reserveW.count else {
                throw StoreError.conflict(field: nil, message: "stock changed while reserving; retry")
            }
        }

        let usedWarehouses = plan.shipments.map { snapshot.info[$0.warehouse]! }
        let shipDay = try await Self.shipDay(cutoffs: usedWarehouses.map(\.cutoffMinutes), conn: conn, logger: logger)
        let filled = plan.shippedUnits.values.reduce(into: [String: Int64]()) { total, units in
            for (sku, qty) in units { total[sku, default: 0] += qty }
        }
        let unfilledUnits = plan.unfilled.values.reduce(0, +)
        let status = unfilledUnits == 0 ? "accepted" : (filled.isEmpty ? "backordered" : "partially_filled")
        let explain = String(decoding: try JSONEncoder().encode(plan.explain), as: UTF8.self)
        var orderId: Int64 = 0
        for try await id in try await conn.query("""
            INSERT INTO orders (merchant_id, external_ref, channel, recipient_name, recipient_phone, delivery_mode, pickup_point_id,
                                address, lat, lon, priority, status, promised_date, quota_status, cost_fen, explain, api_key_id)
            VALUES (\(context.merchantId), \(request.externalRef), \(request.channel), \(request.recipient.name), \(request.recipient.phone),
                    \(request.delivery.mode), \(context.pickupPointId), \(request.delivery.address), \(context.destination.lat),
                    \(context.destination.lon), \(request.priority ?? 0), \(status),
                    CASE WHEN \(filled.isEmpty) THEN NULL ELSE \(shipDay)::date + 1 END,
                    'within_quota', \(plan.costFen), \(explain)::jsonb, \(caller.keyId))
            RETURNING id
            """, logger: logger).decode(Int64.self) { orderId = id }

        let lineNos = request.lines.indices.map { Int64($0 + 1) }
        let lineSkus = request.lines.map { context.skus[$0.sku]!.id }
        let lineQty = request.lines.map(\.qty)
        let lineAllocated = request.lines.map { filled[$0.sku] ?? 0 }
        try await conn.query("""
            INSERT INTO order_lines (order_id, line_no, sku_id, qty, allocated_qty)
            SELECT \(orderId), n, s, q, a FROM unnest(\(lineNos)::bigint[], \(lineSkus)::bigint[], \(lineQty)::bigint[], \(lineAllocated)::bigint[]) AS v(n, s, q, a)
            """, logger: logger)

        try await writeShipments(plan, orderId: orderId, context: context, snapshot: snapshot, shipDay: shipDay,
                                 caller: caller, conn: conn)
        if Int.random(in: 0..<500) == 0 {
            // Expired idempotency keys (kept 48 h) are swept now and then by intake itself.
            try await conn.query("DELETE FROM idempotency_keys WHERE expires_at < now()", logger: logger)
        }
        // Quotas last: the daily counters are hot rows shared by every order of a
        // merchant or warehouse, so their locks are taken just before commit.
        if try await countAgainstQuotas(merchantId: context.merchantId, quota: context.dailyQuota, warehouses: usedWarehouses,
                                        shipDay: shipDay, conn: conn) {
            if context.refuseOverQuota {
                throw StoreError.conflict(field: "merchant", message: "over the daily quota for \(shipDay); this merchant's policy refuses such orders")
            }
            // Accepted without a promised date.
            try await conn.query("UPDATE orders SET promised_date = NULL, quota_status = 'over_quota' WHERE id = \(orderId)", logger: logger)
            try await conn.query("UPDATE shipments SET promised_date = NULL WHERE order_id = \(orderId)", logger: logger)
        }
        return orderId
    }

    /// Counts the order against the merchant's daily quota and each warehouse's daily
    /// capacity; returns whether any is exceeded.
    func countAgainstQuotas(merchantId: Int64, quota: Int64?, warehouses: [StockSnapshot.WarehouseInfo], shipDay: String,
                            conn: PostgresConnection) async throws -> Bool {
        let logger = database.logger
        var overQuota = false
        // Sharded counters (sql/0004): bump this connection's shard, then sum all shards.
        if let quota {
            for try await count in try await conn.query("""
                WITH bump AS (
                    INSERT INTO merchant_daily_load AS l (merchant_id, day, shard, orders)
                    VALUES (\(merchantId), \(shipDay)::date, pg_backend_pid() % 16, 1)
                    ON CONFLICT (merchant_id, day, shard) DO UPDATE SET orders = l.orders + 1 RETURNING orders, shard)
                SELECT (SELECT orders FROM bump) + coalesce((SELECT sum(orders) FROM merchant_daily_load
                        WHERE merchant_id = \(merchantId) AND day = \(shipDay)::date AND shard <> (SELECT shard FROM bump)), 0)::bigint
                """, logger: logger).decode(Int64.self) where count > quota { overQuota = true }
        }
        if !warehouses.isEmpty {
            let ids = warehouses.map(\.id), capacities = warehouses.map(\.dailyCapacity)
            for try await over in try await conn.query("""
                WITH bump AS (
                    INSERT INTO warehouse_daily_load AS l (warehouse_id, day, shard, orders)
                    SELECT w, \(shipDay)::date, pg_backend_pid() % 16, 1 FROM unnest(\(ids)::bigint[]) AS w ORDER BY w
                    ON CONFLICT (warehouse_id, day, shard) DO UPDATE SET orders = l.orders + 1 RETURNING warehouse_id, shard, orders)
                SELECT b.orders + coalesce((SELECT sum(o.orders) FROM warehouse_daily_load o WHERE o.warehouse_id = b.warehouse_id
                                            AND o.day = \(shipDay)::date AND o.shard <> b.shard), 0) > x.c
                FROM bump b JOIN unnest(\(ids)::bigint[], \(capacities)::bigint[]) AS x(w, c) ON x.w = b.warehouse_id
                """, logger: logger).decode(Bool.self) where over { overQuota = true }
        }
        return overQuota
    }

    /// One shipment per warehouse, with its items, parcels, the creation event and the
    /// reservation ledger rows.
    func writeShipments(_ plan: OrderPlan, orderId: Int64, context: OrderContext, snapshot: StockSnapshot, shipDay: String,
                        caller: Caller, conn: PostgresConnection) async throws {
        let logger = database.logger
        for (index, shipment) in plan.shipments.enumerated() {
            let warehouse = snapshot.info[shipment.warehouse]!
            let grams = shipment.parcels.reduce(0) { $0 + $1.grams }
            var cm3: Int64 = 0
            var coldChain = false
            var itemSkus: [Int64] = [], itemQty: [Int64] = []
            for (sku, qty) in plan.shippedUnits[shipment.warehouse] ?? [:] where qty > 0 {
                let info = context.skus[sku]!
                cm3 += info.cm3 * qty
                coldChain = coldChain || info.coldChain
                itemSkus.append(info.id)
                itemQty.append(qty)
            }
            let tracking = String(format: "RP%010lld%02d", orderId, index + 1)
            var shipmentId: Int64 = 0
            for try await id in try await conn.query("""
                INSERT INTO shipments (tracking_no, kind, order_id, warehouse_id, pickup_point_id, depot_id, status, zone, grams, cm3,
                                       cost_fen, cold_chain, due_date, promised_date)
                VALUES (\(tracking), 'outbound', \(orderId), \(warehouse.id), \(context.pickupPointId), \(context.depotId), 'allocated',
                        \(shipment.parcels.first?.zone), \(grams), \(cm3), \(shipment.costFen), \(coldChain),
                        \(shipDay)::date + 1, \(shipDay)::date + 1)
                RETURNING id
                """, logger: logger).decode(Int64.self) { shipmentId = id }
            try await conn.query("""
                INSERT INTO shipment_items (shipment_id, sku_id, qty)
                SELECT \(shipmentId), s, q FROM unnest(\(itemSkus)::bigint[], \(itemQty)::bigint[]) AS v(s, q)
                """, logger: logger)
            let parcelNos = shipment.parcels.indices.map { Int64($0 + 1) }
            let parcelGrams = shipment.parcels.map(\.grams)
            let parcelCost = shipment.parcels.map(\.costFen)
            let parcelItems = try shipment.parcels.map { String(decoding: try JSONEncoder().encode($0.items), as: UTF8.self) }
            try await conn.query("""
                INSERT INTO parcels (shipment_id, parcel_no, grams, cost_fen, items)
                SELECT \(shipmentId), n, g, c, i::jsonb FROM unnest(\(parcelNos)::bigint[], \(parcelGrams)::bigint[], \(parcelCost)::bigint[], \(parcelItems)::text[]) AS v(n, g, c, i)
                """, logger: logger)
            try await conn.query("""
                INSERT INTO shipment_events (shipment_id, from_status, to_status, note, api_key_id)
                VALUES (\(shipmentId), NULL, 'allocated', 'order intake', \(caller.keyId))
                """, logger: logger)
            try await conn.query("""
                INSERT INTO inventory_movements (warehouse_id, sku_id, kind, delta_on_hand, delta_reserved, reason, order_id, shipment_id, api_key_id)
                SELECT \(warehouse.id), s, 'reserve', 0, q, 'order intake', \(orderId), \(shipmentId), \(caller.keyId)
                FROM unnest(\(itemSkus)::bigint[], \(itemQty)::bigint[]) AS v(s, q)
                """, logger: logger)
        }
    }

    /// The day the order leaves its warehouses: today before every warehouse's cutoff,
    /// otherwise tomorrow (server time zone).
    static func shipDay(cutoffs: [Int64], conn: PostgresConnection, logger: Logger) async throws -> String {
        let latest = cutoffs.min() ?? 24 * 60
        for try await day in try await conn.query("""
            SELECT to_char(CASE WHEN extract(hour FROM localtime) * 60 + extract(minute FROM localtime) < \(latest)
                           THEN current_date ELSE current_date + 1 END, 'YYYY-MM-DD')
            """, logger: logger).decode(String.self) { return day }
        throw StoreError.internalError("no date from the database")
    }
}
