import Foundation
import Logistics
import Persistence
import Planning
import PostgresNIO
import RuralPostCore
import Testing

/// Vans that come back to reload, and parcels that reach the depot on the line-haul
/// during the day: planned from the database, checked by `FeasibilityCheck` (per trip:
/// capacity, opening hours, trip limit, no trip before its parcels arrive).
@Suite struct MultiTripPlanningTests {
    /// The ids of the depot's vans, in id order.
    static func vanIds(_ app: TestApp) async throws -> [Int64] {
        var ids: [Int64] = []
        for try await id in try await app.database.query("SELECT id FROM vehicles ORDER BY id").decode(Int64.self) { ids.append(id) }
        return ids
    }

    @Test func oneVanReloadsWhenOneTripCannotCarryTheDay() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            let (depot, date) = try await RoutePlanningTests.countyDay(app, orders: 150, seed: 5)
            // One small ambient van for the whole day: far more than one load.
            let vans = try await Self.vanIds(app)
            for id in vans.dropFirst() {
                #expect(try await app.send(.patch, "/v1/vehicles/\(id)", key: app.admin, json: ["active": false]).status == 200)
            }
            let patched = try await app.send(.patch, "/v1/vehicles/\(vans[0])", key: app.admin,
                                             json: ["capacityGrams": 250_000, "maxTrips": 4, "refrigerated": true])
            #expect(patched.status == 200, "\(patched.text)")
            #expect(patched.json["maxTrips"] as? Int == 4)
            let planner = RoutePlanner(plans: RoutePlanStore(database: app.database))
            let reloading = try await planner.plan(depotCode: depot, date: date, settings: RoutePlanningTests.settings(iterations: 300))
            let route = try #require(reloading.routes.first)
            #expect(route.tripCount >= 2, "\(route.trips ?? [])")
            #expect(route.tripCount <= 4)
            #expect(route.trips?.allSatisfy { $0.startLoadGrams <= 250_000 } == true)
            #expect(reloading.totals.trips == route.tripCount)
            try await FeasibilityCheck(database: app.database, planId: try #require(reloading.planId), date: date).run()

            // The same van limited to one trip carries one load: fewer parcels go out.
            #expect(try await app.send(.patch, "/v1/vehicles/\(vans[0])", key: app.admin, json: ["maxTrips": 1]).status == 200)
            let single = try await planner.plan(depotCode: depot, date: date, settings: RoutePlanningTests.settings(iterations: 300))
            #expect(single.routes.allSatisfy { $0.tripCount == 1 })
            #expect(single.totals.parcels < reloading.totals.parcels)
            #expect(single.totals.parcelsWaiting > reloading.totals.parcelsWaiting)
            try await FeasibilityCheck(database: app.database, planId: try #require(single.planId), date: date).run()
        }
    }

    @Test func lineHaulParcelsLeaveOnATripAfterTheTruckAndCommit() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            let (depot, date) = try await RoutePlanningTests.countyDay(app, orders: 120, seed: 7, lineHaul: true)
            var onTruck: Set<Int64> = []
            for try await id in try await app.database.query(
                "SELECT id FROM shipments WHERE status = 'dispatched' AND depot_arrival_at IS NOT NULL"
            ).decode(Int64.self) { onTruck.insert(id) }
            #expect(!onTruck.isEmpty)
            let view = try await RoutePlanner(plans: RoutePlanStore(database: app.database))
                .plan(depotCode: depot, date: date, settings: RoutePlanningTests.settings(iterations: 300))
            try await FeasibilityCheck(database: app.database, planId: try #require(view.planId), date: date).run()
            // Every planned line-haul parcel rides a trip that leaves at 10:30 or later, and its stop says so.
            for route in view.routes {
                for stop in route.stops where !onTruck.isDisjoint(with: stop.shipments) {
                    #expect(stop.readyAt == "10:30")
                    let trip = try #require(route.trips?.first { $0.seq == stop.trip })
                    #expect(trip.start >= "10:30", "\(route.vehicle) trip \(trip.seq) leaves \(trip.start) with line-haul parcels")
                }
            }
            #expect(view.routes.flatMap(\.stops).contains { !onTruck.isDisjoint(with: $0.shipments) })
            // Committing assigns them while they are still on the truck.
            let planner = try await app.key(.planner, [(.depot, depot)])
            let committed = try await app.send(.post, "/v1/route-plans/\(view.planId!)/commit", key: planner)
            #expect(committed.json["status"] as? String == "committed", "\(committed.text)")
            var planned = 0
            for try await n in try await app.database.query("""
                SELECT count(*)::bigint FROM shipment_events WHERE from_status = 'dispatched' AND to_status = 'dispatched'
                  AND note LIKE 'planned: plan %'
                """).decode(Int64.self) { planned = Int(n) }
            #expect(planned > 0)
        }
    }

    @Test func tripsAndArrivalsRefuseBadInputAndChangeNothing() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            _ = try await RoutePlanningTests.countyDay(app, orders: 10, seed: 2)
            let van = try #require(try await Self.vanIds(app).first)
            for bad: Any in [0, -1, 11, "two", 1.5, 9_999_999_999_999_999_999.0] {
                let reply = try await app.send(.patch, "/v1/vehicles/\(van)", key: app.admin, json: ["maxTrips": bad])
                #expect(reply.status == 422, "maxTrips \(bad): \(reply.status) \(reply.text)")
                #expect(reply.errorField == "maxTrips", "\(reply.text)")
            }
            for bad: Any in [0, 1.5, 9_999_999_999_999_999_999.0, "3"] {
                let reply = try await app.send(.post, "/v1/vehicles", key: app.admin, json: [
                    "code": "V-BAD", "depotId": 1, "kind": "van", "capacityGrams": 900_000, "capacityCm3": 5_000_000,
                    "shiftStart": "07:00", "shiftEnd": "18:00", "maxTrips": bad,
                ])
                #expect(reply.status == 422 && reply.errorField == "maxTrips", "create with maxTrips \(bad): \(reply.text)")
            }
            let stored = try await app.send(.get, "/v1/vehicles/\(van)", key: app.admin)
            #expect(stored.json["maxTrips"] as? Int == Vehicle.defaultMaxTrips)

            // The depot's loading time: 0 to 240 minutes, nothing else stored.
            var depot: Int64 = 0
            for try await id in try await app.database.query("SELECT min(id) FROM depots").decode(Int64.self) { depot = id }
            for bad: Any in [-1, 241, "15", 1.5, 9_999_999_999_999_999_999.0] {
                let reply = try await app.send(.patch, "/v1/depots/\(depot)", key: app.admin, json: ["loadingMinutes": bad])
                #expect(reply.status == 422 && reply.errorField == "loadingMinutes", "loadingMinutes \(bad): \(reply.status) \(reply.text)")
            }
            let depotNow = try await app.send(.get, "/v1/depots/\(depot)", key: app.admin)
            #expect(depotNow.json["loadingMinutes"] as? Int == DemoLoader.loadingMinutes, "\(depotNow.text)")
            let slower = try await app.send(.patch, "/v1/depots/\(depot)", key: app.admin, json: ["loadingMinutes": 20])
            #expect(slower.status == 200 && slower.json["loadingMinutes"] as? Int == 20, "\(slower.text)")

            // A shipment at the depot, and one still at its warehouse.
            var atDepot: Int64 = 0
            for try await id in try await app.database.query("SELECT min(id) FROM shipments WHERE status = 'at_depot'").decode(Int64.self) {
                atDepot = id
            }
            let fresh = try await app.send(.post, "/v1/shipments/\(atDepot)/status", key: app.admin,
                                           json: ["status": "out_for_delivery", "depotArrival": "2026-12-02T10:30:00+08:00"])
            #expect(fresh.status == 422 && fresh.errorField == "depotArrival", "\(fresh.text)")
            let soon = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3 * 3600))
            let later = ISO8601DateFormatter().string(from: Date().addingTimeInterval(30 * 86_400))
            for (status, arrival) in [("out_for_delivery", soon), ("dispatched", "tomorrow"), ("dispatched", "2026-12-02T10:30:00"),
                                      ("dispatched", later), ("dispatched", "1999-01-01T00:00:00Z"), ("dispatched", "2026-12-02T10:30:00+08:00\u{0}")] {
                let reply = try await app.send(.post, "/v1/shipments/\(atDepot)/status", key: app.admin,
                                               json: ["status": status, "depotArrival": arrival])
                #expect(reply.status == 422 || reply.status == 400, "\(status) \(arrival): \(reply.status) \(reply.text)")
                #expect(reply.errorField == "depotArrival", "\(status) \(arrival): \(reply.text)")
            }
            var status = ""
            for try await s in try await app.database.query("SELECT status FROM shipments WHERE id = \(atDepot)").decode(String.self) { status = s }
            #expect(status == "at_depot")

            // Dispatch with an expected arrival; arrival records the moment it came.
            var packed: Int64 = 0
            for try await id in try await app.database.query("SELECT min(id) FROM shipments WHERE status = 'allocated'").decode(Int64.self) {
                packed = id
            }
            for next in ["picked", "packed"] {
                #expect(try await app.send(.post, "/v1/shipments/\(packed)/status", key: app.admin, json: ["status": next]).status == 200)
            }
            let future = try await app.send(.post, "/v1/shipments/\(packed)/status", key: app.admin,
                                            json: ["status": "at_depot", "depotArrival": soon])
            #expect(future.status == 409 || future.errorField == "depotArrival", "\(future.text)")
            let expected = ISO8601DateFormatter().string(from: Date().addingTimeInterval(86_400))
            let dispatched = try await app.send(.post, "/v1/shipments/\(packed)/status", key: app.admin,
                                                json: ["status": "dispatched", "depotArrival": expected])
            #expect(dispatched.status == 200, "\(dispatched.text)")
            var hoursAhead = 0.0
            for try await h in try await app.database.query(
                "SELECT extract(epoch FROM depot_arrival_at - now())::double precision / 3600 FROM shipments WHERE id = \(packed)"
            ).decode(Double.self) { hoursAhead = h }
            #expect(abs(hoursAhead - 24) < 0.1)
            let arrived = try await app.send(.post, "/v1/shipments/\(packed)/status", key: app.admin,
                                             json: ["status": "at_depot", "depotArrival": soon])
            #expect(arrived.status == 422 && arrived.errorField == "depotArrival", "\(arrived.text)")
            #expect(try await app.send(.post, "/v1/shipments/\(packed)/status", key: app.admin, json: ["status": "at_depot"]).status == 200)
            for try await h in try await app.database.query(
                "SELECT extract(epoch FROM now() - depot_arrival_at)::double precision FROM shipments WHERE id = \(packed)"
            ).decode(Double.self) { hoursAhead = h }
            #expect(hoursAhead >= 0 && hoursAhead < 60)
        }
    }
}

/// The idle-van oracle itself: it must flag a van back early with trips to spare while a
/// stop it could carry waits, and accept the same plan when the van has no trip left.
@Suite struct IdleVanCheckTests {
    static func plan(maxTrips: Int, end: String) -> PlanView {
        let depot = PlanView.Place(code: "D", name: "Depot", lat: 28.6, lon: 109.9)
        let near = PlanView.Place(code: "PP-1", name: "Near station", lat: 28.62, lon: 109.92)
        let route = PlanView.Route(
            seq: 1, vehicle: "VAN-1", vehicleKind: "van", refrigerated: false, capacityGrams: 900_000, capacityCm3: 5_000_000,
            shift: "07:00-18:00", start: "07:00", end: end, startLoadGrams: 800_000, distanceM: 10_000, durationS: 3600, costFen: 100,
            stops: [], trips: [PlanView.Trip(seq: 1, start: "07:00", end: end, startLoadGrams: 800_000, startLoadCm3: 0, endLoadGrams: 0,
                                             distanceM: 10_000, stops: 0)], maxTrips: maxTrips)
        let waiting = PlanView.Unassigned(kind: .pickupPoint, place: near, parcels: 10, grams: 100_000, reason: .capacity,
                                          shipments: [1], collections: [], windows: ["08:00-17:00"])
        return PlanView(depot: depot, date: "2026-12-02", seed: 1, timeLimitSeconds: 1, solverSeconds: 1, routes: [route],
                        unassigned: [waiting],
                        totals: .init(routes: 1, stops: 0, parcels: 0, distanceM: 0, costFen: 0, unassignedStops: 1, parcelsWaiting: 10))
    }

    @Test func flagsAVanBackEarlyWhileItsParcelsWait() throws {
        withKnownIssue("VAN-1 is back at 11:00 with two trips to spare") {
            try IdleVanCheck(view: Self.plan(maxTrips: 3, end: "11:00")).run()
        }
    }

    @Test func acceptsItWhenTheVanHasNoTripOrTimeLeft() throws {
        try IdleVanCheck(view: Self.plan(maxTrips: 1, end: "11:00")).run()
        try IdleVanCheck(view: Self.plan(maxTrips: 3, end: "16:55")).run()
    }
}
