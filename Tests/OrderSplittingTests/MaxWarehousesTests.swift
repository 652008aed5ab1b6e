import RuralPostCore
import Testing
@testable import OrderSplitting

@Suite("maxWarehouses: at most that many warehouses per order")
struct MaxWarehousesTests {
    let skus = [SplitSKU(id: "RICE", grams: 5000), SplitSKU(id: "OIL", grams: 2000)]
    // RICE only at A, OIL only at B.
    let warehouses = [
        Fixture.warehouse("A", km: 5, ["RICE": 5]),
        Fixture.warehouse("B", km: 10, ["OIL": 5]),
    ]

    @Test func twoWarehousesWhenAllowed() throws {
        let engine = try SplitEngine(tariff: Fixture.tariff, skus: skus)
        let plan = try engine.splitOne(
            Fixture.order([("RICE", 1), ("OIL", 1)]), warehouses: warehouses, policy: Fixture.policy(max: 2))
        // A: 5 kg = 1700; B: 2 kg = 100 + 800 + 200 = 1100.
        #expect(Set(plan.shipments.map(\.warehouse)) == ["A", "B"])
        #expect(plan.costFen == 2800)
        #expect(plan.explain.count >= 3)
    }

    @Test func oneWarehouseBackordersTheCheaperLoss() throws {
        let engine = try SplitEngine(tariff: Fixture.tariff, skus: skus)
        let plan = try engine.splitOne(
            Fixture.order([("RICE", 1), ("OIL", 3)]), warehouses: warehouses, policy: Fixture.policy(max: 1, backorder: 2000))
        // Only A: 1700 + 3 * 2000 = 7700. Only B: 6 kg = 1900 + 1 * 2000 = 3900.
        #expect(plan.shipments.map(\.warehouse) == ["B"])
        #expect(plan.unfilled == ["RICE": 1])
        #expect(plan.costFen == 3900)
    }

    @Test func oneWarehouseWithoutPartialFillIsNotFillable() throws {
        let engine = try SplitEngine(tariff: Fixture.tariff, skus: skus)
        let plan = try engine.splitOne(
            Fixture.order([("RICE", 1), ("OIL", 1)]), warehouses: warehouses,
            policy: Fixture.policy(max: 1, partial: false, backorder: 2000))
        #expect(!plan.fillable)
        #expect(plan.costFen == 4000)
    }

    @Test func consolidatesOnOneWarehouseRatherThanSplitting() throws {
        // C (zone 1) holds both: one 7 kg parcel 100 + 1200 + 6 * 300 = 3100 beats
        // A + B (2800)? No: 2800 < 3100, so split. With handling 1000 it flips.
        let all = warehouses + [Fixture.warehouse("C", km: 60, ["RICE": 5, "OIL": 5])]
        let engine = try SplitEngine(tariff: Fixture.tariff, skus: skus)
        let split = try engine.splitOne(Fixture.order([("RICE", 1), ("OIL", 1)]), warehouses: all, policy: Fixture.policy())
        #expect(split.costFen == 2800)
        var dear = Fixture.tariff
        dear.handlingFen = 1000
        let engine2 = try SplitEngine(tariff: dear, skus: skus)
        let one = try engine2.splitOne(Fixture.order([("RICE", 1), ("OIL", 1)]), warehouses: all, policy: Fixture.policy())
        // C: 1000 + 1200 + 6 * 300 = 4000; A + B: (1000 + 800 + 800) + (1000 + 800 + 200) = 4600.
        #expect(one.shipments.map(\.warehouse) == ["C"])
        #expect(one.costFen == 4000)
    }
}
