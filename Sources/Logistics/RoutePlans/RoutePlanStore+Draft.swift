import Foundation
import Persistence
import PostgresNIO
import RuralPostCore

extension RoutePlanStore {
    /// How a plan was asked for, recorded with it so it can be reproduced.
    public struct RunParameters: Sendable {
        public var seed: UInt64
        public var timeLimitSeconds: Double
        public var iterations: Int?

        public init(seed: UInt64, timeLimitSeconds: Double, iterations: Int?) {
            self.seed = seed
            self.timeLimitSeconds = timeLimitSeconds
            self.iterations = iterations
        }
    }

    /// Writes a draft plan in one transaction: the plan row (or the job's row), its
    /// routes and their trips, ordered stops with ETAs, loads and trip, the shipments of each stop, and the
    /// whole view as JSON for the API. Returns the plan id.
    public func writeDraft(_ view: PlanView, input: PlanInput, run: RunParameters, jobId: Int64?) async throws -> Int64 {
        let logger = database.logger
        let pointIds = Dictionary(input.points.values.map { ($0.code, $0.id) }, uniquingKeysWith: { first, _ in first })
        return try await database.transaction { conn in
            var planId: Int64 = 0
            if let jobId {
                planId = jobId
            } else {
                for try await id in try await conn.query("""
                    INSERT INTO route_plans (depot_id, plan_date, status, seed, time_limit_s, iterations, started_at)
                    VALUES (\(input.depot.id), \(view.date)::date, 'running', \(Int64(run.seed)), \(run.timeLimitSeconds),
                            \(run.iterations.map(Int64.init)), now())
                    RETURNING id
                    """, logger: logger).decode(Int64.self) { planId = id }
            }
            var stored = view
            stored.planId = planId
            let vehicleIds = Dictionary(uniqueKeysWithValues: input.vehicles.map { ($0.code, $0.id) })
            for route in view.routes {
                var routeId: Int64 = 0
                let startSeconds = Double(OpeningHours.seconds(route.start)), endSeconds = Double(OpeningHours.seconds(route.end))
                for try await id in try await conn.query("""
                    INSERT INTO routes (plan_id, vehicle_id, seq, distance_m, duration_s, cost_fen, start_at, end_at)
                    VALUES (\(planId), \(vehicleIds[route.vehicle]!), \(route.seq), \(route.distanceM), \(route.durationS), \(route.costFen),
                            (\(view.date)::date + make_interval(secs => \(startSeconds)))::timestamptz,
                            (\(view.date)::date + make_interval(secs => \(endSeconds)))::timestamptz)
                    RETURNING id
                    """, logger: logger).decode(Int64.self) { routeId = id }
                for trip in route.trips ?? [] {
                    let start = Double(OpeningHours.seconds(trip.start)), end = Double(OpeningHours.seconds(trip.end))
                    try await conn.query("""
                        INSERT INTO route_trips (route_id, seq, start_at, end_at, start_load_grams, distance_m)
                        VALUES (\(routeId), \(trip.seq), (\(view.date)::date + make_interval(secs => \(start)))::timestamptz,
                                (\(view.date)::date + make_interval(secs => \(end)))::timestamptz, \(trip.startLoadGrams), \(trip.distanceM))
                        """, logger: logger)
                }
                for stop in route.stops {
                    let pointId = stop.kind == .pickupPoint ? pointIds[stop.place.code] : nil
                    var stopId: Int64 = 0
                    let eta = Double(OpeningHours.seconds(stop.serviceStart))
                    for try await id in try await conn.query("""
                        INSERT INTO route_stops (route_id, seq, pickup_point_id, address, lat, lon, eta, delivery_grams, pickup_grams,
                                                 parcels, load_after_grams, trip)
                        VALUES (\(routeId), \(stop.seq), \(pointId), \(stop.kind == .home ? stop.place.name : nil), \(stop.place.lat),
                                \(stop.place.lon), (\(view.date)::date + make_interval(secs => \(eta)))::timestamptz, \(stop.deliveryGrams),
                                \(stop.pickupGrams), \(stop.parcels), \(stop.loadAfterGrams), \(stop.trip ?? 1))
                        RETURNING id
                        """, logger: logger).decode(Int64.self) { stopId = id }
                    try await conn.query("""
                        INSERT INTO route_stop_shipments (route_stop_id, shipment_id) SELECT \(stopId), unnest(\(stop.shipments)::bigint[])
                        """, logger: logger)
                }
            }
            let result = String(decoding: try JSONEncoder().encode(stored), as: UTF8.self)
            try await conn.query("""
                UPDATE route_plans SET status = 'draft', result = \(result)::jsonb, cost_fen = \(view.totals.costFen),
                    distance_m = \(view.totals.distanceM), finished_at = now(), error = NULL
                WHERE id = \(planId)
                """, logger: logger)
            return planId
        }
    }
}
