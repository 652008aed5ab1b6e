import Foundation
import HTTPTypes
import Logistics
import Persistence
import RuralPostCore
import Testing

/// A service centre's key sees and changes only its own points.
@Suite struct PickupScopeTests {
    @Test func anotherCentresKeyGets403Or404OnEveryPickupEndpoint() async throws {
        try await TestApp.run(config: PickupConfig.fast()) { (app: TestApp) async throws in
            let world = try await PickupWorld.make(app)
            let arrived = try await world.arrive([PickupWorld.foreign("SF1", phone: "13800001234")])
            #expect(arrived.status == 201)
            let pickup = arrived.items.first?.int("id") ?? -1
            #expect(try await app.send(.post, "/v1/pickup-points/\(world.pointA)/collections", key: world.keyA, json: [
                "merchant": "M-X", "grams": 1, "cm3": 1, "destination": "x", "readyDate": "2030-01-01"]).status == 422)
            let notification = try await app.send(.get, "/v1/notifications", key: world.keyA).items.first?.int("id") ?? -1
            #expect(notification > 0)
            let a = world.pointA, b = world.pointB
            let attempts: [(HTTPRequest.Method, String, [String: Any]?)] = [
                (.post, "/v1/pickup-points/\(a)/arrivals", ["parcels": [PickupWorld.foreign("SF2")]]),
                (.post, "/v1/pickup-points/\(a)/collect", ["code": "123456", "phoneLast4": "1234"]),
                (.get, "/v1/pickup-points/\(a)/pickups", nil),
                (.get, "/v1/pickup-points/\(a)/pickups?phoneLast4=1234", nil),
                (.get, "/v1/pickup-points/\(a)/counter", nil),
                (.post, "/v1/pickup-points/\(a)/pickups/\(pickup)/extend", nil),
                (.post, "/v1/pickup-points/\(a)/pickups/\(pickup)/unlock", ["reason": "x"]),
                (.post, "/v1/pickup-points/\(b)/pickups/\(pickup)/extend", nil),
                (.post, "/v1/pickup-points/\(b)/pickups/\(pickup)/unlock", ["reason": "x"]),
                (.post, "/v1/pickup-points/\(a)/collections",
                 ["merchant": "M-X", "grams": 1, "cm3": 1, "destination": "x", "readyDate": "2030-01-01"]),
                (.get, "/v1/pickup-points/\(a)/collections", nil),
                (.post, "/v1/pickup-points/\(a)/collections/1/cancel", nil),
                (.post, "/v1/notifications/\(notification)/retry", nil),
            ]
            let planner = try await app.key(.planner)
            let operatorKey = try await app.key(.operator)
            for (method, path, body) in attempts {
                let reply = try await app.send(method, path, key: world.keyB, json: body)
                #expect([403, 404].contains(reply.status), "\(method) \(path) with another centre's key: \(reply.status) \(reply.text)")
                // Roles that do not operate pickup points are refused on writes.
                if method == .post {
                    for key in [planner, operatorKey] {
                        let other = try await app.send(method, path, key: key, json: body)
                        #expect([403, 404].contains(other.status), "\(method) \(path) with another role: \(other.status)")
                    }
                }
            }
            #expect(try await app.send(.get, "/v1/notifications", key: world.keyB).items.isEmpty)
            // Nothing changed at point A.
            #expect(try await app.count("pickups") == 1)
            #expect(try await app.count("pickup_failures") == 0)
            #expect(try await app.count("collection_requests") == 0)
            let rows = try await app.database.query("SELECT status, failed_attempts::bigint, extended, locked FROM pickups")
            for try await (status, failed, extended, locked) in rows.decode((String, Int64, Bool, Bool).self) {
                #expect(status == "waiting" && failed == 0 && !extended && !locked)
            }
            // A's parcel named in an arrival at B is unknown there (nothing revealed, nothing moved).
            let stolen = try await world.arrive([["trackingNo": "SF1"]], at: b, key: world.keyB)
            #expect(stolen.status == 422)
            #expect(try await app.count("pickups") == 1)
            // The owner still works.
            #expect(try await app.send(.get, "/v1/pickup-points/\(a)/counter", key: world.keyA).status == 200)
        }
    }
}
