import OrderSplitting
import PostgresNIO
import RuralPostCore

/// Available stock of an order's SKUs in every warehouse that holds any, read for
/// the splitting engine. With `lock`, the inventory rows are locked `FOR UPDATE` in
/// (warehouse, SKU) order, so concurrent intakes of the same SKUs queue instead of
/// deadlocking, and what the engine sees stays true until the transaction commits.
struct StockSnapshot {
    struct WarehouseInfo {
        let id: Int64
        let code: String
        let dailyCapacity: Int64
        let cutoffMinutes: Int64
    }

    let warehouses: [SplitWarehouse]
    let info: [String: WarehouseInfo]

    static func load(
        skuIds: [Int64], codes: [Int64: String], caller: Caller, lock: Bool, conn: PostgresConnection, logger: Logger
    ) async throws -> StockSnapshot {
        var bindings = PostgresBindings()
        bindings.append(skuIds)
        var scopeFilter = ""
        if let allowed = caller.restriction(.warehouse) {
            bindings.append(allowed)
            scopeFilter = " AND i.warehouse_id = ANY($2)"
        }
        let sql = """
            SELECT i.warehouse_id, w.code, w.lat, w.lon, w.cold_chain, w.daily_capacity::bigint,
                   (extract(epoch FROM w.cutoff_time) / 60)::bigint, i.sku_id, i.on_hand - i.reserved
            FROM inventory i JOIN warehouses w ON w.id = i.warehouse_id
            WHERE i.sku_id = ANY($1) AND w.active\(scopeFilter)
            ORDER BY i.warehouse_id, i.sku_id\(lock ? " FOR UPDATE OF i" : "")
            """
        var stock: [String: [String: Int64]] = [:]
        var places: [String: (GeoPoint, Bool)] = [:]
        var info: [String: WarehouseInfo] = [:]
        var order: [String] = []
        for try await (wid, code, lat, lon, cold, capacity, cutoff, skuId, available) in try await conn.query(
            PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger
        ).decode((Int64, String, Double, Double, Bool, Int64, Int64, Int64, Int64).self) {
            if info[code] == nil {
                info[code] = WarehouseInfo(id: wid, code: code, dailyCapacity: capacity, cutoffMinutes: cutoff)
                places[code] = (GeoPoint(lat: lat, lon: lon), cold)
                order.append(code)
            }
            if available > 0, let sku = codes[skuId] { stock[code, default: [:]][sku] = available }
        }
        let warehouses = order.compactMap { code -> SplitWarehouse? in
            guard let units = stock[code], let place = places[code] else { return nil }
            return SplitWarehouse(id: code, location: place.0, coldChain: place.1, stock: units)
        }
        return StockSnapshot(warehouses: warehouses, info: info)
    }
}
