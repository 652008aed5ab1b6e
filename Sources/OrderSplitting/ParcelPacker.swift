import RuralPostCore

/// Least-cost packing of one warehouse's units into parcels of at most `capacity` grams.
///
/// The price of a parcel depends only on its chargeable kilograms, so with
/// `P = handling + firstKg`, `A = additionalKg` and `P >= A` a packing costs
/// `(P - A) * parcels + A * sum(ceil(kg))`. Both terms have weight-only lower bounds
/// (`parcels >= ceil(W / capacity)`, `sum(ceil kg) >= ceil(W / 1000)`). A best-fit
/// heuristic with descent usually meets them; when it does not, `PackingProgramme`
/// searches exactly for anything cheaper, e.g. fourteen 1.5 kg units in 20 kg parcels:
/// 19.5 + 1.5 kg is 22 chargeable kg, 18 + 3 kg is 21.
///
/// A heavy surcharge (on parcels above `heavyAbove` grams) only adds to that cost, so the
/// bounds stay valid; the search and the heuristics account for it where a parcel's
/// weight decides whether it pays it.
struct ParcelPacker {
    struct Result {
        var cost: Fen
        /// `bins[b][t]`: units of input item `t` in parcel `b`.
        var bins: [[Int64]]
        /// False when the node limit stopped the search before it proved optimality.
        var exact: Bool
    }

    let capacity: Grams
    let firstParcel: Fen
    let additionalKg: Fen
    /// Parcels heavier than this pay `heavySurcharge` (`Grams.max`: no surcharge).
    var heavyAbove: Grams = .max
    var heavySurcharge: Fen = 0
    /// States the exact search may open before giving up (result then not proven).
    var nodeLimit = 200_000

    init(capacity: Grams, firstParcel: Fen, additionalKg: Fen, heavyAbove: Grams = .max, heavySurcharge: Fen = 0) {
        self.capacity = capacity
        self.firstParcel = firstParcel
        self.additionalKg = additionalKg
        self.heavyAbove = heavySurcharge > 0 ? heavyAbove : .max
        self.heavySurcharge = heavySurcharge
    }

    @inline(__always) func price(_ grams: Grams) -> Fen {
        firstParcel + (chargeableKilograms(grams) - 1) * additionalKg + (grams > heavyAbove ? heavySurcharge : 0)
    }

    /// Packs `counts[t]` units of `grams[t]` (every `grams[t]` in 1...capacity).
    func pack(grams: [Int64], counts: [Int64]) -> Result {
        var total: Int64 = 0
        for t in grams.indices { total += grams[t] * counts[t] }
        if total == 0 { return Result(cost: 0, bins: [], exact: true) }
        if total <= capacity && total <= heavyAbove {
            // One parcel minimises both the parcel count and the chargeable kilograms.
            return Result(cost: price(total), bins: [counts], exact: true)
        }
        var heuristic = bestFitDecreasing(grams: grams, counts: counts, limit: capacity)
        if heavyAbove < capacity, grams.indices.allSatisfy({ counts[$0] == 0 || grams[$0] <= heavyAbove }) {
            // Parcels kept at or below the heavy weight: more of them, none surcharged.
            let light = bestFitDecreasing(grams: grams, counts: counts, limit: heavyAbove)
            if light.cost < heuristic.cost { heuristic = light }
        }
        if heuristic.cost <= Self.lowerBound(grams: grams, counts: counts, capacity: capacity, rates: rates) {
            return Result(cost: heuristic.cost, bins: heuristic.bins, exact: true)
        }
        var programme = PackingProgramme(packer: self, grams: grams, counts: counts)
        programme.nodeLimit = nodeLimit
        let (better, aborted) = programme.solve(below: heuristic.cost)
        if let better { return better }
        if !aborted { return Result(cost: heuristic.cost, bins: heuristic.bins, exact: true) }
        return Result(cost: heuristic.cost, bins: heuristic.bins, exact: false)
    }

    /// Best-fit decreasing (preferring parcels the unit fits without a new chargeable
    /// kilogram), then descent with unit moves and swaps between parcels: a fast upper
    /// bound that usually meets the lower bound.
    /// `limit` (at most `capacity`) caps each parcel's weight while filling.
    func bestFitDecreasing(grams: [Int64], counts: [Int64], limit: Grams) -> Result {
        let order = grams.indices.filter { counts[$0] > 0 }.sorted { grams[$0] > grams[$1] }
        var load: [Int64] = []
        var content: [[Int]] = []  // item index per unit, per parcel
        for t in order {
            for _ in 0..<counts[t] {
                let w = grams[t]
                var pick = -1
                var pickFree = false
                for b in load.indices where load[b] + w <= limit {
                    let free = chargeableKilograms(load[b] + w) == chargeableKilograms(load[b])
                    if pick < 0 || (free && !pickFree) || (free == pickFree && load[b] > load[pick]) {
                        pick = b
                        pickFree = free
                    }
                }
                if pick < 0 {
                    load.append(0)
                    content.append([])
                    pick = load.count - 1
                }
                load[pick] += w
                content[pick].append(t)
            }
        }
        improve(grams: grams, load: &load, content: &content)
        var bins: [[Int64]] = []
        for c in content where !c.isEmpty {
            var bin = [Int64](repeating: 0, count: grams.count)
            for t in c { bin[t] += 1 }
            bins.append(bin)
        }
        return Result(cost: load.reduce(0) { $0 + ($1 > 0 ? price($1) : 0) }, bins: bins, exact: false)
    }

    @inline(__always) private func cost(_ l: Int64) -> Fen { l > 0 ? price(l) : 0 }

    /// First-improvement descent: move one unit to another parcel, or swap two units.
    private func improve(grams: [Int64], load: inout [Int64], content: inout [[Int]]) {
        var improved = true
        var rounds = 0
        while improved && rounds < 50 {
            improved = false
            rounds += 1
            search: for a in load.indices where load[a] > 0 {
                for i in content[a].indices {
                    let wi = grams[content[a][i]]
                    for b in load.indices where b != a {
                        // Move unit i from a to b.
                        if load[b] + wi <= capacity && load[b] > 0 {
                            let delta = cost(load[a] - wi) + cost(load[b] + wi) - cost(load[a]) - cost(load[b])
                            if delta < 0 {
                                load[a] -= wi
                                load[b] += wi
                                content[b].append(content[a].remove(at: i))
                                improved = true
                                break search
                            }
                        }
                        // Swap unit i with a lighter unit j of b.
                        for j in content[b].indices {
                            let wj = grams[content[b][j]]
                            if wj >= wi { continue }
                            let la = load[a] - wi + wj, lb = load[b] - wj + wi
                            if lb > capacity { continue }
                            let delta = cost(la) + cost(lb) - cost(load[a]) - cost(load[b])
                            if delta < 0 {
                                load[a] = la
                                load[b] = lb
                                let ti = content[a][i]
                                content[a][i] = content[b][j]
                                content[b][j] = ti
                                improved = true
                                break search
                            }
                        }
                    }
                }
            }
        }
    }

    /// The per-parcel and per-kilogram rates of the cost decomposition (see the type's
    /// comment): `(P - A, A)`, or `(0, P)` when `P < A`.
    var rates: (parcel: Fen, kg: Fen) {
        firstParcel >= additionalKg ? (firstParcel - additionalKg, additionalKg) : (0, firstParcel)
    }

    /// Lower bound on any packing of `counts[t]` units of `grams[t]`, types `from...`
    /// only: units heavier than half a parcel each take their own parcel, whose kilogram
    /// slack the others may fill; the rest is priced as if divisible. The heuristic's
    /// stopping test and the exact search's pruning both use this one bound.
    static func lowerBound(grams: [Int64], counts: [Int64], from first: Int = 0, capacity: Grams,
                           rates: (parcel: Fen, kg: Fen)) -> Fen {
        var total: Int64 = 0, bigCount: Int64 = 0, kg: Int64 = 0, slack: Int64 = 0, big: Int64 = 0
        for t in first..<grams.count where counts[t] > 0 {
            total += grams[t] * counts[t]
            if grams[t] * 2 > capacity {
                let k = chargeableKilograms(grams[t])
                bigCount += counts[t]
                kg += k * counts[t]
                slack += min(k * 1000 - grams[t], capacity - grams[t]) * counts[t]
                big += grams[t] * counts[t]
            }
        }
        if total == 0 { return 0 }
        let rest = total - big
        if rest > slack { kg += (rest - slack + 999) / 1000 }
        let parcels = max(bigCount, (total + capacity - 1) / capacity)
        return rates.parcel * parcels + rates.kg * max(kg, chargeableKilograms(total))
    }
}
