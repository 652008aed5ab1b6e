import Logistics
import RuralPostCore

/// Prints what the demo database holds after loading the county.
enum DemoSummary {
    static func print(county: DemoCounty, census c: DemoCensusStore.Census) {
        Swift.print("  depot:            \(county.depot.name) (\(county.depot.code))")
        Swift.print("  warehouses:       \(c.warehouses) "
            + "(\(county.warehouses.map { "\($0.place.code) \($0.kind)\($0.coldChain ? ", cold chain" : "")" }.joined(separator: "; ")))")
        Swift.print("  merchants / SKUs: \(c.merchants) / \(c.skus)")
        Swift.print("  stock:            \(c.stockUnits) units in \(c.stockRows) warehouse x SKU rows, \(c.ledgerRows) ledger rows")
        let byKind = Dictionary(grouping: county.pickupPoints, by: \.kind).map { "\($0.value.count) \($0.key)" }.sorted()
        Swift.print("  pickup points:    \(c.pickupPoints) (\(byKind.joined(separator: ", "))), \(c.slots) slots, "
            + "\(c.serviceCentres) service centres")
        Swift.print("  vehicles:         \(c.vehicles) (\(c.refrigeratedVehicles) refrigerated)")
        Swift.print("  tariff zones:     \(c.tariffZones)")
        Swift.print("  generated intake: \(county.orders.count) orders, \(county.collections.count) produce collections")
    }
}
