import Foundation
import Logistics
import Persistence
import RuralPostCore
import Testing

@Suite struct AuthAndScopeTests {
    @Test func missingOrUnknownKeyGets401JSON() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            let none = try await app.send(.get, "/v1/warehouses")
            #expect(none.status == 401)
            #expect(none.errorCode == "unauthorized")
            let bogus = try await app.send(.get, "/v1/warehouses", key: "rp_notakey")
            #expect(bogus.status == 401)
            #expect(bogus.errorCode == "unauthorized")
        }
    }

    @Test func revokedKeyIsRefused() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            let key = try await app.key(.planner)
            #expect(try await APIKeyStore(database: app.database).revoke(prefix: String(key.prefix(10))))
            // A fresh key lookup (not cached by this server yet) must fail.
            #expect(try await app.send(.get, "/v1/depots", key: key).status == 401)
        }
    }

    @Test func keysAreStoredHashed() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            let key = try await app.key(.operator)
            let rows = try await app.database.query("SELECT encode(key_hash, 'hex'), prefix FROM api_keys")
            for try await (hash, prefix) in rows.decode((String, String).self) {
                #expect(!hash.contains(key))
                #expect(prefix.count == 10)
                #expect(!key.isEmpty && !hash.isEmpty)
            }
        }
    }

    @Test func operatorScopedToOneWarehouseCannotTouchAnother() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            let a = try await app.send(.post, "/v1/warehouses", key: app.admin, json: Samples.warehouse("WH-A")).id
            let b = try await app.send(.post, "/v1/warehouses", key: app.admin, json: Samples.warehouse("WH-B")).id
            let merchant = try await app.send(.post, "/v1/merchants", key: app.admin, json: Samples.merchant("M1")).id
            #expect(try await app.send(.post, "/v1/skus", key: app.admin, json: Samples.sku("APPLE", merchantId: merchant)).status == 201)
            let op = try await app.key(.operator, [(.warehouse, "WH-A")])

            let receiveA = try await app.send(.post, "/v1/warehouses/\(a)/inventory/receive", key: op,
                                              json: ["sku": "APPLE", "qty": 10, "reason": "inbound"])
            #expect(receiveA.status == 200)
            let ledgerBefore = try await app.count("inventory_movements")

            let receiveB = try await app.send(.post, "/v1/warehouses/\(b)/inventory/receive", key: op,
                                              json: ["sku": "APPLE", "qty": 10, "reason": "inbound"])
            #expect([403, 404].contains(receiveB.status))
            let patchB = try await app.send(.patch, "/v1/warehouses/\(b)", key: op, json: ["dailyCapacity": 1])
            #expect([403, 404].contains(patchB.status))
            #expect(try await app.send(.get, "/v1/warehouses/\(b)", key: op).status == 404)
            #expect(try await app.send(.get, "/v1/warehouses/\(b)/inventory", key: op).status == 404)
            #expect(try await app.count("inventory_movements") == ledgerBefore)

            let list = try await app.send(.get, "/v1/warehouses", key: op)
            let codes = (list.json["items"] as? [[String: Any]])?.compactMap { $0["code"] as? String }
            #expect(codes == ["WH-A"])
        }
    }

    @Test func rolesAreEnforced() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            let centre = try await app.key(.serviceCentre)
            let created = try await app.send(.post, "/v1/warehouses", key: centre, json: Samples.warehouse("WH-X"))
            #expect(created.status == 403)
            #expect(created.errorCode == "forbidden")
            #expect(try await app.count("warehouses") == 0)
            let planner = try await app.key(.planner)
            let tariff = try await app.send(.post, "/v1/tariffs", key: planner, json: ["code": "T", "name": "T", "handlingFen": 100,
                "parcelMaxGrams": 20000, "zones": [["maxKm": 50, "firstKgFen": 600, "additionalKgFen": 200]]])
            #expect(tariff.status == 403)
        }
    }

    @Test func plannerScopedToDepotOnlyManagesItsVehicles() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            let d1 = try await app.send(.post, "/v1/depots", key: app.admin, json: ["code": "D1", "name": "Depot 1", "lat": 30, "lon": 110]).id
            let d2 = try await app.send(.post, "/v1/depots", key: app.admin, json: ["code": "D2", "name": "Depot 2", "lat": 30, "lon": 111]).id
            let planner = try await app.key(.planner, [(.depot, "D1")])
            func van(_ code: String, _ depot: Int64) -> [String: Any] {
                ["code": code, "depotId": depot, "kind": "van", "capacityGrams": 800_000, "capacityCm3": 4_000_000,
                 "shiftStart": "07:00", "shiftEnd": "18:00"]
            }
            #expect(try await app.send(.post, "/v1/vehicles", key: planner, json: van("V1", d1)).status == 201)
            let other = try await app.send(.post, "/v1/vehicles", key: planner, json: van("V2", d2))
            #expect(other.status == 403)
            #expect(try await app.count("vehicles") == 1)
        }
    }
}
