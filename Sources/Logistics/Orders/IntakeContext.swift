import Foundation
import OrderSplitting
import RuralPostCore

/// Everything order intake reads before it splits, from one call of `rp_order_context`
/// (`IntakeStore.context`): master data for the request's codes, live stock of its SKUs, the tariff,
/// the database clock, ids for the order and its shipments, and any stored response
/// for the idempotency key. Nothing is locked; `rp_place_order` re-checks stock under
/// row locks when it writes.
struct IntakeContext: Decodable {
    struct Merchant: Decodable {
        let id: Int64
        let dailyQuota: Int64?
        let refuseOverQuota: Bool
    }

    struct SKU: Decodable {
        let id: Int64
        let code: String
        let merchantId: Int64
        let grams: Int64
        let cm3: Int64
        let coldChain: Bool
    }

    struct PickupPoint: Decodable {
        let id: Int64
        let depotId: Int64?
        let lat: Double
        let lon: Double
    }

    struct Depot: Decodable {
        let id: Int64
        let lat: Double
        let lon: Double
    }

    /// One (warehouse, SKU) stock row with its warehouse's facts.
    struct Stock: Decodable {
        let warehouseId: Int64
        let warehouse: String
        let lat: Double
        let lon: Double
        let coldChain: Bool
        let dailyCapacity: Int64
        let cutoffMinutes: Int64
        let skuId: Int64
        let available: Int64
    }

    /// The committed idempotency record for the request's key.
    struct Replay: Decodable {
        let requestHash: String
        let body: String
    }

    let orderId: Int64?
    let shipmentIds: [Int64]
    /// Database time, UTC, microseconds: the order's `createdAt`.
    let createdAt: String
    /// Minutes since local midnight on the database clock (warehouse cutoffs are local).
    let minuteOfDay: Int64
    /// Today, tomorrow and the day after on the database clock, `YYYY-MM-DD`.
    let days: [String]
    let replay: Replay?
    let merchant: Merchant?
    let skus: [SKU]
    let pickupPoint: PickupPoint?
    let depots: [Depot]?
    let tariff: Tariff?
    let stock: [Stock]

    /// The request resolved against master data: ids, destination and depot. Throws
    /// naming the request field for unknown codes, SKUs of another merchant and objects
    /// outside the caller's scope.
    func resolve(_ request: OrderRequest, caller: Caller) throws -> ResolvedOrder {
        guard let merchant, caller.allows(.merchant, merchant.id) else {
            throw DomainError.invalid(field: "merchant", message: "unknown merchant \(request.merchant)")
        }
        let byCode = Dictionary(skus.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        for (i, line) in request.lines.enumerated() {
            guard let sku = byCode[line.sku] else {
                throw DomainError.invalid(field: "lines[\(i)].sku", message: "unknown SKU \(line.sku)")
            }
            guard sku.merchantId == merchant.id else {
                throw DomainError.invalid(field: "lines[\(i)].sku", message: "SKU \(line.sku) belongs to another merchant")
            }
        }
        var depotId: Int64?
        let destination: GeoPoint
        if request.delivery.mode == "pickup" {
            guard let point = pickupPoint else {
                throw DomainError.invalid(field: "delivery.pickupPoint",
                                         message: "unknown or inactive pickup point \(request.delivery.pickupPoint ?? "")")
            }
            depotId = point.depotId
            destination = GeoPoint(lat: point.lat, lon: point.lon)
        } else {
            destination = GeoPoint(lat: request.delivery.lat ?? 0, lon: request.delivery.lon ?? 0)
        }
        if depotId == nil {
            // Home deliveries (and points without a depot) go through the nearest depot.
            depotId = (depots ?? []).map { ($0.id, destination.distanceKm(to: GeoPoint(lat: $0.lat, lon: $0.lon))) }
                .min { $0.1 < $1.1 }?.0
        }
        return ResolvedOrder(merchant: merchant, skus: byCode, pickupPointId: pickupPoint?.id, depotId: depotId,
                             destination: destination)
    }

    /// Warehouses with free stock of the order's SKUs, as the splitting engine takes them
    /// (stock rows come ordered by warehouse).
    func splitWarehouses() -> [SplitWarehouse] {
        var split: [SplitWarehouse] = []
        let codes = Dictionary(skus.map { ($0.id, $0.code) }, uniquingKeysWith: { first, _ in first })
        for row in stock {
            if split.last?.id != row.warehouse {
                split.append(SplitWarehouse(id: row.warehouse, location: GeoPoint(lat: row.lat, lon: row.lon),
                                            coldChain: row.coldChain, stock: [:]))
            }
            if row.available > 0, let code = codes[row.skuId] { split[split.count - 1].stock[code] = row.available }
        }
        return split.filter { !$0.stock.isEmpty }
    }

    /// A warehouse's facts (from any of its stock rows), by code.
    func warehouse(_ code: String) -> Stock? {
        stock.first { $0.warehouse == code }
    }

    /// The day the order leaves warehouses with these cutoffs: today before every
    /// cutoff, otherwise tomorrow. Index into `days`.
    func shipDayIndex(cutoffs: [Int64]) -> Int {
        minuteOfDay < (cutoffs.min() ?? 24 * 60) ? 0 : 1
    }
}

/// An order request matched to master data.
struct ResolvedOrder {
    let merchant: IntakeContext.Merchant
    let skus: [String: IntakeContext.SKU]
    let pickupPointId: Int64?
    let depotId: Int64?
    let destination: GeoPoint

    /// The engine's view of the order.
    func splitOrder(_ request: OrderRequest) -> SplitOrder {
        SplitOrder(id: "order", destination: destination,
                   lines: request.lines.map { SplitLine(sku: $0.sku, qty: $0.qty) }, priority: request.priority ?? 0)
    }

    var splitSKUs: [SplitSKU] {
        skus.values.sorted { $0.code < $1.code }.map { SplitSKU(id: $0.code, grams: $0.grams, coldChain: $0.coldChain) }
    }
}
