import RuralPostCore
import Testing
@testable import OrderSplitting

@Suite("Parcel packing: least cost into parcels of at most parcelMaxGrams")
struct ParcelPackingTests {
    let packer = ParcelPacker(capacity: 20_000, firstParcel: 900, additionalKg: 200)

    @Test func fourteenUnitsOfOnePointFiveKilograms() {
        // 21 kg of 1.5 kg units. First fit: 19.5 kg (20 kg) + 1.5 kg (2 kg) = 22 kg.
        // Best: 18 kg + 3 kg = 21 kg -> (900 + 17 * 200) + (900 + 2 * 200) = 4300 + 1300.
        let r = packer.pack(grams: [1500], counts: [14])
        #expect(r.cost == 5600)
        #expect(r.exact)
        // Every parcel is a whole number of kilograms (several packings tie).
        #expect(r.bins.count == 2)
        #expect(r.bins.allSatisfy { $0[0] * 1500 % 1000 == 0 })
    }

    @Test func singleParcelWhenItFits() {
        let r = packer.pack(grams: [5000, 2500], counts: [3, 2])
        // 20 kg in one parcel: 900 + 19 * 200.
        #expect(r.cost == 4700)
        #expect(r.bins.count == 1)
    }

    @Test func heavyShipmentIsSeveralParcels() throws {
        let engine = try SplitEngine(tariff: Fixture.tariff, skus: [SplitSKU(id: "RICE", grams: 10_000)])
        let plan = try engine.splitOne(
            Fixture.order([("RICE", 5)]), warehouses: [Fixture.warehouse("W", km: 5, ["RICE": 9])], policy: Fixture.policy())
        // 50 kg: 20 + 20 + 10 kg -> 2 * (900 + 19 * 200) + (900 + 9 * 200) = 9400 + 2700.
        let parcels = plan.shipments[0].parcels
        #expect(parcels.count == 3)
        #expect(parcels.allSatisfy { $0.grams <= 20_000 })
        #expect(plan.costFen == 12_100)
    }

    @Test func unitHeavierThanParcelLimitIsAnInputError() throws {
        let engine = try SplitEngine(tariff: Fixture.tariff, skus: [SplitSKU(id: "OK", grams: 1), SplitSKU(id: "SACK", grams: 25_000)])
        let warehouses = [Fixture.warehouse("W", km: 5, ["OK": 5, "SACK": 5])]
        #expect(
            throws: SplitInputError(
                field: "order.lines[1].sku", message: "one unit of 'SACK' (25000 g) is heavier than the parcel limit (20000 g)")
        ) {
            try engine.splitOne(Fixture.order([("OK", 1), ("SACK", 1)]), warehouses: warehouses, policy: Fixture.policy())
        }
        // The same catalogue still serves orders without the heavy SKU.
        #expect(try engine.splitOne(Fixture.order([("OK", 1)]), warehouses: warehouses, policy: Fixture.policy()).costFen == 900)
    }

    @Test func packingProgrammeMatchesBruteForce() {
        var rng = SeededRandom(seed: 42)
        for _ in 0..<200 {
            let types = 1 + rng.below(3)
            var grams: [Int64] = []
            var counts: [Int64] = []
            for _ in 0..<types {
                grams.append(Int64(300 + rng.below(12_000)))
                counts.append(Int64(1 + rng.below(3)))
            }
            let r = packer.pack(grams: grams, counts: counts)
            #expect(r.exact)
            #expect(r.cost == BruteForce.packingCost(grams: grams, counts: counts, capacity: 20_000, first: 900, additional: 200))
            // The returned parcels hold exactly the units, within the limit, at the cost.
            var total = [Int64](repeating: 0, count: types)
            var cost: Fen = 0
            for bin in r.bins {
                var g: Int64 = 0
                for t in 0..<types {
                    total[t] += bin[t]
                    g += bin[t] * grams[t]
                }
                #expect(g <= 20_000)
                cost += packer.price(g)
            }
            #expect(total == counts)
            #expect(cost == r.cost)
        }
    }
}
