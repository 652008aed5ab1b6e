import RuralPostCore
@testable import OrderSplitting

/// Small hand-made instances. The destination sits at (30, 110); warehouses are put
/// due north of it at a chosen great-circle distance, so zones are easy to reason about.
enum Fixture {
    static let destination = GeoPoint(lat: 30, lon: 110)
    /// Kilometres per degree of latitude with R = 6371.0088 km.
    static let kmPerDegree = Double.pi * GeoPoint.earthRadiusKm / 180

    static func point(km: Double) -> GeoPoint { GeoPoint(lat: 30 + km / kmPerDegree, lon: 110) }

    /// handling 100; zone 0 up to 50 km: first kg 800, +200/kg (parcel P = 900, A = 200);
    /// zone 1 up to 100 km: first kg 1200, +300/kg (P = 1300, A = 300); 20 kg parcels.
    static let tariff = Tariff(
        handlingFen: 100, parcelMaxGrams: 20_000,
        zones: [
            .init(maxKm: 50, firstKgFen: 800, additionalKgFen: 200),
            .init(maxKm: 100, firstKgFen: 1200, additionalKgFen: 300),
        ])

    static func warehouse(_ id: String, km: Double, cold: Bool = false, _ stock: [String: Int64]) -> SplitWarehouse {
        SplitWarehouse(id: id, location: point(km: km), coldChain: cold, stock: stock)
    }

    static func order(_ lines: [(String, Int64)], id: String = "O1", priority: Int = 0) -> SplitOrder {
        SplitOrder(id: id, destination: destination, lines: lines.map { SplitLine(sku: $0.0, qty: $0.1) }, priority: priority)
    }

    static func policy(max: Int = 3, partial: Bool = true, backorder: Fen = 100_000) -> SplitPolicy {
        SplitPolicy(maxWarehouses: max, allowPartial: partial, backorderFen: backorder)
    }
}
