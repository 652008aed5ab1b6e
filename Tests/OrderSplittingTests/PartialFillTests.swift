import RuralPostCore
import Testing
@testable import OrderSplitting

@Suite("Partial fill: unfilled units cost backorderFen, or the order is not fillable")
struct PartialFillTests {
    let skus = [SplitSKU(id: "HONEY", grams: 500), SplitSKU(id: "EGGS", grams: 2000)]
    let warehouses = [Fixture.warehouse("A", km: 5, ["HONEY": 2, "EGGS": 5])]

    @Test func partialFillShipsWhatStockAllows() throws {
        let engine = try SplitEngine(tariff: Fixture.tariff, skus: skus)
        let plan = try engine.splitOne(
            Fixture.order([("HONEY", 5), ("EGGS", 1)]), warehouses: warehouses, policy: Fixture.policy(backorder: 3000))
        // Ships 2 honey + 1 eggs = 3 kg (100 + 800 + 2 * 200 = 1300); 3 honey backordered.
        #expect(plan.fillable)
        #expect(plan.unfilled == ["HONEY": 3])
        #expect(plan.costFen == 1300 + 3 * 3000)
    }

    @Test func noPartialFillMeansNotFillable() throws {
        let engine = try SplitEngine(tariff: Fixture.tariff, skus: skus)
        let plan = try engine.splitOne(
            Fixture.order([("HONEY", 5), ("EGGS", 1)]), warehouses: warehouses,
            policy: Fixture.policy(partial: false, backorder: 3000))
        #expect(!plan.fillable)
        #expect(plan.shipments.isEmpty)
        #expect(plan.unfilled == ["HONEY": 5, "EGGS": 1])
        #expect(plan.costFen == 6 * 3000)
        #expect(plan.exact)
    }

    @Test func noPartialFillStillShipsWhenComplete() throws {
        let engine = try SplitEngine(tariff: Fixture.tariff, skus: skus)
        let plan = try engine.splitOne(
            Fixture.order([("HONEY", 2), ("EGGS", 1)]), warehouses: warehouses,
            policy: Fixture.policy(partial: false, backorder: 3000))
        #expect(plan.fillable)
        #expect(plan.unfilled.isEmpty)
        #expect(plan.costFen == 1300)
    }

    @Test func noPartialFillShipsNothingWhenEveryFillCostsMore() throws {
        // Complete fill: eggs from the far warehouse, 1600 fen; backordering the whole
        // order costs 1 * 1000. Least cost: nothing shipped, fillable == false.
        let engine = try SplitEngine(tariff: Fixture.tariff, skus: skus)
        let plan = try engine.splitOne(
            Fixture.order([("EGGS", 1)]), warehouses: [Fixture.warehouse("FAR", km: 80, ["EGGS": 5])],
            policy: Fixture.policy(partial: false, backorder: 1000))
        #expect(!plan.fillable)
        #expect(plan.shipments.isEmpty)
        #expect(plan.costFen == 1000)
    }

    @Test func cheapBackorderIsPreferredToAnExpensiveParcel() throws {
        // Shipping the eggs alone from a far warehouse costs 100 + 1200 + 300 = 1600,
        // more than a 1000 fen backorder: least total cost leaves them unfilled.
        let engine = try SplitEngine(tariff: Fixture.tariff, skus: skus)
        let plan = try engine.splitOne(
            Fixture.order([("EGGS", 1)]), warehouses: [Fixture.warehouse("FAR", km: 80, ["EGGS": 5])],
            policy: Fixture.policy(backorder: 1000))
        #expect(plan.shipments.isEmpty)
        #expect(plan.costFen == 1000)
    }
}
