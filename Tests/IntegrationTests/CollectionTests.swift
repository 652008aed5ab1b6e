import Foundation
import Logistics
import Persistence
import RuralPostCore
import Testing

/// Produce collection (揽收): requests and their collection shipments.
@Suite struct CollectionTests {
    @Test func registeredProduceBecomesACollectionShipmentDueOnItsReadyDate() async throws {
        try await TestApp.run(config: PickupConfig.fast()) { (app: TestApp) async throws in
            let world = try await PickupWorld.make(app)
            #expect(try await app.send(.post, "/v1/merchants", key: app.admin, json: Samples.merchant("M-FARM")).status == 201)
            let body: [String: Any] = ["merchant": "M-FARM", "grams": 25_000, "cm3": 60_000, "destination": "WH-1 county warehouse",
                                       "readyDate": "2031-06-01"]
            let created = try await app.send(.post, "/v1/pickup-points/\(world.pointA)/collections", key: world.keyA, json: body)
            #expect(created.status == 201, "\(created.text)")
            #expect(created.json["status"] as? String == "open")
            #expect(created.json["readyDate"] as? String == "2031-06-01")
            #expect((created.json["trackingNo"] as? String)?.hasPrefix("RC") == true)
            let shipmentId = created.json.int("shipmentId") ?? -1
            let rows = try await app.database.query("""
                SELECT kind, status, to_char(due_date, 'YYYY-MM-DD'), pickup_point_id, depot_id, grams, cm3 FROM shipments WHERE id = \(shipmentId)
                """)
            var seen = false
            for try await (kind, status, due, point, depot, grams, cm3) in rows.decode((String, String, String, Int64, Int64?, Int64, Int64).self) {
                seen = true
                #expect(kind == "collection" && status == "allocated" && due == "2031-06-01")
                #expect(point == world.pointA && depot == world.depot && grams == 25_000 && cm3 == 60_000)
            }
            #expect(seen)

            let list = try await app.send(.get, "/v1/pickup-points/\(world.pointA)/collections?status=open", key: world.keyA)
            #expect(list.items.count == 1)
            let planner = try await app.key(.planner)
            #expect(try await app.send(.get, "/v1/pickup-points/\(world.pointA)/collections", key: planner).items.count == 1)
            #expect(try await app.send(.post, "/v1/pickup-points/\(world.pointA)/collections", key: planner, json: body).status == 403)
            #expect(try await app.send(.get, "/v1/pickup-points/\(world.pointA)/collections", key: world.keyB).status == 404)

            var bad = body
            bad["readyDate"] = "2031-02-30"
            #expect(try await app.send(.post, "/v1/pickup-points/\(world.pointA)/collections", key: world.keyA, json: bad).errorField == "readyDate")
            bad["readyDate"] = "2001-01-01"
            #expect(try await app.send(.post, "/v1/pickup-points/\(world.pointA)/collections", key: world.keyA, json: bad).errorField == "readyDate")
            bad = body
            bad["merchant"] = "NOPE"
            #expect(try await app.send(.post, "/v1/pickup-points/\(world.pointA)/collections", key: world.keyA, json: bad).errorField == "merchant")
            bad = body
            bad["grams"] = 0
            #expect(try await app.send(.post, "/v1/pickup-points/\(world.pointA)/collections", key: world.keyA, json: bad).errorField == "grams")
            #expect(try await app.count("collection_requests") == 1)
        }
    }

    /// An open collection can be cancelled (its shipment too, with an event); cancelling
    /// again changes nothing, and a planned one can no longer be cancelled.
    @Test func openCollectionsCanBeCancelledPlannedOnesNot() async throws {
        try await TestApp.run(config: PickupConfig.fast()) { (app: TestApp) async throws in
            let world = try await PickupWorld.make(app)
            #expect(try await app.send(.post, "/v1/merchants", key: app.admin, json: Samples.merchant("M-FARM")).status == 201)
            let body: [String: Any] = ["merchant": "M-FARM", "grams": 8_000, "cm3": 20_000, "destination": "WH-1", "readyDate": "2031-06-01"]
            let path = "/v1/pickup-points/\(world.pointA)/collections"
            let first = try await app.send(.post, path, key: world.keyA, json: body)
            let second = try await app.send(.post, path, key: world.keyA, json: body)
            #expect(first.status == 201 && second.status == 201)

            #expect(try await app.send(.post, "\(path)/\(first.id)/cancel", key: world.keyB).status == 404)
            let cancelled = try await app.send(.post, "\(path)/\(first.id)/cancel", key: world.keyA, json: ["reason": "kept for the market"])
            #expect(cancelled.status == 200, "\(cancelled.text)")
            #expect(cancelled.json["status"] as? String == "cancelled")
            let shipmentId = first.json.int("shipmentId") ?? -1
            let rows = try await app.database.query("""
                SELECT s.status, e.note FROM shipments s JOIN shipment_events e ON e.shipment_id = s.id AND e.to_status = 'cancelled'
                WHERE s.id = \(shipmentId)
                """)
            var events = 0
            for try await (status, note) in rows.decode((String, String?).self) {
                events += 1
                #expect(status == "cancelled" && note == "kept for the market")
            }
            #expect(events == 1)
            let again = try await app.send(.post, "\(path)/\(first.id)/cancel", key: world.keyA)
            #expect(again.status == 200 && again.json["status"] as? String == "cancelled")
            #expect(try await app.send(.get, "\(path)?status=open", key: world.keyA).items.count == 1)

            try await app.database.query("UPDATE collection_requests SET status = 'planned' WHERE id = \(second.id)")
            let planned = try await app.send(.post, "\(path)/\(second.id)/cancel", key: world.keyA)
            #expect(planned.status == 409)
            #expect(try await app.send(.post, "\(path)/999999/cancel", key: world.keyA).status == 404)
        }
    }
}
