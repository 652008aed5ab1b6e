import Foundation
import Persistence
import RuralPostCore

/// Loads a generated `DemoCounty`'s master data and stock through the same stores
/// the API uses (so the demo exercises validation, scopes and the stock ledger).
public struct DemoLoader: Sendable {
    let database: Database
    let caller: Caller

    public init(database: Database, caller: Caller) {
        self.database = database
        self.caller = caller
    }

    /// Ids of what was created, by code.
    public struct Loaded: Sendable {
        public var depotId: Int64 = 0
        public var warehouses: [String: Int64] = [:]
        public var merchants: [String: Int64] = [:]
        public var pickupPoints: [String: Int64] = [:]
        public var stockUnits: Int64 = 0
    }

    /// The demo depot's crew loads a van in a quarter of an hour, before each trip.
    public static let loadingMinutes = 15

    public func load(_ county: DemoCounty) async throws -> Loaded {
        var loaded = Loaded()
        loaded.depotId = try await MasterDataStore<Depot>(database: database).create(
            Depot(code: county.depot.code, name: county.depot.name, lat: county.depot.location.lat, lon: county.depot.location.lon,
                  loadingMinutes: Self.loadingMinutes),
            caller: caller).id
        for w in county.warehouses {
            loaded.warehouses[w.place.code] = try await MasterDataStore<Warehouse>(database: database).create(
                Warehouse(code: w.place.code, name: w.place.name, kind: w.kind, lat: w.place.location.lat, lon: w.place.location.lon,
                          coldChain: w.coldChain, dailyCapacity: w.dailyCapacity), caller: caller).id
        }
        for m in county.merchants {
            loaded.merchants[m.code] = try await MasterDataStore<Merchant>(database: database).create(
                Merchant(code: m.code, name: m.name, dailyQuota: m.dailyQuota), caller: caller).id
        }
        let skuStore = MasterDataStore<SKU>(database: database)
        for s in county.skus {
            _ = try await skuStore.create(
                SKU(code: s.code, merchantId: loaded.merchants[s.merchant]!, name: s.name, grams: s.grams, cm3: s.cm3,
                    category: s.category, coldChain: s.coldChain), caller: caller)
        }
        let inventory = InventoryStore(database: database)
        for row in county.stock {
            _ = try await inventory.receive(warehouseId: loaded.warehouses[row.warehouse]!,
                                            .init(sku: row.sku, qty: row.qty, reason: "demo opening stock"), caller: caller)
            loaded.stockUnits += row.qty
        }
        var centres: [String: Int64] = [:]
        for c in county.serviceCentres {
            centres[c.code] = try await MasterDataStore<ServiceCentre>(database: database).create(
                ServiceCentre(code: c.code, name: c.name), caller: caller).id
        }
        let pointStore = MasterDataStore<PickupPoint>(database: database)
        for p in county.pickupPoints {
            loaded.pickupPoints[p.place.code] = try await pointStore.create(
                PickupPoint(code: p.place.code, name: p.place.name, kind: p.kind, lat: p.place.location.lat, lon: p.place.location.lon,
                            serviceCentreId: centres[p.serviceCentre]!, depotId: loaded.depotId,
                            openingHours: try OpeningHours.parse(p.openingHours), slotCapacity: p.slots, holdDays: p.holdDays),
                caller: caller).id
        }
        let vehicleStore = MasterDataStore<Vehicle>(database: database)
        for v in county.vehicles {
            _ = try await vehicleStore.create(
                Vehicle(code: v.code, depotId: loaded.depotId, kind: v.kind, capacityGrams: v.capacityGrams, capacityCm3: v.capacityCm3,
                        shiftStart: v.shiftStart, shiftEnd: v.shiftEnd, fixedCostFen: v.fixedCostFen, perKmFen: v.perKmFen,
                        refrigerated: v.refrigerated), caller: caller)
        }
        _ = try await TariffStore(database: database).create(
            TariffRecord(code: "POST-EC-2026", name: "Postal e-commerce tariff 2026", tariff: county.tariff, isDefault: true), caller: caller)
        return loaded
    }
}
