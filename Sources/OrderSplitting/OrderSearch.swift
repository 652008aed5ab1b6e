import RuralPostCore

/// Branch and bound over one order: for each line (single-source lines first, then
/// heaviest) and each of its candidate warehouses, how many units that warehouse ships;
/// what is left is unfilled. Leaves are priced with the exact parcel packing of every
/// used warehouse.
///
/// The bound at a node is what is fixed (backorders, Lagrangian surcharges) plus, per
/// used warehouse, the weight-only bound `parcelRate * ceil(W / cap) + kgRate *
/// ceil(W / 1000)`, plus a completion bound: a line none of whose sources is open must
/// open one (or be backordered), and the weight still to ship beyond the kilogram and
/// parcel slack of the open warehouses costs at least the cheapest rates. Every term
/// under-estimates, so a completed search is a proof of optimality.
final class OrderSearch {
    let p: OrderProblem
    let nL: Int
    let nC: Int
    let cap: Int64
    let nodeLimit: Int
    // Hot copies of the problem's arrays.
    private let grams: Table<Int64>
    private let qty: Table<Int64>
    private let eligMask: Table<UInt64>
    private let avail: Table<Int64>
    private let parcelRate: Table<Fen>
    private let kgRate: Table<Fen>
    private let firstParcel: Table<Fen>
    private let additionalKg: Table<Fen>
    private let distanceKm: Table<Double>
    private let surcharge: Table<Fen>?

    let x: Table<Int64>
    let load: Table<Int64>
    var usedMask: UInt64 = 0
    var usedCount = 0
    let unfilled: Table<Int64>
    var fixedCost: Fen = 0
    var lbUsed: Fen = 0
    var kgSlack: Int64 = 0
    var capSlack: Int64 = 0

    var best: Fen = .max
    var bestX: [Int64] = []
    var bestUnfilled: [Int64] = []
    var found = false
    var nodes = 0
    var aborted = false
    var packInexact = false
    var rootBound: Fen = 0

    private let candFlat: Table<Int>
    private let candCount: Table<Int>
    private let candSuffix: Table<Int64>
    private let suffixW: Table<Int64>
    private let minOpen: Table<Fen>
    /// Per line: weight-only bound of shipping all of it from warehouses not yet open.
    private let shipBound: Table<Fen>
    /// Lines by decreasing `shipBound`, for the greedy disjoint set in `bound`.
    private let lineOrder: Table<Int>
    /// Per line: its weight times the cheapest kilogram (parcel) rate among its
    /// sources, and suffix sums of those; with the largest rates, for slack credit.
    private let lineKg: Table<Int64>
    private let lineParcel: Table<Int64>
    private let suffixKg: Table<Int64>
    private let suffixParcel: Table<Int64>
    private let kgRateMax: Fen
    private let parcelRateMax: Fen
    private let kgRateMin: Fen
    private let parcelRateMin: Fen
    /// Per line: backordering a unit costs at least what shipping it adds to the bound.
    private let bigLine: Table<Bool>
    /// Per line and unit: grams counted in the weight terms (0 for lines not `bigLine`).
    private let lineW: Table<Int64>
    /// Per line and unit: least surcharge a shipped unit pays (or what a backorder costs
    /// beyond the weight terms, if less), suffix sums over lines. Zero without surcharges.
    private let unitExtra: Table<Fen>
    /// Per line: least surcharge per shipped unit among its sources.
    private let minSurcharge: Table<Fen>
    /// Per line: a unit's backorder costs at least what shipping it adds to its own
    /// bound, surcharge included, so the line is best shipped whole or dropped whole.
    private let wholeLine: Table<Bool>
    private let suffixExtra: Table<Fen>
    private var packCache: [[Int64]: (cost: Fen, exact: Bool)] = [:]

    static let infinity: Fen = .max / 4

    init(_ problem: OrderProblem, nodeLimit: Int) {
        p = problem
        nL = problem.nL
        nC = problem.nC
        cap = problem.capacity
        self.nodeLimit = nodeLimit
        grams = Table(problem.grams)
        qty = Table(problem.qty)
        eligMask = Table(problem.eligMask)
        avail = Table(problem.avail)
        parcelRate = Table(problem.parcelRate)
        kgRate = Table(problem.kgRate)
        firstParcel = Table(problem.firstParcel)
        additionalKg = Table(problem.additionalKg)
        distanceKm = Table(problem.distanceKm)
        surcharge = problem.surcharge.map { Table($0) }
        x = Table(repeating: 0, count: nL * nC)
        load = Table(repeating: 0, count: nC)
        unfilled = Table(repeating: 0, count: nL)
        candFlat = Table(repeating: 0, count: nL * nC)
        candCount = Table(repeating: 0, count: nL)
        candSuffix = Table(repeating: 0, count: nL * (nC + 1))
        var mo = [Fen](repeating: 0, count: nL)
        var sb = [Fen](repeating: 0, count: nL)
        var big = [Bool](repeating: true, count: nL)
        var lw = [Int64](repeating: 0, count: nL), lk = lw, lp = lw
        var kMax: Fen = 0, pMax: Fen = 0
        // Each line's cheapest rates over its eligible warehouses (used again below).
        var cheapest = [(kg: Fen, parcel: Fen)](repeating: (Fen.max, Fen.max), count: nL)
        for l in 0..<nL {
            var open = Fen.max, prMin = Fen.max, krMin = Fen.max
            for c in 0..<nC where problem.eligMask[l] & (1 << UInt64(c)) != 0 {
                open = min(open, problem.firstParcel[c])
                prMin = min(prMin, problem.parcelRate[c])
                krMin = min(krMin, problem.kgRate[c])
            }
            cheapest[l] = (krMin, prMin)
            mo[l] = open
            let g = problem.grams[l]
            let w = problem.qty[l] * g
            sb[l] = prMin * ((w + problem.capacity - 1) / problem.capacity) + krMin * chargeableKilograms(w)
            // A unit whose backorder costs less than what shipping it can add to the
            // bound may be dropped at that price: such lines stay out of the weight terms.
            big[l] = !problem.allowPartial || problem.backorderFen >= krMin * chargeableKilograms(g) + prMin
            if big[l] {
                lw[l] = g
                lk[l] = krMin * g
                lp[l] = prMin * g
                kMax = max(kMax, krMin)
                pMax = max(pMax, prMin)
            }
        }
        var ux = [Fen](repeating: 0, count: nL)
        var ms = [Fen](repeating: 0, count: nL)
        if let sc = problem.surcharge {
            let krMax = problem.kgRate.max() ?? 0, prMax = problem.parcelRate.max() ?? 0
            for l in 0..<nL {
                var m = Fen.max
                for c in 0..<nC where problem.eligMask[l] & (1 << UInt64(c)) != 0 { m = min(m, sc[l * nC + c]) }
                ms[l] = m
                if problem.allowPartial {
                    // A backordered unit pays B, of which the weight terms may already
                    // charge up to what shipping it adds there.
                    let counted = big[l] ? krMax * chargeableKilograms(problem.grams[l]) + prMax : 0
                    m = min(m, max(0, problem.backorderFen - counted))
                }
                ux[l] = m
            }
        }
        minSurcharge = Table(ms)
        var whole = [Bool](repeating: true, count: nL)
        for l in 0..<nL where problem.allowPartial {
            whole[l] = problem.backorderFen >= cheapest[l].kg * chargeableKilograms(problem.grams[l]) + cheapest[l].parcel + ms[l]
        }
        wholeLine = Table(whole)
        var sx = [Fen](repeating: 0, count: nL + 1)
        for l in stride(from: nL - 1, through: 0, by: -1) { sx[l] = sx[l + 1] + ux[l] * problem.qty[l] }
        unitExtra = Table(ux)
        suffixExtra = Table(sx)
        minOpen = Table(mo)
        shipBound = Table(sb)
        bigLine = Table(big)
        lineOrder = Table((0..<nL).sorted { sb[$0] > sb[$1] })
        var sw = [Int64](repeating: 0, count: nL + 1), sk = sw, sp = sw
        for l in stride(from: nL - 1, through: 0, by: -1) {
            sw[l] = sw[l + 1] + lw[l] * problem.qty[l]
            sk[l] = sk[l + 1] + lk[l] * problem.qty[l]
            sp[l] = sp[l + 1] + lp[l] * problem.qty[l]
        }
        lineW = Table(lw)
        lineKg = Table(lk)
        lineParcel = Table(lp)
        suffixW = Table(sw)
        suffixKg = Table(sk)
        suffixParcel = Table(sp)
        kgRateMax = kMax
        parcelRateMax = pMax
        kgRateMin = problem.kgRate.min() ?? 0
        parcelRateMin = problem.parcelRate.min() ?? 0
    }

    deinit {
        for t in [grams, qty, avail, parcelRate, kgRate, firstParcel, additionalKg, x, load, unfilled, candSuffix] { t.free() }
        for t in [suffixW, minOpen, shipBound, lineKg, lineParcel, suffixKg, suffixParcel, lineW] { t.free() }
        for t in [unitExtra, suffixExtra, minSurcharge] { t.free() }
        eligMask.free()
        distanceKm.free()
        surcharge?.free()
        candFlat.free()
        candCount.free()
        lineOrder.free()
        bigLine.free()
        wholeLine.free()
    }

    /// Runs the search; afterwards `found`, `best`, `bestX`, `bestUnfilled`, `aborted`.
    /// `ceiling`: only plans cheaper than this count (without partial fills, the cost of
    /// backordering the whole order, which is the alternative to a complete fill).
    func run(ceiling: Fen = .max) {
        best = ceiling
        rootBound = bound(after: -1, rem: 0)
        if rootBound >= Self.infinity { return }
        warmStart()
        startLine(0)
        if !found { rootBound = max(rootBound, best) }
    }

    var proven: Bool { found && !packInexact && (!aborted || best <= rootBound) }

    // MARK: - Incremental state

    @inline(__always) private func lbOf(_ c: Int, _ w: Int64) -> Fen {
        parcelRate[c] * ((w + cap - 1) / cap) + kgRate[c] * chargeableKilograms(w)
    }

    @inline(__always) private func add(_ l: Int, _ c: Int, _ a: Int64) {
        let old = load[c]
        let new = old + a * grams[l]
        if old == 0 {
            usedMask |= 1 << UInt64(c)
            usedCount += 1
        } else {
            lbUsed -= lbOf(c, old)
            kgSlack -= chargeableKilograms(old) * 1000 - old
            capSlack -= (old + cap - 1) / cap * cap - old
        }
        lbUsed += lbOf(c, new)
        kgSlack += chargeableKilograms(new) * 1000 - new
        capSlack += (new + cap - 1) / cap * cap - new
        load[c] = new
        x[l * nC + c] += a
        if let s = surcharge { fixedCost += a * s[l * nC + c] }
    }

    @inline(__always) private func remove(_ l: Int, _ c: Int, _ a: Int64) {
        let old = load[c]
        let new = old - a * grams[l]
        lbUsed -= lbOf(c, old)
        kgSlack -= chargeableKilograms(old) * 1000 - old
        capSlack -= (old + cap - 1) / cap * cap - old
        if new == 0 {
            usedMask &= ~(1 << UInt64(c))
            usedCount -= 1
        } else {
            lbUsed += lbOf(c, new)
            kgSlack += chargeableKilograms(new) * 1000 - new
            capSlack += (new + cap - 1) / cap * cap - new
        }
        load[c] = new
        x[l * nC + c] -= a
        if let s = surcharge { fixedCost -= a * s[l * nC + c] }
    }

    // MARK: - Bound

    /// Lower bound on any completion when lines `0...li` are decided except `rem`
    /// units of line `li` still to place (on later candidates or unfilled).
    ///
    /// Lines after `li` none of whose sources is open yet are "uncovered". A set of
    /// uncovered lines with pairwise disjoint sources needs as many distinct new
    /// warehouses, so their own least costs add up (each line: its weight-only bound
    /// from a fresh warehouse, or backordering it, whichever is less; when backorders
    /// are cheap, just the cheapest opening). The rest of the weight pays the cheapest
    /// kilogram and parcel rates beyond the slack of the open warehouses.
    private func bound(after li: Int, rem: Int64) -> Fen {
        var lb = fixedCost + lbUsed + suffixExtra[li + 1] + (rem > 0 ? rem * unitExtra[li] : 0)
        var r = suffixW[li + 1]
        var fk = suffixKg[li + 1]
        var fp = suffixParcel[li + 1]
        if rem > 0 {
            r += rem * lineW[li]
            fk += rem * lineKg[li]
            fp += rem * lineParcel[li]
        }
        var kS = kgSlack
        var cS = capSlack
        let atMax = usedCount >= p.maxWarehouses
        var claimed: UInt64 = 0
        for k in 0..<nL {
            let i = lineOrder[k]
            if i <= li { continue }
            let mask = eligMask[i]
            if mask & usedMask != 0 { continue }
            let q = qty[i]
            // These lines get their own terms below instead of the per-unit extra.
            lb -= q * unitExtra[i]
            if atMax {
                // No source of this line may open any more: all of it is backordered.
                if !p.allowPartial { return Self.infinity }
                lb += q * p.backorderFen
            } else {
                if mask & claimed != 0 {
                    lb += q * unitExtra[i]
                    continue
                }
                claimed |= mask
                let back = p.allowPartial ? q * p.backorderFen : Self.infinity
                if bigLine[i] {
                    // Its own weight-only bound from fresh warehouses (or the backorder);
                    // the fresh warehouses' kilogram and parcel slack is open to others.
                    // (With surcharges a partial backorder may be cheapest: then only
                    // the opening and one surcharged unit are certain.)
                    let w = q * grams[i]
                    let sur = minSurcharge[i]
                    lb += wholeLine[i]
                        ? min(shipBound[i] + q * sur, back)
                        : min(back, minOpen[i] + sur + (q - 1) * min(p.backorderFen, sur))
                    kS += chargeableKilograms(w) * 1000 - w
                    cS += (w + cap - 1) / cap * cap - w
                } else {
                    // At least one opening (first parcel and kilogram), or the backorder.
                    lb += min(minOpen[i] + minSurcharge[i], back)
                    kS += 1000
                    cS += cap
                }
            }
            r -= q * lineW[i]
            fk -= q * lineKg[i]
            fp -= q * lineParcel[i]
        }
        if r > 0 {
            var krMin = kgRateMin, prMin = parcelRateMin, krMax = kgRateMax, prMax = parcelRateMax
            if atMax {
                // Only the open warehouses can take the rest: price it at their rates.
                (fk, fp, krMin, prMin, krMax, prMax) = openRates(after: li, rem: rem)
            }
            // Two valid bounds on the rest: whole kilograms and parcels at the cheapest
            // rates overall, or fractional ones at each line's own cheapest rates.
            var pooled: Fen = 0
            if r > kS { pooled += krMin * ((r - kS + 999) / 1000) }
            if r > cS { pooled += prMin * ((r - cS + cap - 1) / cap) }
            let perLine = max(0, fk - kS * krMax) / 1000 + max(0, fp - cS * prMax) / cap
            lb += max(pooled, perLine)
        }
        return lb
    }

    /// The cheapest kilogram and parcel rates among the warehouses in `mask` (Fen.max
    /// for an empty mask).
    @inline(__always)
    private func cheapestRates(in mask: UInt64) -> (kg: Fen, parcel: Fen) {
        var kg = Fen.max, parcel = Fen.max
        var m = mask
        while m != 0 {
            let c = m.trailingZeroBitCount
            m &= m - 1
            kg = min(kg, kgRate[c])
            parcel = min(parcel, parcelRate[c])
        }
        return (kg, parcel)
    }

    /// Weight terms of the remaining weight-counted lines priced at the open
    /// warehouses only (lines none of whose sources is open count nothing here: they
    /// are backordered in `bound`).
    private func openRates(after li: Int, rem: Int64) -> (Int64, Int64, Fen, Fen, Fen, Fen) {
        var fk: Int64 = 0, fp: Int64 = 0
        let (krMin, prMin) = cheapestRates(in: usedMask)
        var krMax: Fen = 0, prMax: Fen = 0
        var i = max(li, 0)
        while i < nL {
            let units = i == li ? rem : qty[i]
            let open = eligMask[i] & usedMask
            if units > 0 && lineW[i] > 0 && open != 0 {
                let (kr, pr) = cheapestRates(in: open)
                fk += units * kr * grams[i]
                fp += units * pr * grams[i]
                krMax = max(krMax, kr)
                prMax = max(prMax, pr)
            }
            i += 1
        }
        return (fk, fp, krMin, prMin, krMax, prMax)
    }

    // MARK: - Search

    private func startLine(_ li: Int) {
        if li == nL {
            leaf()
            return
        }
        // Candidate order: open warehouses first (cheapest extra kilogram), then the
        // cheapest to open; the first path is the greedy "fewest warehouses, nearest".
        let base = li * nC
        var k = 0
        for c in 0..<nC where avail[base + c] > 0 {
            candFlat[base + k] = c
            k += 1
        }
        candCount[li] = k
        for a in 1..<max(k, 1) {
            let c = candFlat[base + a]
            var b = a - 1
            while b >= 0 && precedes(c, candFlat[base + b]) {
                candFlat[base + b + 1] = candFlat[base + b]
                b -= 1
            }
            candFlat[base + b + 1] = c
        }
        let sb = li * (nC + 1)
        candSuffix[sb + k] = 0
        for j in stride(from: k - 1, through: 0, by: -1) {
            candSuffix[sb + j] = candSuffix[sb + j + 1] + avail[base + candFlat[base + j]]
        }
        if p.allowPartial && !bigLine[li] {
            // Dropping the whole line may well be cheapest (its unit backorder costs
            // less than shipping a unit can): try that first, then the splits.
            drop(li, qty[li])
        }
        assign(li, 0, qty[li])
    }

    @inline(__always) private func precedes(_ a: Int, _ b: Int) -> Bool {
        let ua = load[a] > 0, ub = load[b] > 0
        if ua != ub { return ua }
        if ua { return kgRate[a] != kgRate[b] ? kgRate[a] < kgRate[b] : distanceKm[a] < distanceKm[b] }
        return firstParcel[a] != firstParcel[b] ? firstParcel[a] < firstParcel[b] : distanceKm[a] < distanceKm[b]
    }

    /// Incumbents before the search: each candidate alone shipping all it can (the
    /// rest unfilled), with and without the lines cheaper to drop than to ship. The
    /// depth-first dive finds multi-warehouse splits; these catch the cases where one
    /// warehouse is best but the dive opened several.
    private func warmStart() {
        for c in 0..<nC {
            for dropCheap in [false, true] {
                if dropCheap && !p.allowPartial { continue }
                var complete = true
                for l in 0..<nL {
                    let a = dropCheap && !bigLine[l] ? 0 : min(avail[l * nC + c], qty[l])
                    if a > 0 { add(l, c, a) }
                    unfilled[l] = qty[l] - a
                    fixedCost += unfilled[l] * p.backorderFen
                    if unfilled[l] > 0 { complete = false }
                }
                if (complete || p.allowPartial) && usedCount > 0 { leaf() }
                for l in 0..<nL {
                    let a = x[l * nC + c]
                    if a > 0 { remove(l, c, a) }
                    fixedCost -= unfilled[l] * p.backorderFen
                    unfilled[l] = 0
                }
            }
        }
    }

    /// Leaves `rem` units of line `li` unfilled and goes on with the next line.
    private func drop(_ li: Int, _ rem: Int64) {
        if aborted || best <= rootBound { return }
        unfilled[li] = rem
        fixedCost += rem * p.backorderFen
        if bound(after: li, rem: 0) < best { startLine(li + 1) }
        fixedCost -= rem * p.backorderFen
        unfilled[li] = 0
    }

    private func assign(_ li: Int, _ pos: Int, _ rem: Int64) {
        if aborted || best <= rootBound { return }
        if rem == 0 {
            startLine(li + 1)
            return
        }
        if pos == candCount[li] {
            // Dropping the whole of a line that is not `bigLine` was tried first.
            if p.allowPartial && !(rem == qty[li] && !bigLine[li]) { drop(li, rem) }
            return
        }
        nodes += 1
        if nodes > nodeLimit {
            aborted = true
            return
        }
        let c = candFlat[li * nC + pos]
        var maxA = min(avail[li * nC + c], rem)
        if load[c] == 0 && usedCount >= p.maxWarehouses { maxA = 0 }
        let later = candSuffix[li * (nC + 1) + pos + 1]
        var a = maxA
        while a >= 0 {
            // Without partial fills the later candidates must absorb the rest.
            if !p.allowPartial && rem - a > later { break }
            if a > 0 {
                add(li, c, a)
                if bound(after: li, rem: rem - a) < best { assign(li, pos + 1, rem - a) }
                remove(li, c, a)
            } else {
                assign(li, pos + 1, rem)
            }
            a -= 1
        }
    }

    private func leaf() {
        var cost = fixedCost
        for c in 0..<nC where load[c] > 0 {
            cost += shipmentCost(c)
            if cost >= best { return }
        }
        best = cost
        bestX = x.array
        bestUnfilled = unfilled.array
        found = true
    }

    /// Exact least packing cost of what candidate `c` ships now.
    private func shipmentCost(_ c: Int) -> Fen {
        let w = load[c]
        if w <= cap && w <= p.heavyAbove { return firstParcel[c] + (chargeableKilograms(w) - 1) * additionalKg[c] }
        var key = [Int64](repeating: 0, count: nL + 1)
        key[0] = Int64(c)
        for l in 0..<nL { key[l + 1] = x[l * nC + c] }
        if let hit = packCache[key] {
            if !hit.exact { packInexact = true }
            return hit.cost
        }
        let packer = ParcelPacker(capacity: cap, firstParcel: firstParcel[c], additionalKg: additionalKg[c],
                                  heavyAbove: p.heavyAbove, heavySurcharge: p.heavySurcharge)
        let counts = (0..<nL).map { x[$0 * nC + c] }
        let r = packer.pack(grams: p.grams, counts: counts)
        packCache[key] = (r.cost, r.exact)
        if !r.exact { packInexact = true }
        return r.cost
    }
}
