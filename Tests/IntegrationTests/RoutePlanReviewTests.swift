import API
import Foundation
import Planning
import Logistics
import Persistence
import Testing

/// The two reads plan review needs: a depot's plans, and a stored plan's HTML map.
@Suite struct RoutePlanReviewTests {
    @Test func listsADepotsPlansNewestFirstAndServesTheirMaps() async throws {
        var config = AppConfig(host: "127.0.0.1", port: 0)
        config.workers.planningEnabled = false  // jobs stay queued: the test decides what runs
        try await TestApp.run(config: config) { (app: TestApp) async throws in
            let (depot, date) = try await RoutePlanningTests.countyDay(app, orders: 60)
            let planner = try await app.key(.planner)
            let view = try await RoutePlanner(plans: RoutePlanStore(database: app.database)).plan(depotCode: depot, date: date,
                                                                           settings: RoutePlanningTests.settings(iterations: 100))
            let drafted = try #require(view.planId)
            let queued = try await app.send(.post, "/v1/route-plans", key: planner, json: ["depot": depot, "date": date])
            #expect(queued.status == 202)

            let list = try await app.send(.get, "/v1/route-plans?depot=\(depot)", key: planner)
            #expect(list.status == 200)
            let items = list.json["items"] as? [[String: Any]] ?? []
            #expect(items.compactMap { ($0["id"] as? NSNumber)?.int64Value } == [queued.id, drafted])
            #expect(items.map { $0["status"] as? String } == ["queued", "draft"])
            let totals = items.last?["totals"] as? [String: Any] ?? [:]
            #expect((totals["routes"] as? NSNumber)?.intValue == view.totals.routes)
            #expect((totals["costFen"] as? NSNumber)?.int64Value == view.totals.costFen)
            #expect(items.first?["totals"] == nil)

            // Pages of one, toward older plans.
            let first = try await app.send(.get, "/v1/route-plans?depot=\(depot)&limit=1", key: planner)
            let cursor = try #require(first.json["nextCursor"] as? String)
            let second = try await app.send(.get, "/v1/route-plans?depot=\(depot)&limit=1&cursor=\(cursor)", key: planner)
            #expect(((second.json["items"] as? [[String: Any]])?.first?["id"] as? NSNumber)?.int64Value == drafted)
            #expect(second.json["nextCursor"] == nil)
            // By date.
            let other = try await app.send(.get, "/v1/route-plans?depot=\(depot)&date=2001-01-01", key: planner)
            #expect((other.json["items"] as? [Any])?.isEmpty == true)
            let same = try await app.send(.get, "/v1/route-plans?depot=\(depot)&date=\(date)", key: planner)
            #expect((same.json["items"] as? [Any])?.count == 2)

            // The map of the draft is the page `plan --map` writes.
            let map = try await app.send(.get, "/v1/route-plans/\(drafted)/map", key: planner)
            #expect(map.status == 200)
            #expect(map.headers[.contentType] == "text/html; charset=utf-8")
            #expect(map.text == PlanMap.html(try #require(try await RoutePlanStore(database: app.database).status(id: drafted).plan)))
            #expect(map.text.contains("<svg"))
            // A job without routes yet is a conflict on its status.
            let pending = try await app.send(.get, "/v1/route-plans/\(queued.id)/map", key: planner)
            #expect(pending.status == 409)
            #expect(pending.errorField == "status")
        }
    }

    @Test func roleScopeAndBadQueries() async throws {
        var config = AppConfig(host: "127.0.0.1", port: 0)
        config.workers.planningEnabled = false
        try await TestApp.run(config: config) { (app: TestApp) async throws in
            let (depot, date) = try await RoutePlanningTests.countyDay(app, orders: 30)
            let view = try await RoutePlanner(plans: RoutePlanStore(database: app.database)).plan(depotCode: depot, date: date,
                                                                           settings: RoutePlanningTests.settings(iterations: 50))
            let id = try #require(view.planId)
            _ = try await app.send(.post, "/v1/depots", key: app.admin, json: ["code": "D-OTHER", "name": "Other", "lat": 30.0, "lon": 118.0])
            let planner = try await app.key(.planner)
            let elsewhere = try await app.key(.planner, [(.depot, "D-OTHER")])
            let centre = try await app.key(.serviceCentre)

            #expect(try await app.send(.get, "/v1/route-plans?depot=\(depot)", key: centre).status == 403)
            // The role is checked before the query: the screens tell planners from others by it.
            #expect(try await app.send(.get, "/v1/route-plans", key: centre).status == 403)
            #expect(try await app.send(.get, "/v1/route-plans/\(id)/map", key: centre).status == 403)
            #expect(try await app.send(.get, "/v1/route-plans?depot=\(depot)").status == 401)
            // Another depot's planner learns nothing about this depot's plans.
            let hidden = try await app.send(.get, "/v1/route-plans?depot=\(depot)", key: elsewhere)
            #expect(hidden.status == 422)
            #expect(hidden.errorField == "depot")
            #expect(try await app.send(.get, "/v1/route-plans/\(id)/map", key: elsewhere).status == 404)
            #expect(try await app.send(.get, "/v1/route-plans/999999/map", key: planner).status == 404)

            for (query, field) in [("", "depot"), ("depot=NOPE", "depot"), ("depot=\(depot)&date=2026-13-40", "date"),
                                   ("depot=\(depot)&limit=0", "limit"), ("depot=\(depot)&cursor=zzz", "cursor")]
            {
                let reply = try await app.send(.get, "/v1/route-plans?\(query)", key: planner)
                #expect(reply.status == 422, "\(query)")
                #expect(reply.errorField == field, "\(query)")
            }
        }
    }
}
