import Foundation
import Logistics
import Persistence
import Planning
import PostgresNIO
import RuralPostCore
import Testing

/// A county day planned on the county's road network (written by DemoRoads, loaded by
/// the importer): the plan says it used the roads, every leg is priced and drawn on them,
/// a stop far from every road is reported, and the great-circle fallback still works.
@Suite struct RoadPlanningTests {
    @Test func countyDayOnRoads() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            let (depot, date) = try await RoutePlanningTests.countyDay(app, orders: 400, seed: 3)
            let county = DemoCounty.generate(seed: 3, orders: 400)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("county-\(UUID().uuidString).osm")
            defer { try? FileManager.default.removeItem(at: file) }
            try DemoRoads.osmXML(for: county, seed: 3).write(to: file, atomically: true, encoding: .utf8)
            let imported = try await RoadImporter(database: app.database).importFile(file.path)
            #expect(imported.network.components == 1)

            // The busiest village station moved 20 km off the map: far from every road.
            let stations = Set(county.pickupPoints.filter { $0.kind == "village_station" }.map(\.place.code))
            let moved = Dictionary(grouping: county.orders.compactMap(\.pickupPoint).filter(stations.contains), by: { $0 })
                .max { ($0.value.count, $1.key) < ($1.value.count, $0.key) }!.key
            try await app.database.query("UPDATE pickup_points SET lat = lat + 0.2 WHERE code = \(moved)")

            var settings = RoutePlanningTests.settings(iterations: 300)
            settings.timeLimitSeconds = 30
            let planner = RoutePlanner(plans: RoutePlanStore(database: app.database))
            let view = try await planner.plan(depotCode: depot, date: date, settings: settings)
            let travel = try #require(view.travel)
            #expect(travel.source == "roadNetwork" && travel.networkVersion == imported.network.version)
            #expect(view.unassigned.contains { $0.place.code == moved && $0.reason == .offRoad })
            #expect(!view.unassigned.contains { $0.reason == .unreachable })
            #expect(view.unassigned.filter { $0.reason == .offRoad }.allSatisfy { $0.place.code == moved })
            #expect(view.routes.count >= 2)
            try await FeasibilityCheck(database: app.database, planId: try #require(view.planId), date: date).run()

            for route in view.routes {
                // The legs add up to each trip and the trips to the route, and no leg is
                // shorter than the straight line. A van that reloads drives back to the
                // depot between trips: that leg is the trip's distance less its stops' legs
                // (the sheet's "back to reload" row), and only the last trip's return is
                // `returnDistanceM`.
                let legs = route.stops.compactMap(\.legDistanceM)
                #expect(legs.count == route.stops.count)
                let trips = try #require(route.trips)
                #expect(trips.reduce(0) { $0 + $1.distanceM } == route.distanceM, "route \(route.seq)")
                for trip in trips {
                    let stops = route.stops.filter { $0.trip == trip.seq }
                    #expect(stops.count == trip.stops, "route \(route.seq) trip \(trip.seq)")
                    let driven = stops.reduce(0) { $0 + ($1.legDistanceM ?? 0) }
                    let back = trip.distanceM - driven
                    if trip.seq == trips.count {
                        #expect(back == (try #require(route.returnDistanceM)), "route \(route.seq): the last return")
                    }
                    let last = try #require(stops.last)
                    let crowFly = Int64((GeoPoint(lat: last.place.lat, lon: last.place.lon)
                        .distanceKm(to: GeoPoint(lat: view.depot.lat, lon: view.depot.lon)) * 1000).rounded())
                    #expect(back + 1 >= crowFly, "route \(route.seq) trip \(trip.seq): back to the depot \(back) m, straight line \(crowFly) m")
                }
                for stop in route.stops {
                    #expect(try #require(stop.legDistanceM) + 1 >= (try #require(stop.legCrowFlyM)))
                }
                // Drawn along the roads: depot to depot through every stop, about as long as priced.
                let path = try #require(route.path)
                #expect(path.count > route.stops.count + 2)
                let points = Set(path.map { "\($0[0]),\($0[1])" })
                func key(_ lat: Double, _ lon: Double) -> String { "\((lon * 1e6).rounded() / 1e6),\((lat * 1e6).rounded() / 1e6)" }
                #expect(points.contains(key(view.depot.lat, view.depot.lon)))
                for stop in route.stops { #expect(points.contains(key(stop.place.lat, stop.place.lon)), "\(stop.place.code) not on the path") }
                var km = 0.0
                for (a, b) in zip(path, path.dropFirst()) {
                    km += GeoPoint(lat: a[1], lon: a[0]).distanceKm(to: GeoPoint(lat: b[1], lon: b[0]))
                }
                let drawn = km * 1000, priced = Double(route.distanceM)
                #expect(abs(drawn - priced) <= priced * 0.02 + 50, "route \(route.seq): drawn \(drawn) m, priced \(priced) m")
            }
            #expect(view.totals.distanceM > (view.totals.crowFlyM ?? 0))
            let geojson = PlanGeoJSON.render(view)
            #expect(geojson.contains("\"travel\":{\"networkSource\""))
            #expect(PlanMap.html(view).contains("fastest paths on road network v\(imported.network.version)"))

            // Forced great-circle: the old estimate, drawn stop to stop, and it says why.
            var straight = RoutePlanningTests.settings(iterations: 50)
            straight.useRoadNetwork = false
            let estimate = try await planner.plan(depotCode: depot, date: date, settings: straight)
            #expect(estimate.travel?.source == "greatCircle")
            #expect(estimate.travel?.reason?.contains("--great-circle") == true)
            #expect(estimate.routes.allSatisfy { $0.path == nil })
            #expect(!estimate.unassigned.contains { $0.reason == .offRoad })
        }
    }

    /// With the network active but the depot outside it, plans use great-circle travel and say so.
    @Test func depotOutsideTheNetworkFallsBackToGreatCircle() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            let (depot, date) = try await RoutePlanningTests.countyDay(app, orders: 120, seed: 5)
            _ = try await RoadImporter(database: app.database).importFile(RoadNetworkTests.helsinki)
            let view = try await RoutePlanner(plans: RoutePlanStore(database: app.database))
                .plan(depotCode: depot, date: date, settings: RoutePlanningTests.settings(iterations: 50))
            #expect(view.travel?.source == "greatCircle")
            #expect(view.travel?.reason?.contains("outside road network") == true)
            #expect(view.routes.allSatisfy { $0.path == nil })
        }
    }
}
