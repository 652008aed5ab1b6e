import RuralPostCore
@testable import OrderSplitting

/// Reference solutions by exhaustive enumeration, written independently of the engine's
/// search: every split of every line over every warehouse, every partition of every
/// warehouse's units into parcels. Only for tiny instances.
enum BruteForce {
    /// Least packing cost by enumerating all set partitions of the units. A parcel
    /// heavier than `heavyOver` grams costs `heavySurcharge` more.
    static func packingCost(grams: [Int64], counts: [Int64], capacity: Int64, first: Fen, additional: Fen,
                            heavyOver: Int64? = nil, heavySurcharge: Fen = 0) -> Fen {
        var units: [Int64] = []
        for t in grams.indices { units.append(contentsOf: repeatElement(grams[t], count: Int(counts[t]))) }
        if units.isEmpty { return 0 }
        var best = Fen.max
        var loads: [Int64] = []
        func price(_ g: Int64) -> Fen {
            let kilograms = (g + 999) / 1000
            let heavy = heavyOver.map { g > $0 } ?? false
            return first + (kilograms - 1) * additional + (heavy ? heavySurcharge : 0)
        }
        func go(_ k: Int) {
            if k == units.count {
                best = min(best, loads.reduce(0) { $0 + price($1) })
                return
            }
            for b in loads.indices where loads[b] + units[k] <= capacity {
                loads[b] += units[k]
                go(k + 1)
                loads[b] -= units[k]
            }
            loads.append(units[k])
            go(k + 1)
            loads.removeLast()
        }
        go(0)
        return best
    }

    /// Least total cost of one order (parcels + backorders), or the not-fillable cost.
    static func orderCost(
        _ order: SplitOrder, skus: [SplitSKU], warehouses: [SplitWarehouse], tariff: Tariff, policy: SplitPolicy
    ) -> Fen {
        var qty: [String: Int64] = [:]
        for l in order.lines { qty[l.sku, default: 0] += l.qty }
        let lines = qty.keys.sorted()
        let sku = Dictionary(uniqueKeysWithValues: skus.map { ($0.id, $0) })
        let zones: [Int?] = warehouses.map { tariff.zoneIndex(forDistanceKm: $0.location.distanceKm(to: order.destination)) }
        var take = [[Int64]](repeating: [Int64](repeating: 0, count: warehouses.count), count: lines.count)
        var best = Fen.max
        func evaluate(unfilled: Int64) {
            var used = 0
            var cost = unfilled * policy.backorderFen
            for w in warehouses.indices {
                let counts = lines.indices.map { take[$0][w] }
                if counts.allSatisfy({ $0 == 0 }) { continue }
                used += 1
                let z = tariff.zones[zones[w]!]
                cost += packingCost(
                    grams: lines.map { sku[$0]!.grams }, counts: counts, capacity: tariff.parcelMaxGrams,
                    first: tariff.handlingFen + z.firstKgFen, additional: z.additionalKgFen,
                    heavyOver: tariff.heavyThresholdGrams, heavySurcharge: tariff.heavySurchargeFen)
            }
            if used <= policy.maxWarehouses { best = min(best, cost) }
        }
        func line(_ l: Int, _ unfilled: Int64) {
            if l == lines.count {
                evaluate(unfilled: unfilled)
                return
            }
            split(l, 0, qty[lines[l]]!, unfilled)
        }
        func split(_ l: Int, _ w: Int, _ rem: Int64, _ unfilled: Int64) {
            if w == warehouses.count {
                if rem > 0 && !policy.allowPartial { return }
                line(l + 1, unfilled + rem)
                return
            }
            let s = sku[lines[l]]!
            let eligible = zones[w] != nil && (!s.coldChain || warehouses[w].coldChain)
            let most = eligible ? min(rem, warehouses[w].stock[s.id] ?? 0) : 0
            for a in 0...max(0, most) {
                take[l][w] = a
                split(l, w + 1, rem - a, unfilled)
            }
            take[l][w] = 0
        }
        line(0, 0)
        // Without partial fills, shipping nothing (all units backordered) is the
        // alternative to a complete fill.
        let nothing = qty.values.reduce(0, +) * policy.backorderFen
        return policy.allowPartial ? best : min(best, nothing)
    }
}
