import Foundation
import RuralPostCore
import Testing
@testable import OrderSplitting

@Suite("Sequential and batch modes")
struct SequentialAndBatchTests {
    let skus = [SplitSKU(id: "RICE", grams: 5000), SplitSKU(id: "OIL", grams: 2000)]

    @Test func sequentialConsumesStockInFileOrder() throws {
        let engine = try SplitEngine(tariff: Fixture.tariff, skus: skus)
        let warehouses = [Fixture.warehouse("NEAR", km: 5, ["RICE": 1]), Fixture.warehouse("FAR", km: 70, ["RICE": 1])]
        let r = try engine.sequential(
            [Fixture.order([("RICE", 1)], id: "O1"), Fixture.order([("RICE", 1)], id: "O2"), Fixture.order([("RICE", 1)], id: "O3")],
            warehouses: warehouses, policy: Fixture.policy(backorder: 10_000))
        #expect(r.orders.map { $0.shipments.first?.warehouse } == ["NEAR", "FAR", nil])
        // 1700 (zone 0) + 2500 (zone 1) + 10000 backorder.
        #expect(r.totalCostFen == 14_200)
        #expect(r.remainingStock["NEAR"] == [:])
    }

    @Test func batchReassignsScarceStock() throws {
        // O1 can use A or B; O2 only A (B is beyond the last zone for it). Sequential
        // gives A to O1 first and starves O2; the wave gives A to O2 and B to O1.
        let skus = [SplitSKU(id: "FISH", grams: 1000, coldChain: true)]
        let engine = try SplitEngine(tariff: Fixture.tariff, skus: skus)
        let warehouses = [
            Fixture.warehouse("A", km: 5, cold: true, ["FISH": 1]),
            Fixture.warehouse("B", km: 65, cold: true, ["FISH": 1]),
        ]
        var far = Fixture.order([("FISH", 1)], id: "O2")
        far.destination = GeoPoint(lat: 30 - 40 / Fixture.kmPerDegree, lon: 110)  // 45 km from A, 105 km from B
        let orders = [Fixture.order([("FISH", 1)], id: "O1"), far]
        let policy = Fixture.policy(backorder: 50_000)
        let seq = try engine.sequential(orders, warehouses: warehouses, policy: policy)
        let wave = try engine.batch(orders, warehouses: warehouses, policy: policy)
        #expect(seq.totalCostFen == 900 + 50_000)
        // O1 from B (zone 1, 1 kg: 1300) + O2 from A (zone 0 at 45 km, 900).
        #expect(wave.totalCostFen == 1300 + 900)
        #expect(wave.lowerBoundFen <= wave.totalCostFen)
    }

    @Test func batchIsNeverWorseThanSequential() throws {
        var rng = SeededRandom(seed: 3)
        for _ in 0..<10 {
            let skus = (0..<4).map { SplitSKU(id: "S\($0)", grams: Int64(300 + rng.below(6000))) }
            let warehouses = (0..<3).map { w in
                Fixture.warehouse("W\(w)", km: Double(rng.below(90)), Dictionary(uniqueKeysWithValues: skus.map { ($0.id, Int64(rng.below(4))) }))
            }
            let orders = (0..<12).map { i in
                Fixture.order((0..<(1 + rng.below(3))).map { _ in (skus[rng.below(4)].id, Int64(1 + rng.below(2))) }, id: "O\(i)")
            }
            let engine = try SplitEngine(tariff: Fixture.tariff, skus: skus)
            var options = BatchOptions()
            options.timeLimitSeconds = 0.3
            let policy = Fixture.policy(max: 2, backorder: 8000)
            let seq = try engine.sequential(orders, warehouses: warehouses, policy: policy)
            let wave = try engine.batch(orders, warehouses: warehouses, policy: policy, options: options)
            #expect(wave.totalCostFen <= seq.totalCostFen)
            #expect(wave.lowerBoundFen <= wave.totalCostFen)
            // Never oversold: per warehouse and SKU, shipped <= stock.
            var shipped: [String: [String: Int64]] = [:]
            for p in wave.orders { for (w, items) in p.shippedUnits { for (s, n) in items { shipped[w, default: [:]][s, default: 0] += n } } }
            for w in warehouses { for (s, n) in shipped[w.id] ?? [:] { #expect(n <= w.stock[s] ?? 0) } }
        }
    }

    @Test func priorityOrdersAreServedFirstInBatch() throws {
        let engine = try SplitEngine(tariff: Fixture.tariff, skus: skus)
        let warehouses = [Fixture.warehouse("A", km: 5, ["OIL": 1])]
        let orders = [Fixture.order([("OIL", 1)], id: "NORMAL"), Fixture.order([("OIL", 1)], id: "KEY", priority: 1)]
        let wave = try engine.batch(orders, warehouses: warehouses, policy: Fixture.policy(backorder: 5000))
        #expect(wave.orders[1].unfilled.isEmpty)
        #expect(wave.orders[0].unfilled == ["OIL": 1])
    }

    @Test func planRoundTripsThroughJSON() throws {
        let engine = try SplitEngine(tariff: Fixture.tariff, skus: skus)
        let r = try engine.sequential([Fixture.order([("RICE", 1), ("OIL", 2)])], warehouses: [Fixture.warehouse("A", km: 5, ["RICE": 3, "OIL": 3])], policy: Fixture.policy())
        let data = try JSONEncoder().encode(r)
        let back = try JSONDecoder().decode(SplitResult.self, from: data)
        #expect(back == r)
        let json = String(decoding: data, as: UTF8.self)
        #expect(json.contains("\"totalCostFen\""))
        #expect(json.contains("\"id\":\"O1\""))
    }
}
