import Foundation
import OrderSplitting
import PostgresNIO
import RuralPostCore

/// Everything about an order request that comes from master data: the merchant, its
/// SKUs, the destination and the depot that will carry it. Loading it validates the
/// request against the database (unknown codes, SKUs of another merchant).
struct OrderContext {
    struct SKUInfo {
        let id: Int64
        let code: String
        let grams: Int64
        let cm3: Int64
        let coldChain: Bool
    }

    let merchantId: Int64
    let merchantCode: String
    let dailyQuota: Int64?
    let refuseOverQuota: Bool
    let skus: [String: SKUInfo]
    let pickupPointId: Int64?
    let depotId: Int64?
    let destination: GeoPoint

    static func load(_ request: OrderRequest, caller: Caller, conn: PostgresConnection, logger: Logger) async throws -> OrderContext {
        var merchant: (Int64, Int64?, String)?
        for try await row in try await conn.query(
            "SELECT id, daily_quota::bigint, over_quota_policy FROM merchants WHERE code = \(request.merchant)", logger: logger
        ).decode((Int64, Int64?, String).self) {
            merchant = row
        }
        guard let merchant, caller.allows(.merchant, merchant.0) else {
            throw StoreError.invalid(field: "merchant", message: "unknown merchant \(request.merchant)")
        }
        let codes = request.lines.map(\.sku)
        var skus: [String: SKUInfo] = [:]
        var owners: [String: Int64] = [:]
        for try await (id, code, merchantId, grams, cm3, coldChain) in try await conn.query(
            "SELECT id, code, merchant_id, grams, cm3, cold_chain FROM skus WHERE code = ANY(\(codes))", logger: logger
        ).decode((Int64, String, Int64, Int64, Int64, Bool).self) {
            skus[code] = SKUInfo(id: id, code: code, grams: grams, cm3: cm3, coldChain: coldChain)
            owners[code] = merchantId
        }
        for (i, line) in request.lines.enumerated() {
            guard let owner = owners[line.sku] else {
                throw StoreError.invalid(field: "lines[\(i)].sku", message: "unknown SKU \(line.sku)")
            }
            guard owner == merchant.0 else {
                throw StoreError.invalid(field: "lines[\(i)].sku", message: "SKU \(line.sku) belongs to another merchant")
            }
        }

        var pickupPointId: Int64?
        var depotId: Int64?
        var destination: GeoPoint
        if request.delivery.mode == "pickup" {
            let code = request.delivery.pickupPoint ?? ""
            var point: (Int64, Int64?, Double, Double)?
            for try await row in try await conn.query(
                "SELECT id, depot_id, lat, lon FROM pickup_points WHERE code = \(code) AND active", logger: logger
            ).decode((Int64, Int64?, Double, Double).self) {
                point = row
            }
            guard let point else {
                throw StoreError.invalid(field: "delivery.pickupPoint", message: "unknown or inactive pickup point \(code)")
            }
            pickupPointId = point.0
            depotId = point.1
            destination = GeoPoint(lat: point.2, lon: point.3)
        } else {
            destination = GeoPoint(lat: request.delivery.lat ?? 0, lon: request.delivery.lon ?? 0)
        }
        if depotId == nil {
            // Home deliveries (and points without a depot) go through the nearest depot.
            var best: (Int64, Double)?
            for try await (id, lat, lon) in try await conn.query("SELECT id, lat, lon FROM depots", logger: logger)
                .decode((Int64, Double, Double).self)
            {
                let d = destination.distanceKm(to: GeoPoint(lat: lat, lon: lon))
                if best == nil || d < best!.1 { best = (id, d) }
            }
            depotId = best?.0
        }
        return OrderContext(merchantId: merchant.0, merchantCode: request.merchant, dailyQuota: merchant.1,
                            refuseOverQuota: merchant.2 == "refuse", skus: skus, pickupPointId: pickupPointId,
                            depotId: depotId, destination: destination)
    }

    /// The engine's view of the order.
    func splitOrder(_ request: OrderRequest) -> SplitOrder {
        SplitOrder(id: "order", destination: destination,
                   lines: request.lines.map { SplitLine(sku: $0.sku, qty: $0.qty) }, priority: request.priority ?? 0)
    }

    var splitSKUs: [SplitSKU] {
        skus.values.sorted { $0.code < $1.code }.map { SplitSKU(id: $0.code, grams: $0.grams, coldChain: $0.coldChain) }
    }
}
