import RuralPostCore

/// Exact least-cost packing by memoised search over "units left per SKU".
///
/// `best(left) = min over parcels p ⊆ left that contain a unit of the heaviest SKU
/// left of price(p) + best(left - p)`. Requiring the heaviest SKU in the next parcel
/// fixes an order on the parcels, so each partition is seen once. The recursion runs
/// with a budget (start: the heuristic's cost): a state either gets its exact value
/// (when below the budget) or a proven lower bound, and both are memoised, so the
/// search only opens states that could still beat the incumbent. Parcels into whose
/// last started kilogram another remaining unit would fit (without making it heavy) are
/// skipped (dominated).
struct PackingProgramme {
    let packer: ParcelPacker
    let inputCount: Int
    let types: [Int]  // input item index, heaviest first
    let g: [Int64]
    let n: [Int64]
    let stride: [Int]
    let pr: Fen, kr: Fen
    let cap: Int64
    var nodeLimit = 200_000

    private struct Entry {
        var value: Fen  // exact when `exact`, else a lower bound
        var exact: Bool
        var choice: Int
    }

    init(packer: ParcelPacker, grams: [Int64], counts: [Int64]) {
        self.packer = packer
        inputCount = grams.count
        types = grams.indices.filter { counts[$0] > 0 }.sorted { grams[$0] > grams[$1] }
        g = types.map { grams[$0] }
        n = types.map { counts[$0] }
        var st: [Int] = []
        var size = 1
        for c in n {
            st.append(size)
            size = size.multipliedReportingOverflow(by: Int(c) + 1).partialValue
        }
        stride = st
        cap = packer.capacity
        if packer.firstParcel >= packer.additionalKg {
            pr = packer.firstParcel - packer.additionalKg
            kr = packer.additionalKg
        } else {
            pr = 0
            kr = packer.firstParcel
        }
    }

    /// The least-cost packing if one costs less than `upper`; `nil` when none does
    /// (proven) or the node limit stopped the search (`aborted`).
    func solve(below upper: Fen) -> (result: ParcelPacker.Result?, aborted: Bool) {
        var memo: [Int: Entry] = [:]
        var left = n
        var nodes = 0
        var full = 0
        for t in n.indices { full += Int(n[t]) * stride[t] }
        let v = value(full, upper, &left, &memo, &nodes)
        if nodes > nodeLimit { return (nil, true) }
        guard v < upper else { return (nil, false) }
        var bins: [[Int64]] = []
        var idx = full
        while idx != 0 {
            let p = memo[idx]!.choice
            var bin = [Int64](repeating: 0, count: inputCount)
            var rest = p
            for t in stride.indices.reversed() {
                bin[types[t]] = Int64(rest / stride[t])
                rest %= stride[t]
            }
            bins.append(bin)
            idx -= p
        }
        return (ParcelPacker.Result(cost: v, bins: bins, exact: true), false)
    }

    /// Lower bound for the units in `left` from type `t0` on.
    private func bound(_ left: [Int64], from t0: Int) -> Fen {
        ParcelPacker.lowerBound(grams: g, counts: left, from: t0, capacity: cap, rates: (pr, kr))
    }

    /// Exact least cost of `left` if below `budget`, else a lower bound >= `budget`.
    private func value(
        _ idx: Int, _ budget: Fen, _ left: inout [Int64], _ memo: inout [Int: Entry], _ nodes: inout Int
    ) -> Fen {
        if idx == 0 { return 0 }
        if let e = memo[idx] {
            if e.exact || e.value >= budget { return e.value }
        }
        nodes += 1
        if nodes > nodeLimit { return budget }
        var t0 = 0
        while left[t0] == 0 { t0 += 1 }
        let lb = bound(left, from: t0)
        if lb >= budget {
            memo[idx] = Entry(value: lb, exact: false, choice: 0)
            return lb
        }
        var best = budget
        var found = false
        var bestPattern = 0
        var amount = [Int64](repeating: 0, count: g.count)
        // Parcels containing >= 1 unit of t0, fullest first.
        func enumerate(_ t: Int, _ w: Int64, _ pidx: Int) {
            // Stop once the state's own bound is met: nothing can be cheaper.
            if nodes > nodeLimit || best <= lb { return }
            if t == g.count {
                let price = packer.price(w)
                if price >= best { return }
                // Dominance: if a unit left over fits in this parcel without another
                // chargeable kilogram, the parcel with it is never worse (the unit's
                // own parcel only gets lighter), so only such "kg-full" parcels count.
                // A parcel not yet heavy only counts as full up to the heavy weight.
                let room = min(chargeableKilograms(w) * 1000, cap, w <= packer.heavyAbove ? packer.heavyAbove : cap) - w
                var k = g.count - 1
                while k >= t0 && g[k] <= room {
                    if left[k] > amount[k] { return }
                    k -= 1
                }
                for k in t0..<g.count { left[k] -= amount[k] }
                if price + bound(left, from: t0) < best {
                    let v = price + value(idx - pidx, best - price, &left, &memo, &nodes)
                    if v < best {
                        best = v
                        found = true
                        bestPattern = pidx
                    }
                }
                for k in t0..<g.count { left[k] += amount[k] }
                return
            }
            let lo: Int64 = t == t0 ? 1 : 0
            var a = min(left[t], (cap - w) / g[t])
            while a >= lo {
                amount[t] = a
                enumerate(t + 1, w + a * g[t], pidx + Int(a) * stride[t])
                a -= 1
            }
            amount[t] = 0
        }
        enumerate(t0, 0, 0)
        if nodes > nodeLimit { return budget }
        if found {
            memo[idx] = Entry(value: best, exact: true, choice: bestPattern)
            return best
        }
        memo[idx] = Entry(value: budget, exact: false, choice: 0)
        return budget
    }
}
