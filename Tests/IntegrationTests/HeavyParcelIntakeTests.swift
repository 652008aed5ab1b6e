import Foundation
import Hummingbird
import Logistics
import Testing

/// Heavy parcels through the API: a tariff's surcharge is stored, served and priced by
/// intake, which packs lighter parcels when the surcharge costs more than another parcel.
/// Expected prices are worked out by hand from the tariff.
@Suite struct HeavyParcelIntakeTests {
    static func heavyTariff(surcharge: Int) -> [String: Any] {
        ["code": "HEAVY", "name": "Heavy parcels priced separately", "handlingFen": 100, "parcelMaxGrams": 20_000,
         "heavyThresholdGrams": 10_000, "heavySurchargeFen": surcharge, "isDefault": true,
         "zones": [["maxKm": 50, "firstKgFen": 600, "additionalKgFen": 150], ["maxKm": 500, "firstKgFen": 1000, "additionalKgFen": 400]]]
    }

    @Test func aDearSurchargeShipsTwoLightParcels() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            _ = try await OrderFixture.setUp(app, stock: [("WH-A", "APPLE", 5)])
            let tariff = try await app.send(.post, "/v1/tariffs", key: app.admin, json: Self.heavyTariff(surcharge: 5000))
            #expect(tariff.status == 201, "\(tariff.text)")
            #expect(tariff.json["heavySurchargeFen"] as? Int == 5000)
            // 5 x 2.5 kg from WH-A (zone 1): one 12.5 kg parcel is heavy, 700 + 12 x 150 + 5000 = 7500;
            // 10 + 2.5 kg is 700 + 9 x 150 = 2050 plus 700 + 2 x 150 = 1000, 3050.
            let order = try await app.send(.post, "/v1/orders", key: app.admin, json: OrderFixture.order([("APPLE", 5)]),
                                           headers: [.init("Idempotency-Key")!: "heavy"])
            #expect(order.status == 201, "\(order.text)")
            let shipment = (order.json["shipments"] as? [[String: Any]])?.first ?? [:]
            let parcels = shipment["parcels"] as? [[String: Any]] ?? []
            #expect(shipment["costFen"] as? Int == 3050, "\(shipment)")
            #expect(parcels.compactMap { $0["grams"] as? Int }.sorted() == [2500, 10_000])
            #expect(parcels.compactMap { $0["costFen"] as? Int }.sorted() == [1000, 2050])
        }
    }

    @Test func aCheapSurchargeIsPaidOnOneHeavyParcel() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            _ = try await OrderFixture.setUp(app, stock: [("WH-A", "APPLE", 5)])
            #expect(try await app.send(.post, "/v1/tariffs", key: app.admin, json: Self.heavyTariff(surcharge: 300)).status == 201)
            // One heavy 12.5 kg parcel: 2500 + 300 = 2800 < 3050; a quote (before the stock is taken) says the same.
            let quote = try await app.send(.post, "/v1/quotes", key: app.admin, json: OrderFixture.order([("APPLE", 5)]))
            #expect(quote.json["costFen"] as? Int == 2800, "\(quote.text)")
            let order = try await app.send(.post, "/v1/orders", key: app.admin, json: OrderFixture.order([("APPLE", 5)]),
                                           headers: [.init("Idempotency-Key")!: "cheap"])
            let parcels = (order.json["shipments"] as? [[String: Any]])?.first?["parcels"] as? [[String: Any]] ?? []
            #expect(parcels.compactMap { $0["costFen"] as? Int } == [2800], "\(order.text)")
        }
    }

    @Test func aSurchargeNeedsAThreshold() async throws {
        try await TestApp.run { (app: TestApp) async throws in
            var body = Self.heavyTariff(surcharge: 500)
            body["heavyThresholdGrams"] = nil
            let refused = try await app.send(.post, "/v1/tariffs", key: app.admin, json: body)
            #expect(refused.status == 422)
            #expect(refused.errorField == "heavySurchargeFen")
            body["heavySurchargeFen"] = -1
            body["heavyThresholdGrams"] = 10_000
            let negative = try await app.send(.post, "/v1/tariffs", key: app.admin, json: body)
            #expect(negative.status == 422 && negative.errorField == "heavySurchargeFen", "\(negative.text)")
            #expect(try await app.count("tariffs") == 0)
        }
    }
}
