import RuralPostCore
import Testing
@testable import OrderSplitting

@Suite("Zones: first zone whose maxKm covers the great-circle distance")
struct ZoneRuleTests {
    let skus = [SplitSKU(id: "RICE", grams: 5000)]

    @Test func nearWarehouseIsZoneZero() throws {
        let engine = try SplitEngine(tariff: Fixture.tariff, skus: skus)
        let plan = try engine.splitOne(
            Fixture.order([("RICE", 1)]), warehouses: [Fixture.warehouse("A", km: 30, ["RICE": 5])], policy: Fixture.policy())
        // 5000 g -> 5 kg in zone 0: 100 + 800 + 4 * 200.
        #expect(plan.shipments[0].parcels[0].zone == 0)
        #expect(plan.costFen == 1700)
    }

    @Test func secondBand() throws {
        let engine = try SplitEngine(tariff: Fixture.tariff, skus: skus)
        let plan = try engine.splitOne(
            Fixture.order([("RICE", 1)]), warehouses: [Fixture.warehouse("B", km: 70, ["RICE": 5])], policy: Fixture.policy())
        // zone 1: 100 + 1200 + 4 * 300.
        #expect(plan.shipments[0].parcels[0].zone == 1)
        #expect(plan.costFen == 2500)
    }

    @Test func nearerZoneWinsOverFartherStock() throws {
        let engine = try SplitEngine(tariff: Fixture.tariff, skus: skus)
        let plan = try engine.splitOne(
            Fixture.order([("RICE", 2)]),
            warehouses: [Fixture.warehouse("FAR", km: 80, ["RICE": 9]), Fixture.warehouse("NEAR", km: 10, ["RICE": 9])],
            policy: Fixture.policy())
        #expect(plan.shipments.map(\.warehouse) == ["NEAR"])
        // 10 kg in zone 0: 100 + 800 + 9 * 200.
        #expect(plan.costFen == 2700)
    }

    @Test func beyondLastZoneCannotShip() throws {
        let engine = try SplitEngine(tariff: Fixture.tariff, skus: skus)
        let plan = try engine.splitOne(
            Fixture.order([("RICE", 1)]), warehouses: [Fixture.warehouse("X", km: 150, ["RICE": 5])],
            policy: Fixture.policy(backorder: 9_999))
        #expect(plan.shipments.isEmpty)
        #expect(plan.unfilled == ["RICE": 1])
        #expect(plan.costFen == 9_999)
    }

    @Test func boundaryDistanceBelongsToTheLowerZone() {
        // maxKm >= distance: exactly 50 km is still zone 0.
        #expect(Fixture.tariff.zoneIndex(forDistanceKm: 50) == 0)
        #expect(Fixture.tariff.zoneIndex(forDistanceKm: 50.000001) == 1)
        #expect(Fixture.tariff.zoneIndex(forDistanceKm: 100.01) == nil)
    }
}
