import Foundation
import Logistics
import Persistence
import RuralPostCore
import Testing

/// Every kind of bad input gets its status and JSON error, and writes nothing.
@Suite struct BadInputTests {
    @Test func malformedJSONIs400() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            let reply = try await app.send(.post, "/v1/warehouses", key: app.admin, body: "{\"code\": ")
            #expect(reply.status == 400)
            #expect(reply.errorCode == "bad_json")
            #expect(try await app.count("warehouses") == 0)
        }
    }

    @Test func validationIs422NamingTheField() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            var body = Samples.warehouse("WH-A")
            body["lat"] = 123.0
            let badLat = try await app.send(.post, "/v1/warehouses", key: app.admin, json: body)
            #expect(badLat.status == 422)
            #expect(badLat.errorField == "lat")

            body = Samples.warehouse("WH-A")
            body["kind"] = "huge"
            #expect(try await app.send(.post, "/v1/warehouses", key: app.admin, json: body).errorField == "kind")

            body = Samples.warehouse("WH-A")
            body.removeValue(forKey: "dailyCapacity")
            let missing = try await app.send(.post, "/v1/warehouses", key: app.admin, json: body)
            #expect(missing.status == 422)
            #expect(missing.errorField == "dailyCapacity")

            body = Samples.warehouse("WH-A")
            body["dailyCapacity"] = "lots"
            #expect(try await app.send(.post, "/v1/warehouses", key: app.admin, json: body).errorField == "dailyCapacity")

            body = Samples.warehouse("WH-A")
            body["colour"] = "red"
            let unknown = try await app.send(.post, "/v1/warehouses", key: app.admin, json: body)
            #expect(unknown.status == 422)
            #expect(unknown.errorField == "colour")

            let zones = try await app.send(.post, "/v1/tariffs", key: app.admin, json: ["code": "T", "name": "T", "handlingFen": 100,
                "parcelMaxGrams": 20000, "zones": [["maxKm": 50, "firstKgFen": -1, "additionalKgFen": 200]]])
            #expect(zones.status == 422)
            #expect(zones.errorField == "zones[0].firstKgFen")
            #expect(try await app.count("warehouses") == 0)
            #expect(try await app.count("tariffs") == 0)
        }
    }

    @Test func oversizedBodyIs413() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            var body = Samples.warehouse("WH-A")
            body["name"] = String(repeating: "x", count: 2 << 20)
            let reply = try await app.send(.post, "/v1/warehouses", key: app.admin, json: body)
            #expect(reply.status == 413)
            #expect(reply.errorCode == "body_too_large")
            #expect(try await app.count("warehouses") == 0)
        }
    }

    @Test func wrongContentTypeIs415() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            let reply = try await app.send(.post, "/v1/warehouses", key: app.admin, json: Samples.warehouse("WH-A"), contentType: "text/plain")
            #expect(reply.status == 415)
            #expect(reply.errorCode == "unsupported_media_type")
            #expect(try await app.count("warehouses") == 0)
        }
    }

    @Test func unknownIdIs404() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            #expect(try await app.send(.get, "/v1/warehouses/999", key: app.admin).status == 404)
            #expect(try await app.send(.get, "/v1/warehouses/abc", key: app.admin).errorCode == "not_found")
            #expect(try await app.send(.patch, "/v1/skus/5", key: app.admin, json: ["name": "x"]).status == 404)
        }
    }

    @Test func duplicateCodeIs409AndKeepsTheFirst() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            #expect(try await app.send(.post, "/v1/warehouses", key: app.admin, json: Samples.warehouse("WH-A")).status == 201)
            var second = Samples.warehouse("WH-A")
            second["name"] = "Impostor"
            let reply = try await app.send(.post, "/v1/warehouses", key: app.admin, json: second)
            #expect(reply.status == 409)
            #expect(reply.errorCode == "conflict")
            #expect(reply.errorField == "code")
            #expect(try await app.count("warehouses") == 1)
        }
    }

    @Test func foreignKeyToNothingIs422() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            let reply = try await app.send(.post, "/v1/skus", key: app.admin, json: Samples.sku("APPLE", merchantId: 42))
            #expect(reply.status == 422)
            #expect(reply.errorField == "merchantId")
            #expect(try await app.count("skus") == 0)
        }
    }
}
