import RuralPostCore
import Testing
@testable import OrderSplitting

/// Heavy parcels (DOMAIN.md: over 20 kg they are priced separately) pay the tariff's
/// surcharge, and the engine splits a shipment into lighter parcels exactly when that
/// is cheaper. Checked against prices worked out by hand and against brute force.
@Suite struct HeavyParcelTests {
    /// 100 handling, 600 first kilogram, 150 each further kilogram, 30 kg parcels, heavy above 20 kg.
    static func tariff(surcharge: Fen) -> Tariff {
        Tariff(handlingFen: 100, parcelMaxGrams: 30_000, heavyThresholdGrams: 20_000, heavySurchargeFen: surcharge,
               zones: [.init(maxKm: 50, firstKgFen: 600, additionalKgFen: 150)])
    }

    static func split(_ units: Int64, surcharge: Fen) throws -> SplitPlan {
        let engine = try SplitEngine(tariff: tariff(surcharge: surcharge), skus: [SplitSKU(id: "MELON", grams: 1000, coldChain: false)])
        return try engine.splitOne(Fixture.order([("MELON", units)]), warehouses: [Fixture.warehouse("W", km: 10, ["MELON": 100])],
                                   policy: Fixture.policy())
    }

    @Test func aDearSurchargeSplitsTheShipmentBelowTheHeavyWeight() throws {
        // 22 kg: one heavy parcel 700 + 21 x 150 + 2000 = 5850; 20 + 2 kg: 3550 + 850 = 4400.
        let plan = try Self.split(22, surcharge: 2000)
        #expect(plan.costFen == 4400)
        #expect(plan.shipments.flatMap(\.parcels).map(\.grams).sorted() == [2000, 20_000])
    }

    @Test func aCheapSurchargeIsPaidOnOneHeavyParcel() throws {
        // 22 kg: one heavy parcel 3850 + 500 = 4350 beats two light ones (4400).
        let plan = try Self.split(22, surcharge: 500)
        #expect(plan.costFen == 4350)
        #expect(plan.shipments.flatMap(\.parcels).map(\.costFen) == [4350])
    }

    @Test func exactlyTheThresholdIsNotHeavy() throws {
        let plan = try Self.split(20, surcharge: 2000)
        #expect(plan.costFen == 700 + 19 * 150)
        #expect(Self.tariff(surcharge: 2000).parcelPrice(grams: 20_001, zone: 0) == 700 + 20 * 150 + 2000)
    }

    @Test func withoutASurchargeTheThresholdChangesNothing() throws {
        #expect(try Self.split(22, surcharge: 0).costFen == 700 + 21 * 150)
    }

    @Test func packingMatchesBruteForce() {
        var rng = SeededRandom(seed: 2026)
        for _ in 0..<300 {
            let capacity: Int64 = [20_000, 30_000][rng.below(2)]
            let heavy = Int64(5000 + rng.below(Int(capacity) - 5000))
            let surcharge = Fen([50, 400, 1500, 6000][rng.below(4)])
            let types = 1 + rng.below(3)
            let grams = (0..<types).map { _ in Int64(300 + rng.below(12_000)) }
            let counts = (0..<types).map { _ in Int64(1 + rng.below(3)) }
            let packer = ParcelPacker(capacity: capacity, firstParcel: 900, additionalKg: 200, heavyAbove: heavy, heavySurcharge: surcharge)
            let r = packer.pack(grams: grams, counts: counts)
            let expected = BruteForce.packingCost(grams: grams, counts: counts, capacity: capacity, first: 900, additional: 200,
                                                  heavyOver: heavy, heavySurcharge: surcharge)
            #expect(r.exact)
            #expect(r.cost == expected, "grams \(grams) counts \(counts) heavy > \(heavy) +\(surcharge)")
            var parcelsCost: Fen = 0
            for bin in r.bins {
                let g = zip(bin, grams).reduce(0) { $0 + $1.0 * $1.1 }
                #expect(g <= capacity)
                parcelsCost += packer.price(g)
            }
            #expect(parcelsCost == r.cost)
        }
    }

    @Test func ordersMatchBruteForce() throws {
        var rng = SeededRandom(seed: 20)
        for _ in 0..<300 {
            var (tariff, skus, warehouses, order, policy) = ExactSearchTests.randomCase(&rng)
            tariff.heavyThresholdGrams = Int64(1000 + rng.below(Int(tariff.parcelMaxGrams) - 1000))
            tariff.heavySurchargeFen = Fen([100, 800, 3000][rng.below(3)])
            let plan = try SplitEngine(tariff: tariff, skus: skus).splitOne(order, warehouses: warehouses, policy: policy)
            let expected = BruteForce.orderCost(order, skus: skus, warehouses: warehouses, tariff: tariff, policy: policy)
            #expect(plan.exact)
            #expect(plan.costFen == expected, "order \(order.lines) tariff \(tariff) warehouses \(warehouses.map(\.stock))")
            try PlanChecks.feasible(plan, order: order, skus: skus, warehouses: warehouses, tariff: tariff, policy: policy)
        }
    }
}
