import Foundation
import Persistence
import PostgresNIO
import RuralPostCore

/// What the demo database holds, counted from the tables, for the demo's summary.
public struct DemoCensusStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// Row counts and totals of the loaded county.
    public struct Census: Sendable {
        public var warehouses = 0, merchants = 0, skus = 0
        public var stockUnits = 0, stockRows = 0, ledgerRows = 0
        public var pickupPoints = 0, slots = 0, serviceCentres = 0
        public var vehicles = 0, refrigeratedVehicles = 0, tariffZones = 0
    }

    public func census() async throws -> Census {
        var c = Census()
        for try await row in try await database.query("""
            SELECT (SELECT count(*) FROM warehouses)::bigint, (SELECT count(*) FROM merchants)::bigint,
                   (SELECT count(*) FROM skus)::bigint, (SELECT coalesce(sum(on_hand), 0) FROM inventory)::bigint,
                   (SELECT count(*) FROM inventory)::bigint, (SELECT count(*) FROM inventory_movements)::bigint,
                   (SELECT count(*) FROM pickup_points)::bigint, (SELECT coalesce(sum(slot_capacity), 0) FROM pickup_points)::bigint,
                   (SELECT count(*) FROM service_centres)::bigint, (SELECT count(*) FROM vehicles)::bigint,
                   (SELECT count(*) FROM vehicles WHERE refrigerated)::bigint, (SELECT count(*) FROM tariff_zones)::bigint
            """).decode((Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64).self)
        {
            c = Census(warehouses: Int(row.0), merchants: Int(row.1), skus: Int(row.2), stockUnits: Int(row.3), stockRows: Int(row.4),
                       ledgerRows: Int(row.5), pickupPoints: Int(row.6), slots: Int(row.7), serviceCentres: Int(row.8),
                       vehicles: Int(row.9), refrigeratedVehicles: Int(row.10), tariffZones: Int(row.11))
        }
        return c
    }

    /// Parcels written by intake.
    public func parcels() async throws -> Int {
        for try await n in try await database.query("SELECT count(*)::bigint FROM parcels").decode(Int64.self) { return Int(n) }
        return 0
    }

    /// The day the demo's shipments are due out of the depot.
    public func planDate() async throws -> String {
        for try await day in try await database.query("""
            SELECT coalesce(max(due_date), current_date + 1)::text FROM shipments
            WHERE status IN ('allocated', 'picked', 'packed', 'dispatched', 'at_depot')
            """).decode(String.self) { return day }
        throw DomainError.internalError("no plan date")
    }

    /// The moment `clock` (HH:MM) on `date` in the database's time zone, the one plan clock
    /// times are read in.
    public func moment(date: String, clock: String) async throws -> Date {
        for try await epoch in try await database.query(
            "SELECT extract(epoch FROM (\(date)::date + \(clock)::time)::timestamptz)::double precision"
        ).decode(Double.self) { return Date(timeIntervalSince1970: epoch) }
        throw DomainError.internalError("no moment for \(date) \(clock)")
    }
}
