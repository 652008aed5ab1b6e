import RuralPostCore
import Testing
@testable import OrderSplitting

@Suite("Bad input: SplitInputError names the field")
struct ValidationTests {
    let engine = try! SplitEngine(tariff: Fixture.tariff, skus: [SplitSKU(id: "RICE", grams: 5000)])
    let warehouses = [Fixture.warehouse("A", km: 5, ["RICE": 5])]

    func field(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let e as SplitInputError {
            return e.field
        } catch {
            return "other"
        }
    }

    @Test func unknownSku() {
        #expect(field { _ = try engine.splitOne(Fixture.order([("RICE", 1), ("CORN", 1)]), warehouses: warehouses, policy: Fixture.policy()) }
            == "order.lines[1].sku")
    }

    @Test func nonPositiveQuantity() {
        #expect(field { _ = try engine.splitOne(Fixture.order([("RICE", 0)]), warehouses: warehouses, policy: Fixture.policy()) }
            == "order.lines[0].qty")
        #expect(field { _ = try engine.sequential([Fixture.order([("RICE", 1)]), Fixture.order([("RICE", -2)], id: "O2")], warehouses: warehouses, policy: Fixture.policy()) }
            == "orders[1].lines[0].qty")
    }

    @Test func invalidCoordinates() {
        var o = Fixture.order([("RICE", 1)])
        o.destination = GeoPoint(lat: 95, lon: 0)
        #expect(field { _ = try engine.splitOne(o, warehouses: warehouses, policy: Fixture.policy()) } == "order.lat")
        let bad = [SplitWarehouse(id: "X", location: GeoPoint(lat: 0, lon: .nan), stock: [:])]
        #expect(field { _ = try engine.splitOne(Fixture.order([("RICE", 1)]), warehouses: bad, policy: Fixture.policy()) } == "warehouses[0].lon")
    }

    @Test func policyAndStock() {
        #expect(field { _ = try engine.splitOne(Fixture.order([("RICE", 1)]), warehouses: warehouses, policy: Fixture.policy(max: 0)) }
            == "policy.maxWarehouses")
        let negative = [Fixture.warehouse("A", km: 5, ["RICE": -1])]
        #expect(field { _ = try engine.splitOne(Fixture.order([("RICE", 1)]), warehouses: negative, policy: Fixture.policy()) }
            == "warehouses[0].stock.RICE")
        #expect(field { _ = try engine.splitOne(Fixture.order([]), warehouses: warehouses, policy: Fixture.policy()) } == "order.lines")
    }

    @Test func catalogueAndTariff() {
        #expect(field { _ = try SplitEngine(tariff: Fixture.tariff, skus: [SplitSKU(id: "A", grams: 0)]) } == "skus[0].grams")
        #expect(field { _ = try SplitEngine(tariff: Fixture.tariff, skus: [SplitSKU(id: "A", grams: 1), SplitSKU(id: "A", grams: 2)]) } == "skus[1].id")
        let noZones = Tariff(handlingFen: 0, parcelMaxGrams: 1000, zones: [])
        #expect(field { _ = try SplitEngine(tariff: noZones, skus: []) } == "tariff.zones")
    }
}
