/// Splits a giant tour into routes optimally for one vehicle type (Prins 2004's
/// shortest path over the tour), pricing overload and time warp with the current
/// penalties, then assigns the routes to slots (vehicles whose skills fit first) and
/// merges routes if there are more of them than vehicles.
struct Split {
    let inst: Instance
    /// The vehicle type priced by the shortest path: the most numerous one.
    let vt: Int

    init(_ inst: Instance) {
        self.inst = inst
        var best = 0
        for t in 0..<inst.typeCount where inst.data.vehicleTypes[t].count > inst.data.vehicleTypes[best].count { best = t }
        vt = best
    }

    func split(_ tour: [Int], pen: Penalties) -> [[Int]] {
        let n = tour.count
        if n == 0 { return [] }
        var potential = [Int64](repeating: .max, count: n + 1)
        var pred = [Int](repeating: 0, count: n + 1)
        potential[0] = 0
        let cap = inst.vtCapacity[vt]
        let limit = cap &+ cap / 2 &+ 1
        let start = inst.vtStart[vt], end = inst.vtEnd[vt]
        let unit = inst.vtUnitDist[vt], fixed = inst.vtFixed[vt]
        for i in 0..<n {
            if potential[i] == .max { continue }
            var load = LoadSegment.empty
            var dur = inst.depotSegment(vt)
            var dist: Int64 = 0
            var prev = start
            var j = i
            while j < n {
                let v = tour[j]
                dist += inst.d(prev, v)
                load = load + inst.nodeLoad[v]
                if inst.hasTime { dur = DurationSegment.merge(dur, inst.clientSegmentDuration(v), edge: inst.t(prev, v)) }
                prev = v
                var cost = fixed + unit * (dist + inst.d(v, end))
                let ex = load.excess(cap)
                if ex > 0 { cost += Int64(Double(ex) * pen.load) }
                if inst.hasTime {
                    let closed = DurationSegment.merge(dur, inst.depotSegment(vt), edge: inst.t(v, end))
                    cost += inst.vtUnitDur[vt] * closed.duration
                    let w = closed.timeWarp + max(0, closed.duration - inst.vtMaxDuration[vt])
                    if w > 0 { cost += Int64(Double(w) * pen.timeWarp) }
                }
                let total = potential[i] + cost
                if total < potential[j + 1] {
                    potential[j + 1] = total
                    pred[j + 1] = i
                }
                j += 1
                if j > i + 1 && any(load.peak .> limit) { break }
            }
        }
        var routes: [[Int]] = []
        var j = n
        while j > 0 {
            let i = pred[j]
            routes.append(Array(tour[i..<j]))
            j = i
        }
        routes.reverse()
        return assign(routes)
    }

    /// Places routes into slots; merges neighbouring routes while there are too many.
    func assign(_ input: [[Int]]) -> [[Int]] {
        var routes = input
        let slots = inst.slotType.count
        if slots == 0 { return [] }
        while routes.count > slots && routes.count > 1 {
            var bestK = 0
            var bestLoad = Int64.max
            for k in 0..<(routes.count - 1) {
                // Multi-trip: balance the number of trips instead of the load.
                let l = inst.hasReloads
                    ? Int64(routes[k].count + routes[k + 1].count)
                    : (routes[k] + routes[k + 1]).reduce(Int64(0)) { $0 + inst.delivery[$1].wrappedSum() }
                if l < bestLoad { bestLoad = l; bestK = k }
            }
            // A vehicle that may reload drives the two as trips of one route.
            let reload = inst.hasReloads && inst.vtMaxReloads[vt] > 0 ? inst.vtReloadDepots[vt].first : nil
            routes[bestK] += (reload.map { [$0] } ?? []) + routes[bestK + 1]
            routes.remove(at: bestK + 1)
        }
        var out = [[Int]](repeating: [], count: slots)
        var free = [Bool](repeating: true, count: slots)
        for r in routes {
            let need = r.reduce(UInt64(0)) { $0 | ($1 < inst.depotCount ? 0 : inst.skills[$1]) }
            // Prefer the priced type, then any type whose skills cover the route.
            var chosen = -1
            for s in 0..<slots where free[s] && inst.slotType[s] == vt && need & ~inst.vtSkills[vt] == 0 {
                chosen = s
                break
            }
            if chosen < 0 {
                for s in 0..<slots where free[s] && need & ~inst.vtSkills[inst.slotType[s]] == 0 {
                    chosen = s
                    break
                }
            }
            if chosen < 0 { chosen = free.firstIndex(of: true) ?? 0 }
            if free[chosen] {
                out[chosen] = r
                free[chosen] = false
            } else {
                out[chosen] += r
            }
        }
        return out
    }
}
