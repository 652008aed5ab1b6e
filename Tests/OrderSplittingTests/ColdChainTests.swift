import RuralPostCore
import Testing
@testable import OrderSplitting

@Suite("Cold chain: cold SKUs ship only from cold-chain warehouses")
struct ColdChainTests {
    let skus = [SplitSKU(id: "PORK", grams: 1000, coldChain: true), SplitSKU(id: "RICE", grams: 5000)]

    @Test func coldSkuSkipsTheNearerAmbientWarehouse() throws {
        let engine = try SplitEngine(tariff: Fixture.tariff, skus: skus)
        let plan = try engine.splitOne(
            Fixture.order([("PORK", 2)]),
            warehouses: [
                Fixture.warehouse("AMBIENT", km: 5, ["PORK": 10]),
                Fixture.warehouse("COLD", km: 80, cold: true, ["PORK": 10]),
            ],
            policy: Fixture.policy())
        #expect(plan.shipments.map(\.warehouse) == ["COLD"])
        // 2 kg in zone 1: 100 + 1200 + 300.
        #expect(plan.costFen == 1600)
    }

    @Test func noColdSourceMeansUnfilled() throws {
        let engine = try SplitEngine(tariff: Fixture.tariff, skus: skus)
        let plan = try engine.splitOne(
            Fixture.order([("PORK", 1), ("RICE", 1)]),
            warehouses: [Fixture.warehouse("AMBIENT", km: 5, ["PORK": 10, "RICE": 10])],
            policy: Fixture.policy(backorder: 5000))
        #expect(plan.unfilled == ["PORK": 1])
        // Rice 5 kg zone 0 (1700) + one backordered unit (5000).
        #expect(plan.costFen == 6700)
        #expect(plan.shipments[0].parcels[0].items == ["RICE": 1])
    }

    @Test func ambientSkuMayShipFromColdWarehouse() throws {
        let engine = try SplitEngine(tariff: Fixture.tariff, skus: skus)
        let plan = try engine.splitOne(
            Fixture.order([("PORK", 1), ("RICE", 1)]),
            warehouses: [
                Fixture.warehouse("AMBIENT", km: 5, ["RICE": 10]),
                Fixture.warehouse("COLD", km: 10, cold: true, ["PORK": 10, "RICE": 10]),
            ],
            policy: Fixture.policy())
        // One parcel of 6 kg from COLD (100 + 800 + 5 * 200 = 1900) beats two parcels.
        #expect(plan.shipments.map(\.warehouse) == ["COLD"])
        #expect(plan.costFen == 1900)
    }
}
