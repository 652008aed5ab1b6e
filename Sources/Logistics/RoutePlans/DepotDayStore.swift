import Foundation
import Logging
import Persistence
import PostgresNIO
import RuralPostCore

/// Reads what a depot has to plan for one day: shipments due by the date that are at the
/// depot or expected there that day on the line-haul (with the time they arrive),
/// produce ready for collection at its points, the points' opening hours and free slots
/// that day, and the depot's active vehicles.
public struct DepotDayStore: Sendable {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    /// The day of `depotCode` on `date` (YYYY-MM-DD).
    public func load(depotCode: String, date: String) async throws -> PlanInput {
        try await database.withConnection { conn in
            try await Self.load(depotCode: depotCode, date: date, conn: conn, logger: database.logger)
        }
    }

    static func load(depotCode: String, date: String, conn: PostgresConnection, logger: Logger) async throws -> PlanInput {
        guard let weekday = CalendarDate.weekday(date) else {
            throw DomainError.invalid(field: "date", message: "must be a date YYYY-MM-DD")
        }
        var depot: PlanInput.Depot?
        for try await (id, code, name, lat, lon, loading) in try await conn.query(
            "SELECT id, code, name, lat, lon, loading_minutes::bigint * 60 FROM depots WHERE code = \(depotCode)", logger: logger
        ).decode((Int64, String, String, Double, Double, Int64).self) {
            depot = .init(id: id, code: code, name: name, location: GeoPoint(lat: lat, lon: lon), loadingSeconds: loading)
        }
        guard let depot else { throw DomainError.notFound("no depot \(depotCode)") }

        var vehicles: [PlanInput.Vehicle] = []
        for try await row in try await conn.query("""
            SELECT id, code, kind, capacity_grams, capacity_cm3, extract(epoch FROM shift_start)::bigint,
                   extract(epoch FROM shift_end)::bigint, fixed_cost_fen, per_km_fen, refrigerated, max_trips::bigint
            FROM vehicles WHERE depot_id = \(depot.id) AND active ORDER BY id
            """, logger: logger).decode((Int64, String, String, Int64, Int64, Int64, Int64, Int64, Int64, Bool, Int64).self)
        {
            vehicles.append(.init(id: row.0, code: row.1, kind: row.2, capacityGrams: row.3, capacityCm3: row.4, shiftStart: row.5,
                                  shiftEnd: row.6, fixedCostFen: row.7, perKmFen: row.8, refrigerated: row.9, maxTrips: Int(row.10)))
        }

        // At the depot, or on the line-haul and expected before the day ends; released at
        // the arrival time on the plan date (0 if it arrived on an earlier day).
        var shipments: [PlanInput.Shipment] = []
        for try await row in try await conn.query("""
            SELECT s.id, s.order_id, s.pickup_point_id, coalesce(o.address, ''), coalesce(p.lat, o.lat), coalesce(p.lon, o.lon),
                   s.grams, s.cm3, s.cold_chain, (SELECT count(*) FROM parcels pa WHERE pa.shipment_id = s.id)::bigint,
                   greatest(0, coalesce(extract(epoch FROM s.depot_arrival_at - \(date)::date::timestamptz), 0))::bigint,
                   s.status = 'dispatched'
            FROM shipments s LEFT JOIN orders o ON o.id = s.order_id LEFT JOIN pickup_points p ON p.id = s.pickup_point_id
            WHERE s.depot_id = \(depot.id) AND s.kind IN ('outbound', 'foreign')
              AND (s.status = 'at_depot'
                   OR (s.status = 'dispatched' AND s.depot_arrival_at < (\(date)::date + 1)::timestamptz))
              AND (s.due_date IS NULL OR s.due_date <= \(date)::date)
              AND coalesce(p.lat, o.lat) IS NOT NULL
            ORDER BY s.due_date NULLS FIRST, s.id
            """, logger: logger).decode((Int64, Int64?, Int64?, String, Double, Double, Int64, Int64, Bool, Int64, Int64, Bool).self)
        {
            shipments.append(.init(id: row.0, orderId: row.1, pickupPointId: row.2, address: row.3,
                                   location: GeoPoint(lat: row.4, lon: row.5), grams: row.6, cm3: row.7,
                                   parcels: max(1, Int(row.9)), coldChain: row.8, releaseSeconds: row.10, onLineHaul: row.11))
        }

        var collections: [PlanInput.Collection] = []
        for try await (id, point, grams, cm3) in try await conn.query("""
            SELECT c.id, c.pickup_point_id, c.grams, c.cm3 FROM collection_requests c JOIN pickup_points p ON p.id = c.pickup_point_id
            WHERE p.depot_id = \(depot.id) AND c.status = 'open' AND c.ready_date <= \(date)::date ORDER BY c.id
            """, logger: logger).decode((Int64, Int64, Int64, Int64).self)
        {
            collections.append(.init(id: id, pickupPointId: point, grams: grams, cm3: cm3))
        }

        let pointIds = Array(Set(shipments.compactMap(\.pickupPointId) + collections.map(\.pickupPointId)))
        var points: [Int64: PlanInput.Point] = [:]
        for try await (id, code, name, lat, lon, hours, slots, waiting) in try await conn.query("""
            SELECT p.id, p.code, p.name, p.lat, p.lon, p.opening_hours::text, p.slot_capacity::bigint,
                   (SELECT count(*) FROM pickups k WHERE k.pickup_point_id = p.id AND k.status = 'waiting')::bigint
            FROM pickup_points p WHERE p.id = ANY(\(pointIds))
            """, logger: logger).decode((Int64, String, String, Double, Double, String, Int64, Int64).self)
        {
            let opening = try JSONDecoder().decode(OpeningHours.self, from: Data(hours.utf8))
            points[id] = .init(id: id, code: code, name: name, location: GeoPoint(lat: lat, lon: lon),
                               windows: opening.windows(weekday: weekday).map { $0.start...$0.end },
                               freeSlots: max(0, Int(slots - waiting)))
        }
        return PlanInput(depot: depot, date: date, vehicles: vehicles, shipments: shipments, points: points, collections: collections)
    }
}
