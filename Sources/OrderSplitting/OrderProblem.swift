import RuralPostCore

/// One order compiled for the search: merged lines, candidate warehouses with their
/// lane prices, and how many units of each line each candidate can ship.
///
/// Per-parcel price `P + A * (kg - 1)` with `P = handling + firstKg`, `A = additionalKg`
/// is rewritten as `parcelRate * 1 + kgRate * kg` (`parcelRate = P - A`, `kgRate = A`)
/// so that a shipment's cost is `parcelRate * parcels + kgRate * sum(kg)`; that is what
/// makes weight-only lower bounds possible. When a zone has `P < A` (odd, but legal)
/// the bound uses `parcelRate = 0, kgRate = P`, which still under-estimates.
struct OrderProblem {
    // Lines, merged by SKU, in search order.
    var lineSku: [Int] = []
    var grams: [Int64] = []
    var qty: [Int64] = []
    /// Lines no candidate can serve (no stock in reach, cold chain): always unfilled.
    var forcedUnfilled: [(sku: Int, units: Int64)] = []
    // Candidates.
    var cand: [Int] = []
    var zone: [Int] = []
    var distanceKm: [Double] = []
    var firstParcel: [Fen] = []
    var additionalKg: [Fen] = []
    var parcelRate: [Fen] = []
    var kgRate: [Fen] = []
    /// `avail[l * nC + c]`: units of line `l` candidate `c` may ship (0 if not eligible).
    var avail: [Int64] = []
    var eligMask: [UInt64] = []
    /// Optional extra cost per unit shipped, `[l * nC + c]` (Lagrangian prices).
    var surcharge: [Fen]? = nil
    var capacity: Grams = 0
    /// The tariff's heavy parcels: heavier than `heavyAbove` grams, they pay `heavySurcharge`.
    var heavyAbove: Grams = .max
    var heavySurcharge: Fen = 0
    var maxWarehouses = 1
    var allowPartial = true
    var backorderFen: Fen = 0
    /// True when candidates were dropped (more than 64 in reach).
    var truncated = false

    var nL: Int { lineSku.count }
    var nC: Int { cand.count }

    static let maxCandidates = 64

    /// Compiles `lines` (validated: known SKU indices, positive quantities) for
    /// destination `dest` against the current stock in `table`.
    init(
        lines: [(sku: Int, qty: Int64)], destination dest: GeoPoint, table: WarehouseTable,
        skus: [SplitSKU], tariff: Tariff, policy: SplitPolicy, surcharge: ((Int, Int) -> Fen)? = nil
    ) {
        capacity = tariff.parcelMaxGrams
        heavyAbove = tariff.heavyAboveGrams
        heavySurcharge = tariff.heavySurchargeFen
        maxWarehouses = policy.maxWarehouses
        allowPartial = policy.allowPartial
        backorderFen = policy.backorderFen

        // Merge duplicate lines: output is keyed by SKU anyway.
        var merged: [(sku: Int, qty: Int64)] = []
        for line in lines {
            if let i = merged.firstIndex(where: { $0.sku == line.sku }) { merged[i].qty += line.qty } else { merged.append(line) }
        }

        // Candidates: reachable warehouses holding something eligible for the order.
        var cands: [(w: Int, zone: Int, km: Double)] = []
        for w in 0..<table.count {
            var useful = false
            for m in merged where table.units(w, m.sku) > 0 && (!skus[m.sku].coldChain || table.coldChain[w]) {
                useful = true
                break
            }
            if !useful { continue }
            let km = table.locations[w].distanceKm(to: dest)
            guard let z = tariff.zoneIndex(forDistanceKm: km) else { continue }
            cands.append((w, z, km))
        }
        if cands.count > Self.maxCandidates {
            // Keep the nearest: a bounded heuristic beyond this size, flagged as such.
            cands.sort { $0.km < $1.km }
            cands.removeLast(cands.count - Self.maxCandidates)
            truncated = true
        }
        for c in cands {
            let zoneSpec = tariff.zones[c.zone]
            let p = tariff.handlingFen + zoneSpec.firstKgFen
            let a = zoneSpec.additionalKgFen
            cand.append(c.w)
            zone.append(c.zone)
            distanceKm.append(c.km)
            firstParcel.append(p)
            additionalKg.append(a)
            if p >= a {
                parcelRate.append(p - a)
                kgRate.append(a)
            } else {
                parcelRate.append(0)
                kgRate.append(p)
            }
        }

        // Lines with at least one source, in search order: single-source lines first
        // (no choice; they open warehouses early), then heaviest first, because heavy
        // lines decide parcels and kilograms and make the bound bite early.
        var searchLines: [(sku: Int, qty: Int64, mask: UInt64, av: [Int64])] = []
        for m in merged {
            var mask: UInt64 = 0
            var av = [Int64](repeating: 0, count: cands.count)
            for (c, cd) in cands.enumerated() {
                if skus[m.sku].coldChain && !table.coldChain[cd.w] { continue }
                // A unit priced at a backorder or more (Lagrangian surcharge) is never
                // better shipped than dropped: leave that source out.
                if policy.allowPartial, let surcharge, surcharge(cd.w, m.sku) >= policy.backorderFen { continue }
                let u = min(table.units(cd.w, m.sku), m.qty)
                if u > 0 {
                    av[c] = u
                    mask |= 1 << UInt64(c)
                }
            }
            if mask == 0 { forcedUnfilled.append((m.sku, m.qty)) } else { searchLines.append((m.sku, m.qty, mask, av)) }
        }
        searchLines.sort {
            let a = $0.mask.nonzeroBitCount == 1, b = $1.mask.nonzeroBitCount == 1
            if a != b { return a }
            let wa = skus[$0.sku].grams * $0.qty, wb = skus[$1.sku].grams * $1.qty
            if wa != wb { return wa > wb }
            return $0.sku < $1.sku
        }
        for l in searchLines {
            lineSku.append(l.sku)
            grams.append(skus[l.sku].grams)
            qty.append(l.qty)
            eligMask.append(l.mask)
            avail.append(contentsOf: l.av)
        }
        if let surcharge {
            var s = [Fen](repeating: 0, count: lineSku.count * cand.count)
            for l in 0..<lineSku.count {
                for c in 0..<cand.count { s[l * cand.count + c] = surcharge(cand[c], lineSku[l]) }
            }
            self.surcharge = s
        }
    }
}
