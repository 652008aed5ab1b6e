import Foundation
import Logistics
import Persistence
import Planning
import PostgresNIO
import RuralPostCore
import Testing

/// Route planning from the database, checked independently of the solver: every
/// stop's time window, every van's capacity and shift, slot limits and skills are
/// recomputed from the stored plan and the master data.
@Suite struct RoutePlanningTests {
    /// A generated county day: orders through intake, shipments at the depot (with
    /// `lineHaul`, those of the prefecture warehouse still on the line-haul, due at the
    /// depot at 10:30 on the plan date), collections registered. Returns the depot code
    /// and plan date.
    static func countyDay(_ app: TestApp, orders: Int = 400, seed: UInt64 = 3, lineHaul: Bool = false) async throws -> (String, String) {
        let county = DemoCounty.generate(seed: seed, orders: orders)
        let caller = try await APIKeyStore(database: app.database).systemCaller()
        let loaded = try await DemoLoader(database: app.database, caller: caller).load(county)
        let intake = DemoIntake(database: app.database, caller: caller)
        _ = try await intake.submitOrders(county.orders, seed: seed)
        var date = ""
        for try await day in try await app.database.query("SELECT max(due_date)::text FROM shipments").decode(String.self) { date = day }
        let arrival = lineHaul ? try await DemoCensusStore(database: app.database).moment(date: date, clock: "10:30") : nil
        _ = try await intake.moveToDepot(lineHaulWarehouse: lineHaul ? county.lineHaulWarehouse : nil, lineHaulArrival: arrival)
        _ = try await intake.registerCollections(county, pointIds: loaded.pickupPoints, readyDate: date)
        return (county.depot.code, date)
    }

    static func settings(iterations: Int? = 400) -> PlanSettings {
        var s = PlanSettings()
        s.timeLimitSeconds = 20
        s.iterations = iterations
        return s
    }

    /// A full county-day (~290 stops, ~2,900 parcels, 12 vans that may reload, a
    /// mid-morning line-haul) planned within 60 s.
    @Test func plannedCountyDayRespectsEveryConstraint() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            let (depot, date) = try await Self.countyDay(app, orders: 2200, seed: 1, lineHaul: true)
            var settings = Self.settings(iterations: nil)
            settings.timeLimitSeconds = 30
            let started = ContinuousClock.now
            let view = try await RoutePlanner(plans: RoutePlanStore(database: app.database)).plan(depotCode: depot, date: date, settings: settings)
            #expect(ContinuousClock.now - started < .seconds(60))
            #expect(view.totals.stops + view.totals.unassignedStops >= 250)
            #expect(view.totals.parcels + view.totals.parcelsWaiting >= 2500)
            #expect(view.routes.count >= 10)
            try await FeasibilityCheck(database: app.database, planId: try #require(view.planId), date: date).run()

            // Vans reload, and the line-haul's parcels go out on trips after it arrives.
            #expect(view.routes.contains { $0.tripCount > 1 })
            #expect(view.routes.flatMap(\.stops).contains { $0.readyAt == "10:30" })
            // No van is back with time to spare while parcels it could take wait for lack of vans.
            var idle = IdleVanCheck(view: view)
            for try await (id, cold, ready) in try await app.database.query("""
                SELECT id, cold_chain, greatest(0, coalesce(extract(epoch FROM depot_arrival_at - \(date)::date::timestamptz), 0))::bigint
                FROM shipments
                """).decode((Int64, Bool, Int64).self) {
                if cold { idle.cold.insert(id) }
                if ready > 0 { idle.ready[id] = ready }
            }
            try idle.run()

            // Every shipment at the depot or due on the line-haul is either on exactly one
            // stop or reported unassigned.
            var atDepot: Set<Int64> = []
            for try await id in try await app.database.query(
                "SELECT id FROM shipments WHERE status = 'at_depot' OR (status = 'dispatched' AND depot_arrival_at IS NOT NULL)"
            ).decode(Int64.self) {
                atDepot.insert(id)
            }
            let planned = view.routes.flatMap { $0.stops.flatMap(\.shipments) }
            let waiting = view.unassigned.flatMap(\.shipments)
            #expect(Set(planned).count == planned.count)
            #expect(Set(planned).isDisjoint(with: waiting))
            #expect(Set(planned).union(waiting) == atDepot)
        }
    }

    @Test func sameDataAndSeedGiveTheSamePlan() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            let (depot, date) = try await Self.countyDay(app, orders: 200)
            let planner = RoutePlanner(plans: RoutePlanStore(database: app.database))
            var first = try await planner.plan(depotCode: depot, date: date, settings: Self.settings(iterations: 300))
            var second = try await planner.plan(depotCode: depot, date: date, settings: Self.settings(iterations: 300))
            #expect(first.planId != second.planId)
            (first.planId, first.solverSeconds, second.planId, second.solverSeconds) = (nil, 0, nil, 0)
            #expect(first == second)
        }
    }

    @Test func aSecondPlannerIsRefusedWhileOneRuns() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            let (depot, date) = try await Self.countyDay(app, orders: 50)
            try await app.database.client.withConnection { conn in
                let key = try await RoutePlanStore.lockKey(depotCode: depot, date: date, conn: conn, logger: TestCluster.logger)
                try await conn.query("SELECT pg_advisory_lock(\(key.0), \(key.1))", logger: TestCluster.logger)
                await #expect(throws: DomainError.self) {
                    _ = try await RoutePlanner(plans: RoutePlanStore(database: app.database)).plan(depotCode: depot, date: date, settings: Self.settings())
                }
                try await conn.query("SELECT pg_advisory_unlock(\(key.0), \(key.1))", logger: TestCluster.logger)
            }
            let view = try await RoutePlanner(plans: RoutePlanStore(database: app.database)).plan(depotCode: depot, date: date, settings: Self.settings())
            #expect(view.planId != nil)
        }
    }

    @Test func planJobThroughTheAPIAndCommit() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            let (depot, date) = try await Self.countyDay(app, orders: 80)
            let planner = try await app.key(.planner, [(.depot, depot)])
            let queued = try await app.send(.post, "/v1/route-plans", key: planner,
                                            json: ["depot": depot, "date": date, "timeLimit": 5, "iterations": 200])
            #expect(queued.status == 202, "\(queued.text)")
            let location = try #require(queued.headers[.location])
            var status = ""
            for _ in 0..<200 where status != "draft" && status != "failed" {
                try await Task.sleep(for: .milliseconds(100))
                status = try await app.send(.get, location, key: planner).json["status"] as? String ?? ""
            }
            #expect(status == "draft")
            let operatorKey = try await app.key(.operator)
            #expect(try await app.send(.post, location + "/commit", key: operatorKey).status == 403)
            let committed = try await app.send(.post, location + "/commit", key: planner)
            #expect(committed.json["status"] as? String == "committed", "\(committed.text)")
            #expect(try await app.send(.post, location + "/commit", key: planner).status == 409)
            let bad = try await app.send(.post, "/v1/route-plans", key: planner, json: ["depot": depot, "date": "2026-02-30"])
            #expect(bad.status == 422)
            #expect(bad.errorField == "date")
        }
    }

    /// Two `ruralpost plan --all-depots` processes over ten depots: each depot planned once.
    @Test func twoWorkerProcessesPlanEveryDepotOnce() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            for i in 1...10 {
                let depot = try await app.send(.post, "/v1/depots", key: app.admin,
                                               json: ["code": "D\(i)", "name": "Depot \(i)", "lat": 28 + Double(i) / 10, "lon": 110])
                _ = try await app.send(.post, "/v1/vehicles", key: app.admin, json: [
                    "code": "V\(i)", "depotId": depot.id, "kind": "van", "capacityGrams": 900_000, "capacityCm3": 5_000_000,
                    "shiftStart": "07:00", "shiftEnd": "18:00",
                ])
            }
            let c = app.settings.configuration
            var environment = ProcessInfo.processInfo.environment
            environment["DATABASE_URL"] = "postgres://\(c.username)@\(c.host ?? "127.0.0.1"):\(c.port ?? 5432)/\(c.database ?? "")?sslmode=disable"
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("plan-workers-\(getpid()).log").path
            defer { try? FileManager.default.removeItem(atPath: log) }
            let pids = try (0..<2).map { _ in
                try Subprocess.spawn(CrashRecoveryTests.binary, ["plan", "--all-depots", "--date", "2026-12-01", "--time-limit", "1",
                                                                 "--workers", "2", "--log-level", "warning"],
                                     environment: environment, outputPath: log)
            }
            for pid in pids {
                var status: Int32 = 0
                waitpid(pid, &status, 0)
                #expect(status == 0, "\((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
            }
            var perDepot: [String: Int] = [:]
            for try await (code, n) in try await app.database.query("""
                SELECT d.code, count(p.id)::bigint FROM depots d LEFT JOIN route_plans p ON p.depot_id = d.id AND p.status = 'draft'
                GROUP BY d.code
                """).decode((String, Int64).self) { perDepot[code] = Int(n) }
            var failures: [String] = []
            for try await (code, status, error) in try await app.database.query("""
                SELECT d.code, p.status, coalesce(p.error, '') FROM route_plans p JOIN depots d ON d.id = p.depot_id
                WHERE p.status <> 'draft'
                """).decode((String, String, String).self) { failures.append("\(code) \(status): \(error)") }
            #expect(perDepot.count == 10)
            #expect(perDepot.values.allSatisfy { $0 == 1 }, "\(perDepot) \(failures)")
        }
    }
}

/// Recomputes a stored plan's feasibility from the tables, without the solver: per trip
/// (a van loads afresh at the depot for each), capacity, opening hours, the van's shift
/// and trip limit, that no trip leaves before its parcels reach the depot, and that
/// every trip gives the depot's loading time before its first stop.
struct FeasibilityCheck {
    let database: Database
    let planId: Int64
    let date: String

    func run() async throws {
        guard let weekday = CalendarDate.weekday(date) else { throw DomainError.internalError("bad date") }
        // Vans: capacity, shift, refrigeration and trips per day.
        var vans: [Int64: (grams: Int64, shiftStart: Int64, shiftEnd: Int64, cold: Bool, maxTrips: Int64)] = [:]
        for try await (id, grams, start, end, cold, trips) in try await database.query("""
            SELECT v.id, v.capacity_grams, extract(epoch FROM v.shift_start)::bigint, extract(epoch FROM v.shift_end)::bigint, v.refrigerated,
                   v.max_trips::bigint
            FROM vehicles v
            """).decode((Int64, Int64, Int64, Int64, Bool, Int64).self) { vans[id] = (grams, start, end, cold, trips) }
        var hours: [Int64: (OpeningHours, Int64)] = [:]
        for try await (id, text, free) in try await database.query("""
            SELECT p.id, p.opening_hours::text,
                   (p.slot_capacity - (SELECT count(*) FROM pickups k WHERE k.pickup_point_id = p.id AND k.status = 'waiting'))::bigint
            FROM pickup_points p
            """).decode((Int64, String, Int64).self) {
            hours[id] = (try JSONDecoder().decode(OpeningHours.self, from: Data(text.utf8)), free)
        }
        var loadingSeconds: Int64 = 0
        for try await minutes in try await database.query("""
            SELECT d.loading_minutes::bigint FROM route_plans p JOIN depots d ON d.id = p.depot_id WHERE p.id = \(planId)
            """).decode(Int64.self) { loadingSeconds = minutes * 60 }
        var routeCount = 0
        for try await (routeId, vehicleId, start, end) in try await database.query("""
            SELECT id, vehicle_id, extract(epoch FROM start_at - \(date)::date::timestamptz)::bigint,
                   extract(epoch FROM end_at - \(date)::date::timestamptz)::bigint
            FROM routes WHERE plan_id = \(planId) ORDER BY seq
            """).decode((Int64, Int64, Int64, Int64).self)
        {
            routeCount += 1
            let van = try #require(vans[vehicleId])
            #expect(van.shiftStart <= start && end <= van.shiftEnd, "route \(routeId) outside its shift")
            var trips: [(seq: Int64, start: Int64, end: Int64)] = []
            for try await row in try await database.query("""
                SELECT seq::bigint, extract(epoch FROM start_at - \(date)::date::timestamptz)::bigint,
                       extract(epoch FROM end_at - \(date)::date::timestamptz)::bigint
                FROM route_trips WHERE route_id = \(routeId) ORDER BY seq
                """).decode((Int64, Int64, Int64).self) { trips.append(row) }
            #expect(!trips.isEmpty && trips.count <= van.maxTrips, "route \(routeId): \(trips.count) trips, van allows \(van.maxTrips)")
            #expect(trips.first?.start == start && trips.last?.end == end, "route \(routeId): trips do not span the route")
            for (a, b) in zip(trips, trips.dropFirst()) {
                #expect(a.end <= b.start, "route \(routeId): trip \(b.seq) leaves before trip \(a.seq) is back")
            }
            for trip in trips {
                var stops: [(point: Int64?, eta: Int64, delivery: Int64, pickup: Int64, ready: Int64)] = []
                for try await row in try await database.query("""
                    SELECT rs.pickup_point_id, extract(epoch FROM rs.eta - \(date)::date::timestamptz)::bigint, rs.delivery_grams,
                           rs.pickup_grams,
                           coalesce((SELECT max(extract(epoch FROM s.depot_arrival_at - \(date)::date::timestamptz))
                                     FROM route_stop_shipments x JOIN shipments s ON s.id = x.shipment_id WHERE x.route_stop_id = rs.id),
                                    -1)::bigint
                    FROM route_stops rs WHERE rs.route_id = \(routeId) AND rs.trip = \(trip.seq) ORDER BY rs.seq
                    """).decode((Int64?, Int64, Int64, Int64, Int64).self) { stops.append(row) }
                #expect(!stops.isEmpty, "route \(routeId) trip \(trip.seq) has no stops")
                if let first = stops.first {
                    #expect(first.eta >= trip.start + loadingSeconds,
                            "route \(routeId) trip \(trip.seq): first stop at \(first.eta) s, loading from \(trip.start) s takes \(loadingSeconds) s")
                }
                var load = stops.reduce(0) { $0 + $1.delivery }
                #expect(load <= van.grams, "route \(routeId) trip \(trip.seq) leaves over capacity")
                for stop in stops {
                    load += stop.pickup - stop.delivery
                    #expect(load <= van.grams, "route \(routeId) over capacity after a stop")
                    #expect(stop.ready <= trip.start, "route \(routeId) trip \(trip.seq) leaves before its parcels reach the depot")
                    if let point = stop.point {
                        let windows = try #require(hours[point]).0.windows(weekday: weekday)
                        #expect(windows.contains { $0.start <= stop.eta && stop.eta <= $0.end }, "stop at point \(point) outside its opening hours")
                    } else {
                        #expect(8 * 3600 <= stop.eta && stop.eta <= 20 * 3600, "home stop outside delivery hours")
                    }
                    #expect(trip.start <= stop.eta && stop.eta <= trip.end)
                }
            }
            var stopsOutsideTrips = 0
            for try await n in try await database.query("""
                SELECT count(*)::bigint FROM route_stops rs
                WHERE rs.route_id = \(routeId) AND NOT EXISTS (SELECT 1 FROM route_trips t WHERE t.route_id = rs.route_id AND t.seq = rs.trip)
                """).decode(Int64.self) { stopsOutsideTrips = Int(n) }
            #expect(stopsOutsideTrips == 0, "route \(routeId) has stops outside its trips")
            var coldOnWarmVan = 0
            for try await n in try await database.query("""
                SELECT count(*)::bigint FROM route_stops rs JOIN route_stop_shipments x ON x.route_stop_id = rs.id
                JOIN shipments s ON s.id = x.shipment_id WHERE rs.route_id = \(routeId) AND s.cold_chain
                """).decode(Int64.self) { coldOnWarmVan = van.cold ? 0 : Int(n) }
            #expect(coldOnWarmVan == 0, "cold-chain parcels on a van without refrigeration")
        }
        #expect(routeCount > 0)
        // Slots: never more shipments to a point than it has free slots.
        for try await (point, delivered) in try await database.query("""
            SELECT rs.pickup_point_id, count(*)::bigint FROM route_stops rs JOIN routes r ON r.id = rs.route_id
            JOIN route_stop_shipments x ON x.route_stop_id = rs.id
            WHERE r.plan_id = \(planId) AND rs.pickup_point_id IS NOT NULL GROUP BY rs.pickup_point_id
            """).decode((Int64, Int64).self)
        {
            #expect(delivered <= (hours[point]?.1 ?? 0), "point \(point) gets more parcels than free slots")
        }
    }
}
