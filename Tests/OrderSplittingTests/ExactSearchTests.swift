import RuralPostCore
import Testing
@testable import OrderSplitting

@Suite("Exact mode equals brute force on small random orders")
struct ExactSearchTests {
    static func randomCase(_ rng: inout SeededRandom) -> (Tariff, [SplitSKU], [SplitWarehouse], SplitOrder, SplitPolicy) {
        let tariff = Tariff(
            handlingFen: Fen(rng.below(200)), parcelMaxGrams: [5000, 8000, 20_000][rng.below(3)],
            zones: [
                .init(maxKm: 40, firstKgFen: Fen(500 + rng.below(400)), additionalKgFen: Fen(100 + rng.below(200))),
                .init(maxKm: 90, firstKgFen: Fen(900 + rng.below(400)), additionalKgFen: Fen(200 + rng.below(300))),
            ])
        let nSku = 1 + rng.below(3)
        let skus = (0..<nSku).map {
            SplitSKU(id: "S\($0)", grams: Int64(100 + rng.below(Int(tariff.parcelMaxGrams) - 100)), coldChain: rng.below(4) == 0)
        }
        let nWh = 1 + rng.below(3)
        let warehouses = (0..<nWh).map { w -> SplitWarehouse in
            var stock: [String: Int64] = [:]
            for s in skus where rng.below(3) > 0 { stock[s.id] = Int64(rng.below(4)) }
            return Fixture.warehouse("W\(w)", km: Double(rng.below(120)), cold: rng.below(2) == 0, stock)
        }
        let lines = (0..<(1 + rng.below(nSku))).map { _ in (skus[rng.below(nSku)].id, Int64(1 + rng.below(3))) }
        let policy = SplitPolicy(
            maxWarehouses: 1 + rng.below(3), allowPartial: rng.below(4) > 0, backorderFen: Fen([300, 2000, 50_000][rng.below(3)]))
        return (tariff, skus, warehouses, Fixture.order(lines), policy)
    }

    @Test func matchesBruteForce() throws {
        var rng = SeededRandom(seed: 7)
        for _ in 0..<400 {
            let (tariff, skus, warehouses, order, policy) = Self.randomCase(&rng)
            let engine = try SplitEngine(tariff: tariff, skus: skus)
            let plan = try engine.splitOne(order, warehouses: warehouses, policy: policy)
            let expected = BruteForce.orderCost(order, skus: skus, warehouses: warehouses, tariff: tariff, policy: policy)
            #expect(plan.exact)
            #expect(plan.costFen == expected, "order \(order.lines) policy \(policy) warehouses \(warehouses.map(\.stock))")
            try PlanChecks.feasible(plan, order: order, skus: skus, warehouses: warehouses, tariff: tariff, policy: policy)
        }
    }
}

/// Feasibility of a plan, checked from first principles.
enum PlanChecks {
    struct Violation: Error, CustomStringConvertible { var description: String }

    static func feasible(
        _ plan: SplitPlan, order: SplitOrder, skus: [SplitSKU], warehouses: [SplitWarehouse], tariff: Tariff, policy: SplitPolicy
    ) throws {
        let sku = Dictionary(uniqueKeysWithValues: skus.map { ($0.id, $0) })
        let wh = Dictionary(uniqueKeysWithValues: warehouses.map { ($0.id, $0) })
        var qty: [String: Int64] = [:]
        for l in order.lines { qty[l.sku, default: 0] += l.qty }
        var shipped: [String: Int64] = [:]
        var cost: Fen = 0
        if plan.shipments.count > policy.maxWarehouses { throw Violation(description: "too many warehouses") }
        for s in plan.shipments {
            let w = wh[s.warehouse]!
            let zone = tariff.zoneIndex(forDistanceKm: w.location.distanceKm(to: order.destination))
            var fromHere: [String: Int64] = [:]
            for p in s.parcels {
                var g: Int64 = 0
                for (id, n) in p.items {
                    if sku[id]!.coldChain && !w.coldChain { throw Violation(description: "cold chain") }
                    g += sku[id]!.grams * n
                    fromHere[id, default: 0] += n
                    shipped[id, default: 0] += n
                }
                if g != p.grams || g > tariff.parcelMaxGrams { throw Violation(description: "parcel weight") }
                if p.zone != zone || p.costFen != tariff.parcelPrice(grams: g, zone: zone!) {
                    throw Violation(description: "parcel price")
                }
                cost += p.costFen
            }
            for (id, n) in fromHere where n > (w.stock[id] ?? 0) { throw Violation(description: "oversold \(id)") }
        }
        for (id, n) in qty where (shipped[id] ?? 0) + (plan.unfilled[id] ?? 0) != n {
            throw Violation(description: "units of \(id)")
        }
        let unfilled = plan.unfilled.values.reduce(0, +)
        if !policy.allowPartial && unfilled > 0 && !plan.shipments.isEmpty { throw Violation(description: "partial") }
        if cost + unfilled * policy.backorderFen != plan.costFen { throw Violation(description: "cost") }
    }
}
