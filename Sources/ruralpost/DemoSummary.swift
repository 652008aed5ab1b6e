import Foundation
import RuralPostCore
import PostgresNIO
import Storage

/// Prints what the demo database holds, read back from the tables.
struct DemoSummary {
    let database: Database

    func count(_ sql: String) async throws -> Int64 {
        for try await n in try await database.query(PostgresQuery(unsafeSQL: sql)).decode(Int64.self) { return n }
        return 0
    }

    /// The day the demo's shipments are due out of the depot.
    func planDate() async throws -> String {
        for try await day in try await database.query(
            "SELECT coalesce(max(due_date), current_date + 1)::text FROM shipments WHERE status = 'at_depot'"
        ).decode(String.self) { return day }
        throw StoreError.internalError("no plan date")
    }

    func print(county: DemoCounty, loaded: DemoLoader.Loaded) async throws {
        Swift.print("  depot:            \(county.depot.name) (\(county.depot.code))")
        Swift.print("  warehouses:       \(try await count("SELECT count(*)::bigint FROM warehouses")) "
            + "(\(county.warehouses.map { "\($0.place.code) \($0.kind)\($0.coldChain ? ", cold chain" : "")" }.joined(separator: "; ")))")
        Swift.print("  merchants / SKUs: \(try await count("SELECT count(*)::bigint FROM merchants")) / \(try await count("SELECT count(*)::bigint FROM skus"))")
        Swift.print("  stock:            \(try await count("SELECT coalesce(sum(on_hand),0)::bigint FROM inventory")) units in "
            + "\(try await count("SELECT count(*)::bigint FROM inventory")) warehouse x SKU rows, "
            + "\(try await count("SELECT count(*)::bigint FROM inventory_movements")) ledger rows")
        let byKind = Dictionary(grouping: county.pickupPoints, by: \.kind).map { "\($0.value.count) \($0.key)" }.sorted()
        Swift.print("  pickup points:    \(try await count("SELECT count(*)::bigint FROM pickup_points")) (\(byKind.joined(separator: ", "))), "
            + "\(try await count("SELECT sum(slot_capacity)::bigint FROM pickup_points")) slots, "
            + "\(try await count("SELECT count(*)::bigint FROM service_centres")) service centres")
        Swift.print("  vehicles:         \(try await count("SELECT count(*)::bigint FROM vehicles")) "
            + "(\(try await count("SELECT count(*)::bigint FROM vehicles WHERE refrigerated")) refrigerated)")
        Swift.print("  tariff zones:     \(try await count("SELECT count(*)::bigint FROM tariff_zones"))")
        Swift.print("  generated intake: \(county.orders.count) orders, \(county.collections.count) produce collections")
    }
}
