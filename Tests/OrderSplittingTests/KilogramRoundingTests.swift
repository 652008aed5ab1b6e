import RuralPostCore
import Testing
@testable import OrderSplitting

@Suite("Chargeable kilograms: max(1, ceil(grams / 1000)) per parcel")
struct KilogramRoundingTests {
    @Test(arguments: [(Int64(1), Int64(1)), (999, 1), (1000, 1), (1001, 2), (19_999, 20), (20_000, 20)])
    func rounding(grams: Int64, kg: Int64) {
        #expect(chargeableKilograms(grams) == kg)
    }

    @Test func lightParcelPaysTheFirstKilogram() throws {
        let engine = try SplitEngine(tariff: Fixture.tariff, skus: [SplitSKU(id: "TEA", grams: 250)])
        let plan = try engine.splitOne(
            Fixture.order([("TEA", 3)]), warehouses: [Fixture.warehouse("A", km: 5, ["TEA": 10])], policy: Fixture.policy())
        // 750 g -> 1 kg: 100 + 800.
        #expect(plan.shipments[0].parcels == [ParcelPlan(items: ["TEA": 3], grams: 750, zone: 0, costFen: 900)])
    }

    @Test func oneGramOverAKilogramPaysAnother() throws {
        let engine = try SplitEngine(tariff: Fixture.tariff, skus: [SplitSKU(id: "A", grams: 1001)])
        let plan = try engine.splitOne(
            Fixture.order([("A", 1)]), warehouses: [Fixture.warehouse("W", km: 5, ["A": 1])], policy: Fixture.policy())
        // 1001 g -> 2 kg: 100 + 800 + 200.
        #expect(plan.costFen == 1100)
    }

    @Test func roundingIsPerParcelNotPerOrder() throws {
        // Two 10.5 kg units cannot share a 20 kg parcel: 11 + 11 kg, not ceil(21) = 21.
        let engine = try SplitEngine(tariff: Fixture.tariff, skus: [SplitSKU(id: "MELON", grams: 10_500)])
        let plan = try engine.splitOne(
            Fixture.order([("MELON", 2)]), warehouses: [Fixture.warehouse("W", km: 5, ["MELON": 4])], policy: Fixture.policy())
        // 2 * (100 + 800 + 10 * 200) = 5800.
        #expect(plan.shipments[0].parcels.count == 2)
        #expect(plan.costFen == 5800)
    }
}
